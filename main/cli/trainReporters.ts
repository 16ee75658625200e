import type { BatchDecision } from '../train/batchBudget';
import type { TrainerOutcome } from '../train/launchTrainer';
import type { FromTrainer, TrainSummary, WeightLoadSummary } from '../train/protocol';
import { printJsonLine } from './output';
import { epochLine, formatLearningRate, progressLine } from './trainProgress';

/** What `visionbench train` shows of a run as it goes, and at its end. */
export interface TrainReporter {
  /** The run is registered (or reopened) and its trainer is starting; `batchSizeCapped` when the recipe's batch was lowered to fit in memory. */
  begin(run: { runId: string; resumedFromStep?: number; batchSizeCapped?: BatchSizeCapped }): void;
  onMessage(message: FromTrainer): void;
  /** A line about what the command itself is doing (e.g. cancelling after Ctrl-C). */
  note(event: string, text: string): void;
  /** The final summary; returns nothing, the caller picks the exit code. */
  finish(runId: string, outcome: TrainerOutcome): void;
}

type BatchSizeCapped = NonNullable<BatchDecision['capped']>;

/** The one line a person sees when the recipe's batch size was lowered. */
export function batchCappedLine(c: BatchSizeCapped): string {
  return `Batch size lowered from the recipe's ${c.from} to ${c.to} to fit in memory (${c.reason}); --batch sets it yourself`;
}

interface CheckpointPaths {
  last?: string;
  best?: string;
}

function trackCheckpoints(paths: CheckpointPaths, message: FromTrainer): void {
  if (message.type === 'checkpoint') paths[message.kind] = message.path;
}

/** At most `limit` names, then how many more. */
function someOf(names: readonly string[], limit = 6): string {
  return names.length <= limit ? names.join(', ') : `${names.slice(0, limit).join(', ')} and ${names.length - limit} more`;
}

/** What loading initial weights did, for people: a count, then each kind of leftover on its own line. */
export function describeWeightReport(r: WeightLoadSummary): string {
  const lines = [`Initial weights from ${r.source}: ${r.matched} of ${r.total} loaded`];
  if (r.mismatched.length > 0) {
    const shapes = r.mismatched.map((m) => `${m.name} [${m.targetShape}] vs [${m.sourceShape}]`);
    lines.push(`  mismatched, kept their initial values: ${someOf(shapes, 4)}`);
  }
  if (r.missing.length > 0) lines.push(`  missing from the source, start fresh: ${someOf(r.missing)}`);
  if (r.ambiguous.length > 0) lines.push(`  ambiguous names, not loaded: ${someOf(r.ambiguous)}`);
  if (r.unused.length > 0) lines.push(`  unused from the source: ${someOf(r.unused)}`);
  return lines.join('\n');
}

/** A fine-tune phase beginning: its name, epochs, rate and what trains. */
export function phaseLine(m: Extract<FromTrainer, { type: 'phase' }>): string {
  const epochs = m.endEpoch - m.firstEpoch === 1 ? `epoch ${m.firstEpoch + 1}` : `epochs ${m.firstEpoch + 1}-${m.endEpoch}`;
  const frozen = m.frozenNodes.length > 0 ? `; frozen: ${someOf(m.frozenNodes)}` : '';
  return `Phase ${m.index + 1}/${m.count} (${m.name})${m.resumed ? ', resumed' : ''}: ${epochs}, lr ${formatLearningRate(m.learningRate)}; training: ${someOf(m.trainableNodes)}${frozen}`;
}

/** Why a run ended before its last epoch. */
export function stoppedEarlyLine(s: NonNullable<TrainSummary['stoppedEarly']>): string {
  const why = s.reason === 'non_finite' ? `${s.metric} was not finite` : `${s.metric} stopped improving`;
  const best = s.best === null || s.bestEpoch === null ? '' : `; best ${s.best.toFixed(4)} at epoch ${s.bestEpoch + 1}`;
  return `  stopped early: ${why}${best}`;
}

/**
 * `--json`: one object per event line (`event` says which), the last line the summary:
 * `{event:'summary', runId, status, backend, threads, epochs, finalLoss, metrics,
 * imagesPerSecond, seconds, startStep, checkpoints, stoppedEarly?, batchSizeCapped?}`, metric names as
 * in DESIGN.md §3; `batchSizeCapped: {from, to, reason}` is on the `started` line too.
 * Also `weights` (the initial-weight report), `phase` (a fine-tune phase begins), `samples`
 * (an epoch's sample predictions) and `epoch` with `learningRateReducedTo` when
 * reduce-on-plateau cut the rate.
 */
