/**
 * A training job that cannot run because of what was asked — a graph with no trainable head,
 * a weight source nothing in the model matches, a metric the run does not log — as opposed to
 * a failure of the trainer itself. The trainer reports it with the code `invalid_input`, so the
 * CLI exits 1 (the user's to fix) instead of 2.
 */
export class TrainingInputError extends Error {
  readonly code = 'invalid_input';
}
