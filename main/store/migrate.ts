import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';

/**
 * Numbered SQL migrations, applied in order when a store opens.
 *
 * The schema version lives in `PRAGMA user_version` (part of the database header, so it
 * commits or rolls back together with the migration that set it). Files are named
 * `NNN-what.sql`; numbers start at 1 and have no gaps, so a missing file is caught here
 * rather than silently skipped.
 */

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Raised when a database was written by a newer build than this one. */
export class StoreVersionError extends Error {
  readonly code = 'store_too_new';
  constructor(
    readonly file: string,
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `Store ${file} has schema version ${found}, but this build of VisionBench knows versions up to ${supported}. ` +
        'Open it with a newer VisionBench, or point --store / VISIONBENCH_STORE at another file.',
    );
  }
}

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
const FILE_PATTERN = /^(\d+)-[\w.-]+\.sql$/;

/** Reads the migration files next to this module, sorted by number and checked for gaps. */
export function loadMigrations(dir: URL | string = MIGRATIONS_DIR): Migration[] {
  const path = typeof dir === 'string' ? dir : fileURLToPath(dir);
  const migrations = fs
    .readdirSync(path)
    .map((name) => ({ name, match: FILE_PATTERN.exec(name) }))
    .filter((f): f is { name: string; match: RegExpExecArray } => f.match !== null)
    .map(({ name, match }) => ({ version: Number(match[1]), name, sql: fs.readFileSync(`${path}/${name}`, 'utf8') }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`Migrations in ${path} must be numbered 1, 2, 3… without gaps or repeats; found ${m.name} at position ${i + 1}`);
    }
  });
  return migrations;
}

/**
 * Brings the database up to the newest known version. All pending migrations run in one
 * IMMEDIATE transaction: a crash leaves the old version intact, and two processes opening
 * the same new file cannot both migrate it (the second re-reads the version after the lock).
 * Returns the version the database is at afterwards.
 */
export function migrate(db: Database.Database, file: string, migrations: Migration[] = loadMigrations()): number {
  const latest = migrations.length;
  const apply = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > latest) throw new StoreVersionError(file, current, latest);
    for (const m of migrations.slice(current)) {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
    return Math.max(current, latest);
  });
  return apply.immediate();
}
