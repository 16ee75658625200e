import { z } from 'zod';
import { getBlock, inferGraph, type GraphError, type GraphIR } from '../core';

/**
 * The three-phase fine-tuning recipe our transfer-learning guide teaches, as a plan the loop
 * follows (one optimiser per phase, each with its own trainable set and multipliers):
 *  1. `head` — backbone frozen, only the new layers (heads and anything after the backbone) train, at the base rate;
 *  2. `top`  — the top fraction of the backbone unfrozen too, its layers at a tenth of the heads' rate;
 *  3. `all`  — everything trains at a tenth of the base rate, the backbone at a tenth of that again.
 * The guide's defaults: 5, 10 and 5 epochs; the head learning 10× faster than the backbone.
 *
 * Which nodes are "backbone": the nodes given as pretrained (what weight loading matched) when
 * known; otherwise a guess from the graph's structure — the feature maps ([C,H,W] or tokens
 * [N,D]) every head depends on. Everything else with weights is new: heads, MLP heads after the
 * pooling, and the branches only some heads use (a multi-task net's FPN and decoders).
 * Nodes the user froze in the IR stay frozen in every phase.
 */

const phaseTriple = <T extends z.ZodType>(t: T) => z.tuple([t, t, t]);

export const FineTuneOptionsSchema = z
  .strictObject({
    baseLr: z.number().positive(),
    /** Epochs of phases head, top and all; default 5, 10, 5 unless totalEpochs is given. */
    epochsPerPhase: phaseTriple(z.number().int().min(0)).optional(),
    /** Split this many epochs by `fractions` instead (largest remainders, so they add up). */
    totalEpochs: z.number().int().positive().optional(),
    fractions: phaseTriple(z.number().min(0)).default([0.25, 0.5, 0.25]),
    /** Fraction of the backbone's weighted nodes (the last ones, in topological order) unfrozen in phase 2. */
    topFraction: z.number().gt(0).max(1).default(0.25),
    /** Each phase's rate as a multiple of baseLr. */
    phaseLrFactors: phaseTriple(z.number().positive()).default([1, 1, 0.1]),
    /** Unfrozen backbone nodes train at this multiple of the phase's rate; new nodes at 1. */
    backboneLrMultiplier: z.number().gt(0).max(1).default(0.1),
    /** Nodes whose weights were loaded from a pretrained model: the backbone, instead of the structural guess. */
    pretrainedNodes: z.array(z.string()).optional(),
  })
  .refine((o) => !(o.epochsPerPhase && o.totalEpochs), { message: 'give either epochsPerPhase or totalEpochs, not both' })
  .refine((o) => o.fractions.some((f) => f > 0), { message: 'fractions must not all be 0' });
export type FineTuneOptionsInput = z.input<typeof FineTuneOptionsSchema>;

export type FineTunePhaseName = 'head' | 'top' | 'all';

export interface FineTunePhase {
  name: FineTunePhaseName;
  epochs: number;
  /** The optimiser's base rate in this phase. */
  lr: number;
  /** Nodes with weights that train in this phase, in topological order. */
  trainableNodes: string[];
  /** Nodes with weights that stay fixed in this phase. */
  frozenNodes: string[];
  /** Every weighted node's multiplier of `lr` (0 = frozen): what `nodeLrMultipliers` turns into the optimiser's groups. */
  lrMultipliers: Record<string, number>;
}

export interface FineTunePlan {
  /** Backbone nodes with weights, in topological order. */
  backbone: string[];
  /** New nodes with weights (heads included), in topological order. */
  newNodes: string[];
  /** The backbone nodes phase 2 unfreezes. */
  topNodes: string[];
  /** Phases with at least one epoch and something to train, in order. */
  phases: FineTunePhase[];
}

export type FineTunePlanError = { code: 'invalid_options' | 'invalid_graph' | 'no_head' | 'no_backbone' | 'unknown_node'; message: string; node?: string };
export type FineTunePlanResult = { ok: true; plan: FineTunePlan } | { ok: false; errors: FineTunePlanError[] };

const SEED_RECIPE_EPOCHS: [number, number, number] = [5, 10, 5];

