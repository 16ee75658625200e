/** CLI exit codes (DESIGN.md §5): 0 ok, 1 invalid input, 2 internal failure. */
export const EXIT_OK = 0;
export const EXIT_INVALID_INPUT = 1;
export const EXIT_INTERNAL = 2;

/** An error caused by what the user gave us; its message lists every problem. */
export class InvalidInputError extends Error {
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** One JSON object per line: long commands stream events, the last line is the summary. */
export function printJsonLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export function printTable(rows: string[][], rightAligned: number[] = []): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const row of rows) {
    const cells = row.map((cell, c) => (rightAligned.includes(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c])));
    process.stdout.write(`${cells.join('  ').trimEnd()}\n`);
  }
}
