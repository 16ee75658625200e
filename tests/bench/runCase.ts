/**
 * One bench case (a template at one input size): the graph file written once, a fresh TF.js
 * engine per backend, the PyTorch reference loaded with the same graph, then interleaved
 * rounds and the figures with their ratios.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LoadReply, Metric } from './benchProtocol';
import { benchGraph, writeBenchGraph, type BenchCase } from './benchGraph';
import { CPU_MAX_PIXELS, type BenchOptions } from './benchOptions';
import { EngineProcess } from './engineProcess';
import { interleave, type Contender } from './interleave';
import { figures, ratios, type EngineFigures, type Ratio } from './summarize';

const ENGINE_SCRIPT = fileURLToPath(new URL('./tfjsEngine.ts', import.meta.url));
const START_TIMEOUT_MS = 120_000;
const LOAD_TIMEOUT_MS = 300_000;

export type BackendResult =
  | ({ backend: string; memoryMB?: Record<string, number>; vsPyTorch: VsPyTorch | null } & EngineFigures)
  | { backend: string; skipped: string };

/** Our speed ÷ PyTorch's per metric (see summarize.ts), with the per-round ratios behind each and the ratio of the fastest steps. */
export type VsPyTorch = Partial<Record<Metric, number | null>> & { roundRatios: Partial<Record<Metric, number[]>>; bestCase: Partial<Record<Metric, number>> };

export interface CaseResult {
  template: string;
  input: string;
  classes?: number;
  batch?: number;
  params?: { shapeInference: number; tfjs: number | null; pytorch: number | null; equal: boolean | null };
  pytorch?: EngineFigures | { skipped: string };
  backends?: BackendResult[];
  skipped?: string;
}

export interface Reference {
  engine: EngineProcess | null;
  /** Why there is no reference engine, when there is none. */
  skipped?: string;
}

function vsPyTorch(r: Record<Metric, Ratio | null>): VsPyTorch {
  const out: VsPyTorch = { roundRatios: {}, bestCase: {} };
  for (const [metric, ratio] of Object.entries(r) as [Metric, Ratio | null][]) {
    out[metric] = ratio?.ratio ?? null;
    if (ratio) {
      out.roundRatios[metric] = ratio.roundRatios;
      out.bestCase[metric] = ratio.bestCase;
    }
  }
  return out;
}

async function startTfjs(backend: string, file: string, options: BenchOptions): Promise<{ engine: EngineProcess; label: string; params: number } | { skipped: string }> {
  const args = ['--import', 'tsx', ENGINE_SCRIPT, '--backend', backend, '--threads', String(options.threads)];
  const started = await EngineProcess.start(`tfjs ${backend}`, process.execPath, args, { timeoutMs: START_TIMEOUT_MS });
  if (!started.ok) return { skipped: `backend ${backend} did not start: ${started.reason}` };
  const loaded = await started.engine.request<LoadReply>({ op: 'load', file, batch: options.batch }, LOAD_TIMEOUT_MS);
  if (!loaded.ok) {
    await started.engine.close();
    return { skipped: `does not compile on ${started.hello.backend}: ${loaded.error}` };
  }
  return { engine: started.engine, label: started.hello.backend, params: loaded.params };
}

export async function runCase(c: BenchCase, options: BenchOptions, reference: Reference, log: (line: string) => void): Promise<CaseResult> {
  const input = c.input.join('x');
  const head = { template: c.template, input };
  let graph;
  try {
    graph = benchGraph(c);
  } catch (err) {
    return { ...head, skipped: (err as Error).message };
  }
  const written = writeBenchGraph(graph);
  const ours: { engine: EngineProcess; label: string; params: number }[] = [];
  const backends: BackendResult[] = [];
  try {
    for (const backend of options.backends) {
      if (backend === 'cpu' && c.input[1] * c.input[2] > CPU_MAX_PIXELS) {
        backends.push({ backend, skipped: `cpu runs inputs up to ${CPU_MAX_PIXELS} pixels only (conv training there is ~0.04 img/s at 128×128)` });
        continue;
      }
      log(`${c.template} ${input}: starting TF.js (${backend})`);
      const started = await startTfjs(backend, written.path, options);
      if ('skipped' in started) backends.push({ backend, skipped: started.skipped });
      else ours.push(started);
    }
    const result: CaseResult = { ...head, classes: graph.classes, batch: options.batch };
    const tfjsParams = ours[0]?.params ?? null;
    if (ours.length === 0) {
      return { ...result, params: { shapeInference: graph.params, tfjs: null, pytorch: null, equal: null }, backends, skipped: backends.map((b) => ('skipped' in b ? b.skipped : '')).join('; ') };
    }

    let referenceSkip = reference.skipped ?? 'no reference engine';
    let torchParams: number | null = null;
    if (reference.engine) {
      const loaded = await reference.engine.request<LoadReply>({ op: 'load', file: written.path, batch: options.batch }, LOAD_TIMEOUT_MS);
      if (loaded.ok) {
        torchParams = loaded.params;
        referenceSkip = '';
        log(`${c.template} ${input}: params ours ${graph.params} (TF.js ${tfjsParams}), PyTorch ${torchParams}; PyTorch checked ${loaded.shapesChecked} node shapes`);
      } else referenceSkip = `PyTorch reference skipped: ${loaded.error}`;
    }
    const contenders: Contender[] = ours.map((o) => ({ name: o.label, engine: o.engine }));
    if (!referenceSkip) contenders.push({ name: 'pytorch', engine: reference.engine! });
    const samples = await interleave(contenders, options.plan, (line) => log(`${c.template} ${input} ${line}`));
    const torchSamples = referenceSkip ? undefined : samples.at(-1)!;

    for (const [i, o] of ours.entries()) {
      backends.push({
        backend: o.label,
        ...figures(samples[i], options.batch),
        memoryMB: samples[i].memoryMB,
        vsPyTorch: torchSamples ? vsPyTorch(ratios(samples[i], torchSamples)) : null,
      });
    }
    return {
      ...result,
      params: { shapeInference: graph.params, tfjs: tfjsParams, pytorch: torchParams, equal: torchParams === null ? null : torchParams === graph.params && tfjsParams === graph.params },
      pytorch: torchSamples ? figures(torchSamples, options.batch) : { skipped: referenceSkip },
      backends,
    };
  } finally {
    for (const o of ours) await o.engine.close();
    await reference.engine?.request({ op: 'unload' }, LOAD_TIMEOUT_MS);
    fs.rmSync(written.dir, { recursive: true, force: true });
  }
}
