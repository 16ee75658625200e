import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A file written under the store's data folder, as rows reference it. */
export interface StoredFile {
  /** Relative to the data folder with `/` separators, so a store and its folder can move together. */
  path: string;
  absolutePath: string;
  sha256: string;
  bytes: number;
}

const TMP_SUFFIX = '.tmp';

/**
 * Writes `bytes` to `file` so that a reader — or a process killed half-way through —
 * finds either the previous file or the complete new one, never a torn one: write a
 * temporary file beside it, fsync it, rename it over the target (atomic on POSIX and
 * NTFS), then fsync the folder so the rename itself is durable.
 */
export function writeFileAtomic(file: string, bytes: Uint8Array): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}${TMP_SUFFIX}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
  try {
    const dirFd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  } catch {
    // Folders cannot be opened for fsync on Windows; the rename is still atomic there.
  }
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The files of one store's data folder: paths in rows are relative to it and may not leave it. */
export class DataFolder {
  constructor(readonly root: string) {}

  /** An absolute path for a relative one, refusing any that would leave the folder. */
  resolve(relative: string): string {
    const absolute = path.resolve(this.root, relative);
    const inside = path.relative(this.root, absolute);
    if (!relative || path.isAbsolute(relative) || inside.startsWith('..') || path.isAbsolute(inside)) {
      throw new Error(`${JSON.stringify(relative)} is not a path inside the store's data folder`);
    }
    return absolute;
  }

  write(relative: string, bytes: Uint8Array): StoredFile {
    const absolutePath = this.resolve(relative);
    writeFileAtomic(absolutePath, bytes);
    return { path: toPosix(path.relative(this.root, absolutePath)), absolutePath, sha256: sha256Of(bytes), bytes: bytes.byteLength };
  }

  /** The file's bytes, refused when they do not hash to `sha256` (a damaged or replaced file). */
  read(relative: string, sha256?: string): Buffer {
    const absolute = this.resolve(relative);
    const bytes = fs.readFileSync(absolute);
    if (sha256 !== undefined) {
      const actual = sha256Of(bytes);
      if (actual !== sha256) throw new Error(`${absolute} does not match its record (sha256 ${actual}, recorded ${sha256}): it was damaged or replaced`);
    }
    return bytes;
  }

  remove(relative: string): void {
    fs.rmSync(this.resolve(relative), { force: true });
  }

  /**
   * Removes temporary files a killed writer left in `relativeDir` (any but this process's).
   * Their targets are intact: a temporary file only ever replaces its target whole.
   */
  removeLeftoverTemporaries(relativeDir: string): void {
    const dir = this.resolve(relativeDir);
    if (!fs.existsSync(dir)) return;
    const mine = `.${process.pid}${TMP_SUFFIX}`;
    for (const name of fs.readdirSync(dir)) {
      if (name.endsWith(TMP_SUFFIX) && !name.endsWith(mine)) fs.rmSync(path.join(dir, name), { force: true });
    }
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
