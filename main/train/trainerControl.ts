/**
 * The trainer's pause and cancel switches, flipped by protocol messages and read by the
 * loop between steps. A pause takes effect before the next step (a step is never cut in
 * half), and a cancel also ends a pause, so a paused run can be cancelled.
 */
export interface TrainerControlEvents {
  /** The loop has stopped at this position. */
  onPaused?(position: { epoch: number; step: number }): void;
  /** The loop is going on from this position. */
  onResumed?(position: { epoch: number; step: number }): void;
}

export class TrainerControl {
  private cancelRequested = false;
  private pauseRequested = false;
  private wake: (() => void) | undefined;

  constructor(private readonly events: TrainerControlEvents = {}) {}

  cancel(): void {
    this.cancelRequested = true;
    this.release();
  }

  pause(): void {
    this.pauseRequested = true;
  }

  resume(): void {
    this.pauseRequested = false;
    this.release();
  }

  isCancelled(): boolean {
    return this.cancelRequested;
  }

  /** Settles at once unless a pause is pending; then when resumed or cancelled. */
  async beforeStep(position: { epoch: number; step: number }): Promise<void> {
    if (!this.pauseRequested || this.cancelRequested) return;
    this.events.onPaused?.(position);
    while (this.pauseRequested && !this.cancelRequested) await new Promise<void>((resolve) => (this.wake = resolve));
    if (!this.cancelRequested) this.events.onResumed?.(position);
  }

  private release(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
