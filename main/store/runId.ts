import { randomBytes } from 'node:crypto';

/**
 * Run ids people can read and sort: UTC `YYYYMMDD-HHMMSS-xxxx` (4 random hex digits).
 * UTC keeps the text order equal to time order across time-zone and DST changes. Two
 * runs in the same second sort by their random suffix; `listRuns` orders by creation
 * time, not by id, so that never matters there.
 */
export function newRunId(now: Date, random: () => string = () => randomBytes(2).toString('hex')): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const date = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}`;
  const time = `${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  return `${date}-${time}-${random()}`;
}

export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[0-9a-f]{4}$/;
