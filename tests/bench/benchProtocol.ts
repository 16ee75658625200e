/**
 * The line protocol both benchmark engines speak (tests/bench/tfjsEngine.ts and
 * tests/bench/torchReference.py): one JSON object per line on stdin (requests) and stdout
 * (replies), progress and chatter on stderr. Each engine is its own process so that the bench
 * can alternate them step for step on one machine, and so that a crash, a missing PyTorch or a
 * wasm heap that never shrinks stays inside one engine.
 */
import type { GraphIR } from '../../main/core';

export type Metric = 'train' | 'infer' | 'latency';

/** Training (batch B, Adam), inference (batch B) and batch-1 latency, in the order measured. */
export const METRICS: readonly Metric[] = ['train', 'infer', 'latency'];

export type EngineRequest =
  | { op: 'load'; file: string; batch: number }
  | { op: 'measure'; metric: Metric; warmup: number; steps: number }
  | { op: 'unload' }
  | { op: 'exit' };

/** The first line an engine prints: whether it can run at all, and as what. */
export type EngineHello =
  | { ready: true; engine: string; version: string; backend: string; threads: number }
  | { ready: false; reason: string };

export type Failure = { ok: false; error: string };

export type LoadReply =
  | {
      ok: true;
      /** Learnable parameters as this engine counts them (BatchNorm running statistics excluded). */
      params: number;
      /** Nodes whose output shape the engine checked against shape inference (PyTorch only). */
      shapesChecked?: number;
    }
  | Failure;

/** Milliseconds per timed step, in order; memory as the engine sees it after the last step. */
export type MeasureReply = { ok: true; ms: number[]; memoryMB?: Record<string, number> } | Failure;

/** One flattened node of the reference graph: what a non-TF.js engine needs to rebuild it. */
export interface ReferenceNode {
  id: string;
  type: string;
  /** The block's params with every default filled in. */
  params: Record<string, unknown>;
  /** Source node ids, in the order the block takes them (port order, then edge order). */
  inputs: string[];
  /** Per-sample, channels-first shapes, as shape inference gives them. */
  inShapes: number[][];
  outShape: number[];
}

/**
 * The file `load` reads: the override-applied IR the TF.js engine compiles, and the same graph
 * flattened (groups and composite blocks expanded) in topological order for the PyTorch
 * reference. Both come from one document, so both engines run one architecture.
 */
export interface BenchGraphFile {
  template: string;
  input: [number, number, number];
  classes: number;
  /** Learnable parameters according to our shape inference. */
  params: number;
  graph: GraphIR;
  nodes: ReferenceNode[];
  output: string;
}
