import { z } from 'zod';
import { RecipeSchema, type GraphIR } from '../core';
import { defaultMode, type CheckpointMetric } from '../train/checkpointMetric';
import { splitEpochs } from '../train/fineTunePlan';
import { LossWeightingSchema } from '../train/losses';
import { HyperParamsSchema, type HyperParams } from '../train/protocol';
import { epochMetricNames, expectEpochMetric, trainedHeads } from '../train/trainedHeads';
import { TrainingInputError } from '../train/trainingErrors';
import { InvalidInputError } from './output';

/**
 * From `train` and `lr-find` flags to the job's hyper-parameters: each flag parsed with zod,
 * every problem collected and named by its flag (with the bad value), nothing guessed. Defaults
 * are the template recipe's; a flag that only means something beside another one (plateau
 * options without the plateau schedule) is refused rather than ignored.
 */

export interface TrainingFlags {
  epochs?: number;
  batch?: number;
  lr?: number;
  optimizer?: string;
  weightDecay?: number;
  clipNorm?: number;
  clipValue?: number;
  schedule?: string;
  seed?: number;
  labelSmoothing?: number;
  /** `node=0.1,node2=0.5` */
  lrMult?: string;
  /** `METRIC:PATIENCE[:min|max]` */
  earlyStop?: string;
  earlyStopMinDelta?: number;
  plateauPatience?: number;
  plateauFactor?: number;
  /** `METRIC[:min|max]` */
  plateauMetric?: string;
  lossWeighting?: string;
  fineTune?: boolean;
  /** `5,10,5` */
  fineTuneEpochs?: string;
}

/** Defaults of a graph without a recipe; the recipe's otherwise (the lead tunes those). */
const FALLBACK_RECIPE = { epochs: 1, batchSize: 32, optimizer: 'adam' as const, learningRate: 0.001, schedule: 'constant' as const, weightDecay: 0 };

/** The flag a hyper-parameter comes from, for error messages. */
const FLAG_OF: Record<string, string> = {
  epochs: '--epochs',
  batchSize: '--batch',
  optimizer: '--optimizer',
  weightDecay: '--weight-decay',
  clipNorm: '--clip-norm',
  clipValue: '--clip-value',
  learningRate: '--lr',
  schedule: '--schedule',
  seed: '--seed',
  labelSmoothing: '--label-smoothing',
  lrMultipliers: '--lr-mult',
  'plateau.metric': '--plateau-metric',
  'plateau.factor': '--plateau-factor',
  'plateau.patience': '--plateau-patience',
  'earlyStopping.metric': '--early-stop',
  'earlyStopping.patience': '--early-stop',
  'earlyStopping.minDelta': '--early-stop-min-delta',
  lossWeighting: '--loss-weighting',
  fineTune: '--fine-tune-epochs',
};

function flagOf(path: PropertyKey[]): string {
  for (let n = path.length; n > 0; n--) {
    const flag = FLAG_OF[path.slice(0, n).map(String).join('.')];
    if (flag) return flag;
  }
  return path.map(String).join('.');
}

const MultiplierSchema = z.coerce.number().finite().min(0, 'must be ≥ 0 (0 freezes the node)');

/** `--lr-mult conv1=0.1,layer4=0.5`: every entry well-formed, every node in the graph. */
export function parseLrMultipliers(text: string, graph: GraphIR, problems: string[]): Record<string, number> {
  const ids = new Set(graph.nodes.map((n) => n.id));
  const out: Record<string, number> = {};
  for (const entry of text.split(',').map((s) => s.trim()).filter((s) => s.length > 0)) {
    const [node, value, ...rest] = entry.split('=');
    const parsed = MultiplierSchema.safeParse(value === undefined || value.trim() === '' ? Number.NaN : value);
    if (rest.length > 0 || !node || !parsed.success) {
      problems.push(`--lr-mult: "${entry}" must look like NODE=MULTIPLIER with a number ≥ 0, e.g. conv1=0.1`);
    } else if (!ids.has(node)) {
      problems.push(`--lr-mult: graph "${graph.name}" has no node "${node}" (its nodes: ${[...ids].join(', ')})`);
    } else if (node in out) {
      problems.push(`--lr-mult: node "${node}" is given twice`);
    } else {
      out[node] = parsed.data;
    }
  }
  if (Object.keys(out).length === 0 && problems.length === 0) problems.push(`--lr-mult: no NODE=MULTIPLIER entries in "${text}"`);
  return out;
}

