import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FromTrainerSchema, ToTrainerSchema, type FromTrainer, type ToTrainer, type TrainJob, type TrainSummary } from './protocol';

export type TrainerOutcome =
  | { status: 'finished' | 'cancelled'; summary: TrainSummary }
  | { status: 'failed'; error: string; exitedUnexpectedly: boolean };

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

const ENTRY = fileURLToPath(new URL('./trainerProcess.ts', import.meta.url));

/**
 * Starts a trainer process for one job. The caller survives anything the trainer does: a crash,
 * SIGKILL or out-of-memory ends `done` with a failed outcome instead of an exception. The
 * trainer's own output (TF.js banners, warnings) goes to stderr so stdout stays machine-readable.
 */
export function launchTrainer(job: TrainJob, onMessage: (message: FromTrainer) => void = () => {}): TrainerHandle {
  const child = fork(ENTRY, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
  });
  child.stdout?.pipe(process.stderr);
  child.stderr?.pipe(process.stderr);
  let terminal: FromTrainer | undefined;

  const done = new Promise<TrainerOutcome>((resolve) => {
    child.on('message', (raw) => {
      const parsed = FromTrainerSchema.safeParse(raw);
      if (!parsed.success) return;
      if (['finished', 'cancelled', 'failed'].includes(parsed.data.type)) terminal = parsed.data;
      onMessage(parsed.data);
    });
    child.on('error', (error) => resolve({ status: 'failed', error: `Trainer could not start: ${error.message}`, exitedUnexpectedly: true }));
    child.on('exit', (code, signal) => {
      if (terminal?.type === 'finished' || terminal?.type === 'cancelled') resolve({ status: terminal.type, summary: terminal.summary });
      else if (terminal?.type === 'failed') resolve({ status: 'failed', error: terminal.error, exitedUnexpectedly: false });
      else {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        resolve({ status: 'failed', error: `Trainer process ${how} before finishing`, exitedUnexpectedly: true });
      }
    });
  });
  const tell = (message: ToTrainer) => {
    if (child.connected) child.send(ToTrainerSchema.parse(message));
  };
  tell({ type: 'start', job });
  return {
    pid: child.pid ?? -1,
    done,
    cancel: () => tell({ type: 'cancel' }),
    pause: () => tell({ type: 'pause' }),
    resume: () => tell({ type: 'resume' }),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
