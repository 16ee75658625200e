/** The SQLite experiment store (DESIGN.md §3): runs, metrics and, later, checkpoints and artefacts. */
export { openStore, type ExperimentStore, type OpenStoreOptions, type CheckpointToSave } from './openStore';
export { defaultStorePath, storeDataDir } from './paths';
export { StoreVersionError, loadMigrations, migrate, type Migration } from './migrate';
export { type NewRun, type RunOutcome, type FinalStatus, type StoredRun, type RunningInfo } from './runs';
export { writeFileAtomic, sha256Of, type StoredFile } from './runFiles';
export { type MetricRow, type MetricBucket, type DownsampledSeries } from './metrics';
export { type NewCheckpoint, type Checkpoint, type NewArtefact, type Artefact } from './artefacts';
export { isPidAlive, type RecoveredRun } from './recovery';
export { canonicalJson, irHash } from './canonicalJson';
export { newRunId, RUN_ID_PATTERN } from './runId';
export { SamplePredictionsSchema, SAMPLE_PREDICTIONS_KIND, type SamplePredictions, type SamplePrediction } from './samplePredictions';
