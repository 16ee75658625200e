import { SingleBar } from 'cli-progress';
import { inferGraph, RecipeSchema } from '../../core';
import { readGraphArgument } from '../../templates/templateLibrary';
import { HyperParamsSchema, TrainJobSchema, type FromTrainer, type HyperParams } from '../../train/protocol';
import { startTraining } from '../../train/runTraining';
import { withOverrides, type GraphOverrideOptions } from '../graphOptions';
import { EXIT_INTERNAL, EXIT_OK, InvalidInputError, printJsonLine } from '../output';
import { openCliStore, type StoreOptions } from '../storeOption';

export interface TrainOptions extends StoreOptions, GraphOverrideOptions {
  synthetic?: boolean;
  epochs?: number;
  batch?: number;
  lr?: number;
  optimizer?: string;
  weightDecay?: number;
  clipNorm?: number;
  schedule?: string;
  seed?: number;
  trainSize: number;
  overfit?: number;
  valSize: number;
  backend?: string;
  threads?: number;
  json?: boolean;
}

/** `visionbench train <graph|template> --synthetic`: trains in a trainer process and records the run. */
export async function trainCommand(target: string, options: TrainOptions): Promise<number> {
  const source = readGraphArgument(target);
  if (!source.ok) throw new InvalidInputError(source.errors.map((e) => e.message).join('\n'), source.errors);
  const graph = withOverrides(source.graph, options);
  const report = inferGraph(graph);
  if (!report.ok) throw new InvalidInputError(`${source.source} is invalid:\n${report.errors.map((e) => `  ${e.message}`).join('\n')}`, report.errors);
  if (!options.synthetic) throw new InvalidInputError('Say where the data comes from: --synthetic (the built-in 10-class shapes set)');

  const hyperParams = resolveHyperParams(graph.meta.recipe, options);
  const backend = TrainJobSchema.shape.backend.safeParse(options.backend);
  if (!backend.success) throw new InvalidInputError(`--backend must be one of tensorflow-gpu, tensorflow, wasm, cpu; got "${options.backend}"`);

  const { store, file } = openCliStore(options);
  const reporter = options.json ? jsonReporter() : humanReporter(hyperParams);
  const started = startTraining({
    store,
    storeFile: file,
    graph,
    hyperParams,
    data: { kind: 'synthetic', trainCount: options.trainSize, valCount: options.valSize, seed: hyperParams.seed, overfit: options.overfit },
    backend: backend.data,
    threads: options.threads,
    onMessage: reporter.onMessage,
  });
  const cancel = () => started.trainer.cancel();
  process.once('SIGINT', cancel);
  const outcome = await started.outcome;
  process.off('SIGINT', cancel);
  reporter.stop();
  store.close();

  if (outcome.status === 'failed') {
    if (options.json) printJsonLine({ runId: started.runId, status: 'failed', error: outcome.error });
    else process.stderr.write(`Run ${started.runId} failed: ${outcome.error}\n`);
    return EXIT_INTERNAL;
  }
  const { summary } = outcome;
  if (options.json) {
    printJsonLine({ runId: summary.runId, status: outcome.status, backend: summary.backend, epochs: summary.epochs, metrics: summary.metrics, imagesPerSecond: summary.imagesPerSecond, seconds: summary.seconds });
  } else {
    const top1 = summary.metrics['val/top1'];
    process.stdout.write(
      `Run ${summary.runId} ${outcome.status} on ${summary.backend}: ${summary.epochs} epoch(s), ` +
        `val/top1 ${top1 === undefined ? '-' : (100 * top1).toFixed(1) + '%'}, ${summary.imagesPerSecond.toFixed(1)} images/s, ${summary.seconds.toFixed(0)} s\n`,
    );
  }
  return EXIT_OK;
}

function resolveHyperParams(recipe: unknown, o: TrainOptions): HyperParams {
  const base = RecipeSchema.safeParse(recipe);
  const defaults = base.success ? base.data : { epochs: 1, batchSize: 32, optimizer: 'adam' as const, learningRate: 0.001, schedule: 'constant' as const, weightDecay: 0 };
  const parsed = HyperParamsSchema.safeParse({
    epochs: o.epochs ?? defaults.epochs,
    batchSize: o.batch ?? defaults.batchSize,
    optimizer: o.optimizer ?? defaults.optimizer,
    learningRate: o.lr ?? defaults.learningRate,
    schedule: o.schedule ?? defaults.schedule,
    weightDecay: o.weightDecay ?? defaults.weightDecay ?? 0,
    clipNorm: o.clipNorm,
    seed: o.seed ?? 1,
  });
  if (!parsed.success) throw new InvalidInputError(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'));
  return parsed.data;
}

interface Reporter {
  onMessage(message: FromTrainer): void;
  stop(): void;
}

function jsonReporter(): Reporter {
  return {
    onMessage: (message) => {
      if (message.type === 'progress') printJsonLine({ event: 'progress', ...message.progress });
      else if (message.type === 'epoch') printJsonLine({ event: 'epoch', epoch: message.epoch, metrics: message.metrics });
      else if (message.type === 'ready') printJsonLine({ event: 'ready', backend: message.backend.label });
    },
    stop: () => {},
  };
}

/** A progress bar with loss, throughput and ETA on a terminal; a line per epoch otherwise. */
function humanReporter(h: HyperParams): Reporter {
  const tty = process.stderr.isTTY;
  const bar = new SingleBar({
    format: 'epoch {epoch}/{epochs} [{bar}] {percentage}% | loss {loss} | {ips} img/s | ETA {eta_formatted}',
    hideCursor: true,
    stream: process.stderr,
  });
  let started = false;
  return {
    onMessage: (m) => {
      if (m.type === 'ready') process.stderr.write(`Training on ${m.backend.label}\n`);
      if (m.type === 'progress' && tty) {
        const p = m.progress;
        const payload = { epoch: p.epoch + 1, epochs: h.epochs, loss: p.loss.toFixed(3), ips: p.imagesPerSecond.toFixed(1) };
        if (!started) bar.start(p.stepsPerEpoch * p.epochs, p.step, payload);
        started = true;
        bar.update(p.step, payload);
      }
      if (m.type === 'epoch') {
        const text = Object.entries(m.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ');
        if (tty && started) bar.stop();
        started = false;
        process.stderr.write(`epoch ${m.epoch + 1}: ${text}\n`);
      }
    },
    stop: () => started && bar.stop(),
  };
}
