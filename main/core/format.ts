/** Numbers for people: 11.7 M params, 1.8 GFLOPs, 3.2 MB. */

const UNITS = [
  { value: 1e12, suffix: 'T' },
  { value: 1e9, suffix: 'G' },
  { value: 1e6, suffix: 'M' },
  { value: 1e3, suffix: 'k' },
];

/** 11689512 → "11.7 M"; 950 → "950". */
export function formatCount(n: number): string {
  for (const { value, suffix } of UNITS) {
    if (Math.abs(n) >= value) return `${trim(n / value)} ${suffix}`;
  }
  return String(Math.round(n));
}

/** 3.64e9 → "3.64 GFLOPs". */
export function formatFlops(n: number): string {
  for (const { value, suffix } of UNITS) {
    if (Math.abs(n) >= value) return `${trim(n / value)} ${suffix}FLOPs`;
  }
  return `${Math.round(n)} FLOPs`;
}

/** Bytes in binary units: 5677736 → "5.4 MiB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (Math.abs(n) >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${trim(n)} ${units[i]}`;
}

export function formatShapeForPeople(shape: readonly number[] | null): string {
  return shape ? shape.join('×') : '?';
}

function trim(x: number): string {
  const digits = Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2;
  return Number(x.toFixed(digits)).toString();
}
