import os from 'node:os';
import type Database from 'better-sqlite3';

/** A run that `recoverStaleRuns` marked failed, and why. */
export interface RecoveredRun {
  id: string;
  reason: string;
}

/** Whether a process with this pid exists on this machine. EPERM means it exists but is someone else's. */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Finds queued/running runs whose recorded trainer pid is gone and marks them failed.
 * Only runs recorded on this host are judged: a pid means nothing on another machine.
 * A dead pid is a dead run — no heartbeat to wait for. The UPDATE re-checks status and
 * pid, so two processes recovering at once (or a trainer finishing meanwhile) cannot
 * overwrite a final status. Metrics and checkpoints are untouched, so the run can resume.
 */
export class StaleRunRecovery {
  private readonly candidates;
  private readonly fail;

  constructor(
    db: Database.Database,
    private readonly now: () => Date,
    private readonly host: string = os.hostname(),
    private readonly alive: (pid: number) => boolean = isPidAlive,
  ) {
    this.candidates = db.prepare<[string], { id: string; pid: number }>(
      "SELECT id, pid FROM runs WHERE status IN ('queued', 'running') AND pid IS NOT NULL AND host = ?",
    );
    this.fail = db.prepare(
      `UPDATE runs SET status = 'failed', error = @error, finished_at = @finished_at
       WHERE id = @id AND pid = @pid AND status IN ('queued', 'running')`,
    );
  }

  recover(when: string): RecoveredRun[] {
    const out: RecoveredRun[] = [];
    for (const { id, pid } of this.candidates.all(this.host)) {
      if (pid === process.pid || this.alive(pid)) continue;
      const reason = `Trainer process ${pid} on ${this.host} ended without finishing (${when})`;
      if (this.fail.run({ id, pid, error: reason, finished_at: this.now().toISOString() }).changes > 0) out.push({ id, reason });
    }
    return out;
  }
}
