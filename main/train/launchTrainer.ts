import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FromTrainerSchema, ToTrainerSchema, type FromTrainer, type LrFindJob, type LrFindResult, type ToTrainer, type TrainJob, type TrainSummary } from './protocol';

/** How a job that did not finish ended: `invalid_input` when the job asked for the impossible (the CLI exits 1). */
export type TrainerFailure = { status: 'failed'; error: string; exitedUnexpectedly: boolean; code?: 'invalid_input' };

export type TrainerOutcome = { status: 'finished' | 'cancelled'; summary: TrainSummary } | TrainerFailure;

export type LrFinderOutcome = { status: 'finished'; result: LrFindResult } | TrainerFailure;

export interface TrainerHandle {
  pid: number;
  done: Promise<TrainerOutcome>;
  /** Stops after the current step, writing a checkpoint of the steps taken; `done` then reports `cancelled`. */
  cancel(): void;
  /** Holds the trainer before its next step; it answers `paused` once it has stopped. */
  pause(): void;
  /** Lets a paused trainer go on; it answers `resumed`. */
  resume(): void;
  /** Ends the trainer at once (SIGKILL): the run fails, keeping its metrics and last checkpoint. */
  kill(): void;
}

export interface LrFinderHandle {
  pid: number;
  done: Promise<LrFinderOutcome>;
  /** Stops the range test after the current step; `done` reports the points so far. */
  cancel(): void;
  kill(): void;
}

const ENTRY = fileURLToPath(new URL('./trainerProcess.ts', import.meta.url));
const TERMINAL: readonly FromTrainer['type'][] = ['finished', 'cancelled', 'failed', 'lrFound'];

/**
 * Forks a trainer process and starts it with `start`. The caller survives anything the trainer
 * does: a crash, SIGKILL or out-of-memory ends `terminal` with undefined and the reason, instead
 * of an exception. The trainer's own output (TF.js banners, warnings) goes to stderr so stdout
 * stays machine-readable.
 */
function forkTrainer(start: ToTrainer, onMessage: (message: FromTrainer) => void) {
  const child = fork(ENTRY, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
  });
  child.stdout?.pipe(process.stderr);
  child.stderr?.pipe(process.stderr);
  let terminal: FromTrainer | undefined;
  const ended = new Promise<{ terminal: FromTrainer | undefined; failure: TrainerFailure }>((resolve) => {
    child.on('message', (raw) => {
      const parsed = FromTrainerSchema.safeParse(raw);
      if (!parsed.success) return;
      if (TERMINAL.includes(parsed.data.type)) terminal = parsed.data;
      onMessage(parsed.data);
    });
    child.on('error', (error) => resolve({ terminal: undefined, failure: { status: 'failed', error: `Trainer could not start: ${error.message}`, exitedUnexpectedly: true } }));
    child.on('exit', (code, signal) => {
      if (terminal?.type === 'failed') {
        resolve({ terminal, failure: { status: 'failed', error: terminal.error, exitedUnexpectedly: false, ...(terminal.code ? { code: terminal.code } : {}) } });
        return;
      }
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      resolve({ terminal, failure: { status: 'failed', error: `Trainer process ${how} before finishing`, exitedUnexpectedly: true } });
    });
  });
  const tell = (message: ToTrainer) => {
    if (child.connected) child.send(ToTrainerSchema.parse(message));
  };
  tell(start);
  return {
    pid: child.pid ?? -1,
    ended,
    tell,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** Starts a trainer process for one training job. */
export function launchTrainer(job: TrainJob, onMessage: (message: FromTrainer) => void = () => {}): TrainerHandle {
  const trainer = forkTrainer({ type: 'start', job }, onMessage);
  const done = trainer.ended.then(({ terminal, failure }): TrainerOutcome => {
    if (terminal?.type === 'finished' || terminal?.type === 'cancelled') return { status: terminal.type, summary: terminal.summary };
    return failure;
  });
  return {
    pid: trainer.pid,
    done,
    cancel: () => trainer.tell({ type: 'cancel' }),
    pause: () => trainer.tell({ type: 'pause' }),
    resume: () => trainer.tell({ type: 'resume' }),
    kill: trainer.kill,
  };
}

/** Starts a trainer process for a learning-rate range test. */
export function launchLrFinder(job: LrFindJob, onMessage: (message: FromTrainer) => void = () => {}): LrFinderHandle {
  const trainer = forkTrainer({ type: 'findLr', job }, onMessage);
  const done = trainer.ended.then(({ terminal, failure }): LrFinderOutcome => (terminal?.type === 'lrFound' ? { status: 'finished', result: terminal.result } : failure));
  return { pid: trainer.pid, done, cancel: () => trainer.tell({ type: 'cancel' }), kill: trainer.kill };
}