/** `--early-stop val/loss:5[:min|max]`; the mode defaults by the metric's name. */
export function parseEarlyStop(text: string, minDelta: number | undefined, problems: string[]): HyperParams['earlyStopping'] | undefined {
  const [metric, patience, mode, ...rest] = text.split(':');
  const parsed = HyperParamsSchema.shape.earlyStopping.safeParse({
    metric,
    patience: patience === undefined || patience.trim() === '' ? undefined : Number(patience),
    mode: mode ?? defaultMode(metric ?? ''),
    ...(minDelta === undefined ? {} : { minDelta }),
  });
  if (rest.length > 0 || !parsed.success) {
    const why = parsed.success ? '' : ` (${parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')})`;
    problems.push(`--early-stop must look like val/loss:5 or val/top1:10:max (METRIC:PATIENCE[:min|max], patience ≥ 1); got "${text}"${why}`);
    return undefined;
  }
  return parsed.data;
}

/** `--fine-tune-epochs 5,10,5`: three whole numbers, the epochs of the head, top and all phases. */
export function parseFineTuneEpochs(text: string, problems: string[]): [number, number, number] | undefined {
  const parts = text.split(',').map((s) => s.trim());
  const parsed = z.tuple([z.coerce.number().int().min(0), z.coerce.number().int().min(0), z.coerce.number().int().min(0)]).safeParse(parts.map((p) => (p === '' ? Number.NaN : p)));
  if (!parsed.success || parts.length !== 3 || parsed.data.every((e) => e === 0)) {
    problems.push(`--fine-tune-epochs must be three whole numbers, not all 0, for the head, top and all phases (e.g. 5,10,5); got "${text}"`);
    return undefined;
  }
  return parsed.data;
}

function parsePlateau(o: TrainingFlags, schedule: string, problems: string[]): HyperParams['plateau'] | undefined {
  const given = (['plateauPatience', 'plateauFactor', 'plateauMetric'] as const).filter((k) => o[k] !== undefined);
  if (schedule !== 'reduce-on-plateau') {
    for (const k of given) problems.push(`${k === 'plateauPatience' ? '--plateau-patience' : k === 'plateauFactor' ? '--plateau-factor' : '--plateau-metric'} applies to --schedule reduce-on-plateau only (the schedule is ${schedule})`);
    return undefined;
  }
  const [metric, mode, ...rest] = (o.plateauMetric ?? 'val/loss').split(':');
  if (rest.length > 0 || (mode !== undefined && mode !== 'min' && mode !== 'max')) {
    problems.push(`--plateau-metric must look like val/loss or val/top1:max (METRIC[:min|max]); got "${o.plateauMetric}"`);
  }
  return { metric, ...(mode === 'min' || mode === 'max' ? { mode } : {}), factor: o.plateauFactor ?? 0.1, patience: o.plateauPatience ?? 10 };
}

/** The fine-tune phases' epochs and the run's total, from --fine-tune, --fine-tune-epochs and --epochs. */
function parseFineTune(o: TrainingFlags, problems: string[]): { fineTune?: HyperParams['fineTune']; epochs?: number } {
  if (!o.fineTune) {
    if (o.fineTuneEpochs !== undefined) problems.push('--fine-tune-epochs applies to --fine-tune only');
    return {};
  }
  let phases = o.fineTuneEpochs === undefined ? undefined : parseFineTuneEpochs(o.fineTuneEpochs, problems);
  if (phases && o.epochs !== undefined && o.epochs !== phases[0] + phases[1] + phases[2]) {
    problems.push(`--epochs ${o.epochs} disagrees with --fine-tune-epochs ${o.fineTuneEpochs} (${phases[0] + phases[1] + phases[2]} in all): give one of them`);
  }
  // The guide's 5, 10 and 5 epochs; --epochs alone is split a quarter, a half and a quarter.
  phases ??= o.epochs !== undefined ? (splitEpochs(o.epochs, [0.25, 0.5, 0.25]) as [number, number, number]) : [5, 10, 5];
  return { fineTune: { epochsPerPhase: phases }, epochs: phases[0] + phases[1] + phases[2] };
}

