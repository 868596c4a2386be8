/**
 * Process metrics in Prometheus text format. Counters are incremented by the jobs; gauges are
 * read from the database when /metrics is scraped.
 */
export type Labels = Record<string, string>;

interface Series {
  help: string;
  type: 'counter' | 'gauge';
  values: Map<string, number>;
}

/** A tiny metrics registry: enough for counters and gauges with labels. */
export class Metrics {
  private series = new Map<string, Series>();

  /** Adds `by` to a counter. Example: metrics.inc('frontera_polls_total', { outcome: 'changed' }). */
  inc(name: string, labels: Labels = {}, by = 1, help = ''): void {
    const s = this.get(name, 'counter', help);
    const key = labelKey(labels);
    s.values.set(key, (s.values.get(key) ?? 0) + by);
  }

  /** Sets a gauge. */
  set(name: string, labels: Labels, value: number, help = ''): void {
    this.get(name, 'gauge', help).values.set(labelKey(labels), value);
  }

  /** Current value of one series (tests, the dashboard). */
  value(name: string, labels: Labels = {}): number {
    return this.series.get(name)?.values.get(labelKey(labels)) ?? 0;
  }

  /** Renders every series in the Prometheus exposition format. */
  render(): string {
    const out: string[] = [];
    for (const [name, s] of this.series) {
      if (s.help) out.push(`# HELP ${name} ${s.help}`);
      out.push(`# TYPE ${name} ${s.type}`);
      for (const [key, v] of s.values) out.push(`${name}${key} ${v}`);
    }
    return out.join('\n') + '\n';
  }

  private get(name: string, type: Series['type'], help: string): Series {
    let s = this.series.get(name);
    if (!s) {
      s = { help, type, values: new Map() };
      this.series.set(name, s);
    }
    if (help && !s.help) s.help = help;
    return s;
  }
}

function labelKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return '';
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `{${keys.map((k) => `${k}="${esc(labels[k]!)}"`).join(',')}}`;
}
