/**
 * The measuring protocol: engines take turns, metric by metric, for several rounds, so that
 * whatever else the machine is doing slows every engine alike. Who goes first alternates
 * between rounds. The first measurement of each metric gets a longer warm-up (allocation,
 * kernel set-up); later rounds warm up again briefly, since the other engine ran in between
 * and caches are cold for both.
 */
import { METRICS, type MeasureReply, type Metric } from './benchProtocol';
import type { EngineProcess } from './engineProcess';

export interface MeasurePlan {
  rounds: number;
  /** Timed steps per round. */
  steps: Record<Metric, number>;
  /** Untimed steps before the first round's timed ones. */
  firstWarmup: Record<Metric, number>;
  /** Untimed steps before every later round's timed ones. */
  warmup: number;
  /** How long one measure request may take before its engine is given up. */
  timeoutMs: number;
}

/** One engine's samples: per metric, the milliseconds of each round's timed steps. */
export interface EngineSamples {
  name: string;
  rounds: Record<Metric, number[][]>;
  errors: Partial<Record<Metric, string>>;
  memoryMB?: Record<string, number>;
}

export interface Contender {
  name: string;
  engine: EngineProcess;
}

const fmt = (ms: number[]) => `${Math.round([...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)])} ms`;

export async function interleave(contenders: Contender[], plan: MeasurePlan, log: (line: string) => void): Promise<EngineSamples[]> {
  const samples = contenders.map((c) => ({ name: c.name, rounds: { train: [], infer: [], latency: [] }, errors: {} }) as EngineSamples);
  for (let round = 0; round < plan.rounds; round++) {
    const order = round % 2 === 0 ? contenders.map((_, i) => i) : contenders.map((_, i) => contenders.length - 1 - i);
    for (const metric of METRICS) {
      const line: string[] = [];
      for (const i of order) {
        const s = samples[i];
        if (s.errors[metric]) continue;
        const warmup = round === 0 ? plan.firstWarmup[metric] : plan.warmup;
        const reply = await contenders[i].engine.request<MeasureReply>({ op: 'measure', metric, warmup, steps: plan.steps[metric] }, plan.timeoutMs);
        if (!reply.ok) {
          s.errors[metric] = reply.error;
          line.push(`${s.name} failed: ${reply.error}`);
          continue;
        }
        s.rounds[metric].push(reply.ms);
        if (reply.memoryMB) s.memoryMB = reply.memoryMB;
        line.push(`${s.name} ${fmt(reply.ms)}`);
      }
      log(`round ${round + 1}/${plan.rounds} ${metric}: ${line.join(', ')}`);
    }
  }
  return samples;
}
