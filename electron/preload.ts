import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EngineEventSchema, type EngineEvent } from '../main/core/contract/api';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './ipcChannels';
import type { InvokeResult } from './ipcEnvelope';
import { checkInvoke } from './ipcValidation';

/**
 * The page's only door to the engine: two functions. Every call is checked against the
 * contract here, before it crosses IPC, and again in the main process.
 */
const bridge = {
  invoke(method: unknown, request: unknown): Promise<InvokeResult> {
    const check = checkInvoke(method, request);
    if (!check.ok) return Promise.resolve(check);
    return ipcRenderer.invoke(INVOKE_CHANNEL, check.method, check.request) as Promise<InvokeResult>;
  },
  onEvent(callback: (event: EngineEvent) => void): () => void {
    if (typeof callback !== 'function') throw new TypeError('onEvent needs a function');
    const listener = (_event: IpcRendererEvent, payload: unknown): void => {
      const parsed = EngineEventSchema.safeParse(payload);
      if (parsed.success) callback(parsed.data);
    };
    ipcRenderer.on(EVENT_CHANNEL, listener);
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, listener);
  },
};

contextBridge.exposeInMainWorld('visionbench', bridge);