/** Splits `total` by `fractions` with the largest-remainder method (ties to the earlier phase), so the parts add up to `total`. */
export function splitEpochs(total: number, fractions: readonly number[]): number[] {
  const sum = fractions.reduce((a, b) => a + b, 0);
  const exact = fractions.map((f) => (total * f) / sum);
  const parts = exact.map(Math.floor);
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; k < total - parts.reduce((a, b) => a + b, 0); k++) parts[byRemainder[k][1]] += 1;
  return parts;
}

function ancestorsOf(node: string, parents: ReadonlyMap<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [...(parents.get(node) ?? [])];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(parents.get(id) ?? []));
  }
  return seen;
}

export function planFineTune(graph: GraphIR, input: FineTuneOptionsInput): FineTunePlanResult {
  const parsed = FineTuneOptionsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => ({ code: 'invalid_options', message: `${i.path.join('.') || 'options'}: ${i.message}` })) };
  const options = parsed.data;
  const report = inferGraph(graph);
  if (!report.ok) return { ok: false, errors: report.errors.map((e: GraphError) => ({ code: 'invalid_graph', message: e.message, node: e.node })) };

  const nodesById = new Map(graph.nodes.map((n) => [n.id, n]));
  const weighted = report.nodes.filter((n) => n.params > 0).map((n) => n.id);
  const heads = report.outputs.filter((id) => getBlock(nodesById.get(id)!.type)?.head);
  if (heads.length === 0) return { ok: false, errors: [{ code: 'no_head', message: `Graph "${graph.name}" has no head node: there is nothing to fine-tune for` }] };

  let backboneSet: Set<string>;
  if (options.pretrainedNodes) {
    const unknown = options.pretrainedNodes.filter((id) => !nodesById.has(id));
    if (unknown.length > 0) return { ok: false, errors: unknown.map((id) => ({ code: 'unknown_node', node: id, message: `Pretrained node "${id}" is not in graph "${graph.name}"` })) };
    backboneSet = new Set(options.pretrainedNodes);
  } else {
    const parents = new Map<string, string[]>();
    for (const e of graph.edges) parents.set(e.to.node, [...(parents.get(e.to.node) ?? []), e.from.node]);
    const [first, ...rest] = heads.map((h) => ancestorsOf(h, parents));
    const shared = [...first].filter((id) => rest.every((a) => a.has(id)));
    const shapes = new Map(report.nodes.map((n) => [n.id, n.outShape]));
    backboneSet = new Set(shared.filter((id) => (shapes.get(id)?.length ?? 0) >= 2));
  }

  const backbone = weighted.filter((id) => backboneSet.has(id));
  const newNodes = weighted.filter((id) => !backboneSet.has(id));
  if (backbone.length === 0) return { ok: false, errors: [{ code: 'no_backbone', message: `Graph "${graph.name}" has no backbone with weights to fine-tune: train it from scratch instead` }] };
  const topNodes = backbone.slice(backbone.length - Math.ceil(options.topFraction * backbone.length));

  const epochs = options.epochsPerPhase ?? (options.totalEpochs ? splitEpochs(options.totalEpochs, options.fractions) : SEED_RECIPE_EPOCHS);
  const userFrozen = new Set(graph.nodes.filter((n) => n.frozen).map((n) => n.id));
  const unfrozenBackbone: Record<FineTunePhaseName, ReadonlySet<string>> = { head: new Set(), top: new Set(topNodes), all: backboneSet };
  const names: FineTunePhaseName[] = ['head', 'top', 'all'];
  const phases = names.map((name, i): FineTunePhase => {
    const lrMultipliers = Object.fromEntries(
      weighted.map((id) => [id, userFrozen.has(id) ? 0 : !backboneSet.has(id) ? 1 : unfrozenBackbone[name].has(id) ? options.backboneLrMultiplier : 0]),
    );
    return {
      name,
      epochs: epochs[i],
      lr: options.baseLr * options.phaseLrFactors[i],
      trainableNodes: weighted.filter((id) => lrMultipliers[id] > 0),
      frozenNodes: weighted.filter((id) => lrMultipliers[id] === 0),
      lrMultipliers,
    };
  });
  return { ok: true, plan: { backbone, newNodes, topNodes, phases: phases.filter((p) => p.epochs > 0 && p.trainableNodes.length > 0) } };
}
