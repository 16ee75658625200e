import { expandGroups, getBlock, inferGraph, type GraphIR, type HeadInfo } from '../core';
import { resolveHeadLoss, type LossDefinition } from './losses';
import { TrainingInputError } from './trainingErrors';

/**
 * Which heads of a graph the trainer trains, and with what loss: read from the graph alone (no
 * TF.js), so the CLI can refuse a job before a trainer starts and the loop can build its
 * objective from the same answer. Only classification heads train today; a head of another
 * task is an error naming it, until its targets and losses exist (issue 8).
 */

export interface TrainedHead {
  /** The head's node id: its TF.js output's name, and the `<head>` of `train/loss/<head>`. */
  node: string;
  task: HeadInfo['task'];
  loss: LossDefinition;
  /** The head's weight in a fixed-weight sum of losses. */
  lossWeight: number;
  classes: number;
  /** The head's own label smoothing (ClassificationHead's param); the run's `labelSmoothing` overrides it. */
  labelSmoothing: number;
}

/** Heads whose tasks the trainer can train. */
const TRAINABLE_TASKS: readonly HeadInfo['task'][] = ['classification'];

/** The graph's heads in output order, or throws a TrainingInputError listing every head it cannot train. */
export function trainedHeads(graph: GraphIR): TrainedHead[] {
  const flat = expandGroups(graph).graph;
  const report = inferGraph(flat);
  if (!report.ok) throw new TrainingInputError(`Graph "${graph.name}" is invalid: ${report.errors.map((e) => e.message).join('; ')}`);
  const nodes = new Map(flat.nodes.map((n) => [n.id, n]));
  const shapes = new Map(report.nodes.map((n) => [n.id, n.outShape]));
  const heads: TrainedHead[] = [];
  const problems: string[] = [];
  for (const id of report.outputs) {
    const node = nodes.get(id)!;
    const block = getBlock(node.type);
    if (!block?.head) continue;
    const params = block.params.parse(node.params) as Record<string, unknown>;
    const info = block.head(params);
    if (!TRAINABLE_TASKS.includes(info.task)) {
      problems.push(`head "${id}" (${node.type}, task ${info.task}, loss ${info.loss}) cannot be trained yet: the trainer trains ${TRAINABLE_TASKS.join(', ')} heads only`);
      continue;
    }
    const lookup = resolveHeadLoss(info.loss);
    if (!lookup.ok) {
      problems.push(...lookup.errors.map((e) => `head "${id}" (task ${info.task}): ${e.message}`));
      continue;
    }
    heads.push({
      node: id,
      task: info.task,
      loss: lookup.losses[0],
      lossWeight: info.lossWeight,
      classes: shapes.get(id)![0],
      labelSmoothing: typeof params.labelSmoothing === 'number' ? params.labelSmoothing : 0,
    });
  }
  if (problems.length > 0) throw new TrainingInputError(`Graph "${graph.name}" has heads the trainer cannot train:\n  ${problems.join('\n  ')}`);
  if (heads.length === 0) throw new TrainingInputError(`Graph "${graph.name}" has no head to train: add a ClassificationHead`);
  return heads;
}

/**
 * The metrics one epoch's end logs, in DESIGN.md §3 names: `val/loss` is the (fixed-weight) sum
 * over heads, and with several heads each has its own `val/loss/<head>`; top-1/top-5 are the
 * first head's. What checkpoint metrics, plateau detection and early stopping may monitor.
 */
export function epochMetricNames(heads: readonly Pick<TrainedHead, 'node' | 'classes'>[]): string[] {
  const several = heads.length > 1;
  return [
    'train/epoch_loss',
    'train/top1',
    'val/loss',
    ...(several ? heads.map((h) => `val/loss/${h.node}`) : []),
    'val/top1',
    ...(heads[0].classes > 5 ? ['val/top5'] : []),
  ];
}

/** Refuses a monitored metric (named by `what`) that is not among the epoch's metrics, listing those that are. */
export function expectEpochMetric(what: string, metric: string, logged: readonly string[]): void {
  if (!logged.includes(metric)) throw new TrainingInputError(`${what} ${metric} is not one this run logs; it logs ${logged.join(', ')} each epoch`);
}
