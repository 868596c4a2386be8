/** Small helpers for command-line output: JSON lines on stdout, readable tables, relative times. */

export interface Out {
  /** stdout: results (JSON or text). */
  line(text: string): void;
  /** stderr: progress and errors, kept out of `--json` output. */
  err(text: string): void;
}

export const processOut: Out = {
  line: (t) => process.stdout.write(t + '\n'),
  err: (t) => process.stderr.write(t + '\n'),
};

/** Renders rows as a plain aligned table (no colours, safe for logs and pipes). */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (c ?? '').padEnd(widths[i]!)).join('  ').trimEnd();
  return [fmt(headers), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}

/** "in 5m", "3h ago", "now". */
export function relativeTime(when: Date | null, now = new Date()): string {
  if (!when) return '-';
  const diff = Math.round((when.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(diff);
  if (abs < 5) return 'now';
  const unit = abs < 90 ? `${abs}s` : abs < 5400 ? `${Math.round(abs / 60)}m` : abs < 172_800 ? `${Math.round(abs / 3600)}h` : `${Math.round(abs / 86400)}d`;
  return diff > 0 ? `in ${unit}` : `${unit} ago`;
}

/** Shortens text to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}
