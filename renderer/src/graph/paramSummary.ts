/**
 * The one-line summary of a node's params shown on the canvas, e.g. `32 ch · 3×3 s2 p1`.
 * Only params written in the IR are shown; defaults stay in the inspector. Window params
 * (kernel, stride, padding, dilation) read as one group, the way papers write them.
 */
const FORMATTERS: Record<string, (v: unknown) => string | null> = {
  outChannels: (v) => `${v} ch`,
  outFeatures: (v) => `${v} out`,
  classes: (v) => `${v} classes`,
  groups: (v) => (v === 1 ? null : `groups ${v}`),
  bias: (v) => (v === false ? 'no bias' : null),
};

const WINDOW: Record<string, (v: unknown) => string | null> = {
  kernel: (v) => `${v}×${v}`,
  stride: (v) => (v === 1 ? null : `s${v}`),
  padding: (v) => (typeof v === 'number' ? (v === 0 ? null : `p${v}`) : String(v)),
  dilation: (v) => (v === 1 ? null : `d${v}`),
};

/** Input nodes read better as their shape alone; the summary skips what the shape line says. */
const SKIP: Record<string, string[]> = { Input: ['channels', 'height', 'width'] };

export function paramSummary(type: string, params: Record<string, unknown>): string {
  const skip = SKIP[type] ?? [];
  const parts: string[] = [];
  const window: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (skip.includes(key)) continue;
    if (WINDOW[key]) {
      const text = WINDOW[key](value);
      if (text) window.push(text);
      continue;
    }
    const format = FORMATTERS[key];
    const text = format ? format(value) : `${key} ${formatValue(value)}`;
    if (text) parts.push(text);
  }
  if (window.length > 0) parts.splice(Math.min(1, parts.length), 0, window.join(' '));
  return parts.join(' · ');
}

export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  return JSON.stringify(value);
}
