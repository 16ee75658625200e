import { z } from 'zod';
import { GraphIRSchema } from '../ir/schema';
import {
  BackendInfoSchema,
  GraphReportSchema,
  MetricSeriesSchema,
  RunDetailSchema,
  RunSummarySchema,
  TemplateSummarySchema,
} from './schemas';

/**
 * The whole API between UI and engine: one entry per call, request and response schemas.
 * The HTTP bridge, the Electron preload and every Host are generated from this table, so a
 * call that is not here cannot be made.
 */
export const API = {
  health: { request: z.strictObject({}), response: z.object({ ok: z.literal(true) }) },
  backendInfo: { request: z.strictObject({}), response: BackendInfoSchema },
  listTemplates: { request: z.strictObject({}), response: z.array(TemplateSummarySchema) },
  getTemplate: { request: z.strictObject({ name: z.string().min(1) }), response: z.object({ graph: GraphIRSchema }) },
  checkGraph: { request: z.strictObject({ graph: z.unknown() }), response: GraphReportSchema },
  listRuns: { request: z.strictObject({}), response: z.array(RunSummarySchema) },
  getRun: { request: z.strictObject({ runId: z.string().min(1) }), response: RunDetailSchema },
  getMetrics: {
    request: z.strictObject({ runId: z.string().min(1), names: z.array(z.string()).optional() }),
    response: z.array(MetricSeriesSchema),
  },
} as const;

export type ApiMethod = keyof typeof API;
export type ApiRequest<M extends ApiMethod> = z.input<(typeof API)[M]['request']>;
export type ApiResponse<M extends ApiMethod> = z.infer<(typeof API)[M]['response']>;

/** The engine's side: one async handler per call. */
export type ApiHandlers = { [M in ApiMethod]: (request: z.infer<(typeof API)[M]['request']>) => Promise<ApiResponse<M>> };

export const API_METHODS = Object.keys(API) as ApiMethod[];

export function isApiMethod(name: string): name is ApiMethod {
  return Object.hasOwn(API, name);
}

/** An error the engine returns instead of a response: a stable code and a message for people. */
export const ApiErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ApiError = z.infer<typeof ApiErrorSchema>['error'];

/** Events the engine pushes to the UI (WebSocket in the browser, IPC in Electron). */
export const EngineEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('runChanged'), run: RunSummarySchema }),
]);
export type EngineEvent = z.infer<typeof EngineEventSchema>;

/** HTTP paths of the bridge. */
export const apiPath = (method: ApiMethod): string => `/api/${method}`;
export const EVENTS_PATH = '/api/events';