/**
 * Every hyper-parameter of the job: the flags over the graph's recipe, validated as one object.
 * Throws an InvalidInputError listing every problem.
 */
export function resolveHyperParams(graph: GraphIR, o: TrainingFlags): HyperParams {
  const recipe = RecipeSchema.safeParse(graph.meta.recipe);
  const defaults = recipe.success ? recipe.data : FALLBACK_RECIPE;
  const problems: string[] = [];
  const schedule = o.schedule ?? defaults.schedule;
  const lossWeighting = o.lossWeighting === undefined ? undefined : LossWeightingSchema.safeParse(o.lossWeighting);
  if (lossWeighting && !lossWeighting.success) problems.push(`--loss-weighting must be one of ${LossWeightingSchema.options.join(', ')}; got "${o.lossWeighting}"`);
  if (o.earlyStopMinDelta !== undefined && o.earlyStop === undefined) problems.push('--early-stop-min-delta applies to --early-stop only');
  const fineTune = parseFineTune(o, problems);
  const candidate = {
    epochs: fineTune.epochs ?? o.epochs ?? defaults.epochs,
    batchSize: o.batch ?? defaults.batchSize,
    optimizer: o.optimizer ?? defaults.optimizer,
    learningRate: o.lr ?? defaults.learningRate,
    schedule,
    weightDecay: o.weightDecay ?? defaults.weightDecay ?? 0,
    clipNorm: o.clipNorm,
    clipValue: o.clipValue,
    seed: o.seed ?? 1,
    labelSmoothing: o.labelSmoothing,
    lrMultipliers: o.lrMult === undefined ? undefined : parseLrMultipliers(o.lrMult, graph, problems),
    plateau: parsePlateau(o, schedule, problems),
    earlyStopping: o.earlyStop === undefined ? undefined : parseEarlyStop(o.earlyStop, o.earlyStopMinDelta, problems),
    lossWeighting: lossWeighting?.success ? lossWeighting.data : undefined,
    fineTune: fineTune.fineTune,
  };
  const parsed = HyperParamsSchema.safeParse(Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined)));
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const value = i.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k], candidate);
      problems.push(`${flagOf(i.path)}: ${i.message}${value === undefined || typeof value === 'object' ? '' : ` (got ${JSON.stringify(value)})`}`);
    }
  }
  if (problems.length > 0) throw new InvalidInputError(problems.join('\n'), problems);
  return parsed.data!;
}

/**
 * Refuses, before a trainer starts, a graph whose heads cannot train yet and a monitored metric
 * (checkpoint, early stopping, plateau) the run would not log.
 */
export function checkTrainable(graph: GraphIR, h: HyperParams, checkpointMetric?: CheckpointMetric): void {
  const problems: string[] = [];
  try {
    const logged = epochMetricNames(trainedHeads(graph));
    const expect = (what: string, metric: string) => {
      try {
        expectEpochMetric(what, metric, logged);
      } catch (error) {
        problems.push((error as Error).message);
      }
    };
    if (checkpointMetric) expect('--checkpoint-metric', checkpointMetric.name);
    if (h.earlyStopping) expect('--early-stop', h.earlyStopping.metric);
    if (h.schedule === 'reduce-on-plateau' && h.plateau) expect('--plateau-metric', h.plateau.metric);
  } catch (error) {
    if (!(error instanceof TrainingInputError)) throw error;
    problems.push(error.message);
  }
  if (problems.length > 0) throw new InvalidInputError(problems.join('\n'), problems);
}