export function jsonTrainReporter(): TrainReporter {
  const checkpoints: CheckpointPaths = {};
  let capped: { batchSizeCapped: BatchSizeCapped } | object = {};
  return {
    begin: ({ runId, resumedFromStep, batchSizeCapped }) => {
      if (batchSizeCapped) capped = { batchSizeCapped };
      printJsonLine({ event: 'started', runId, ...(resumedFromStep !== undefined ? { resumedFromStep } : {}), ...capped });
    },
    onMessage: (m) => {
      trackCheckpoints(checkpoints, m);
      switch (m.type) {
        case 'ready':
          return printJsonLine({ event: 'ready', backend: m.backend.label, threads: m.backend.threads });
        case 'progress':
          return printJsonLine({ event: 'progress', ...m.progress });
        case 'epoch': {
          const { type: _type, ...rest } = m;
          return printJsonLine({ event: 'epoch', ...rest });
        }
        case 'weights':
          return printJsonLine({ event: 'weights', ...m.report });
        case 'phase':
        case 'samples':
        case 'checkpoint':
        case 'paused':
        case 'resumed':
        case 'restored': {
          const { type, ...rest } = m;
          return printJsonLine({ event: type, ...rest });
        }
      }
    },
    note: (event, text) => printJsonLine({ event, message: text }),
    finish: (runId, outcome) => {
      if (outcome.status === 'failed') return printJsonLine({ event: 'summary', runId, status: 'failed', error: outcome.error, ...(outcome.code ? { code: outcome.code } : {}) });
      const s = outcome.summary;
      printJsonLine({
        event: 'summary',
        runId: s.runId,
        status: outcome.status,
        backend: s.backend,
        threads: s.threads,
        epochs: s.epochs,
        finalLoss: s.finalLoss,
        metrics: s.metrics,
        imagesPerSecond: s.imagesPerSecond,
        seconds: s.seconds,
        startStep: s.startStep,
        checkpoints,
        ...(s.stoppedEarly ? { stoppedEarly: s.stoppedEarly } : {}),
        ...capped,
      });
    },
  };
}

/**
 * For people: on a terminal, a one-line progress bar redrawn in place (on stderr, so
 * stdout keeps only the result), with each epoch's summary printed above it; elsewhere
 * (a log file, a pipe) the epoch lines only. The final summary goes to stdout.
 */
export function humanTrainReporter(stream: NodeJS.WriteStream = process.stderr): TrainReporter {
  const tty = stream.isTTY === true;
  /** The run's epoch count, as the latest progress report gives it (a resume may have raised it). */
  let epochs = 0;
  const checkpoints: CheckpointPaths = {};
  let barShown = false;
  let lastBar = '';
  const clearBar = () => {
    if (barShown) stream.write('\r\x1b[2K');
    barShown = false;
  };
  const line = (text: string) => {
    clearBar();
    stream.write(`${text}\n`);
    if (lastBar && tty) {
      stream.write(lastBar);
      barShown = true;
    }
  };
  return {
    begin: ({ runId, resumedFromStep, batchSizeCapped }) => {
      line(resumedFromStep === undefined ? `Run ${runId}` : `Resuming run ${runId} from its checkpoint at step ${resumedFromStep}`);
      if (batchSizeCapped) line(batchCappedLine(batchSizeCapped));
    },
    onMessage: (m) => {
      trackCheckpoints(checkpoints, m);
      switch (m.type) {
        case 'ready':
          return line(`Training on ${m.backend.label}`);
        case 'progress':
          epochs = m.progress.epochs;
          if (!tty) return;
          clearBar();
          // A terminal that does not say its width (columns 0) gets a generous one.
          lastBar = progressLine(m.progress, Math.max(20, (stream.columns || 120) - 1));
          stream.write(lastBar);
          barShown = true;
          return;
        case 'epoch':
          line(epochLine(m.epoch, epochs, m.metrics));
          if (m.learningRateReducedTo !== undefined) line(`  learning rate cut to ${formatLearningRate(m.learningRateReducedTo)} (reduce-on-plateau)`);
          return;
        case 'weights':
          return line(describeWeightReport(m.report));
        case 'phase':
          return line(phaseLine(m));
        case 'checkpoint':
          return m.kind === 'best' ? line(`  best so far: checkpoint ${m.path}`) : undefined;
        case 'paused':
          return line(`Paused before step ${m.step + 1}`);
        case 'resumed':
          return line('Going on');
      }
    },
    note: (_event, text) => line(text),
    finish: (runId, outcome) => {
      clearBar();
      lastBar = '';
      if (outcome.status === 'failed') {
        stream.write(`Run ${runId} failed: ${outcome.error}\n`);
        return;
      }
      const s = outcome.summary;
      const top1 = s.metrics['val/top1'];
      process.stdout.write(
        `Run ${s.runId} ${outcome.status} on ${s.backend}: ${s.epochs} epoch(s), final loss ${s.finalLoss === null ? '-' : s.finalLoss.toFixed(4)}, ` +
          `val/top1 ${top1 === undefined ? '-' : (100 * top1).toFixed(1) + '%'}, ${s.imagesPerSecond.toFixed(1)} images/s, ${s.seconds.toFixed(0)} s\n`,
      );
      if (s.stoppedEarly) process.stdout.write(`${stoppedEarlyLine(s.stoppedEarly)}\n`);
      if (checkpoints.last) process.stdout.write(`  last checkpoint: ${checkpoints.last}\n`);
      if (checkpoints.best) process.stdout.write(`  best checkpoint: ${checkpoints.best}\n`);
    },
  };
}
