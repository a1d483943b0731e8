// Prometheus text exposition of what an operator watches: requests and their latency by route
// and status, the compiled matchers' size, and counters services add to (ingest, delivery).
// Per process: each server exposes its own, as Prometheus expects. Collectors add families read
// at scrape time from elsewhere (the feeds' state, from the store).
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

function labels(l: Record<string, string>): string {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

/** A metric family with labelled samples, as a collector reports it at scrape time. */
export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly samples: readonly { readonly labels: Record<string, string>; readonly value: number }[];
}

export class Metrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, { buckets: number[]; sum: number; count: number }>();
  private readonly counters = new Map<string, { help: string; values: Map<string, number> }>();
  private readonly gauges = new Map<string, { help: string; read: () => number }>();
  private readonly collectors: (() => Promise<readonly MetricFamily[]>)[] = [];

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = labels({ method, route, status: String(status) });
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const lk = labels({ method, route });
    let h = this.latency.get(lk);
    if (!h) this.latency.set(lk, (h = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) h.buckets[i]!++;
    });
    h.sum += seconds;
    h.count++;
  }

  count(name: string, help: string, l: Record<string, string> = {}, by = 1): void {
    let c = this.counters.get(name);
    if (!c) this.counters.set(name, (c = { help, values: new Map() }));
    const key = labels(l);
    c.values.set(key, (c.values.get(key) ?? 0) + by);
  }

  gauge(name: string, help: string, read: () => number): void {
    this.gauges.set(name, { help, read });
  }

  /** Families read at each scrape; a collector that fails leaves its families out of that scrape. */
  collect(collector: () => Promise<readonly MetricFamily[]>): void {
    this.collectors.push(collector);
  }

  async render(): Promise<string> {
    const collected = await Promise.all(this.collectors.map((c) => c().catch((): readonly MetricFamily[] => [])));
    return this.renderWith(collected.flat());
  }

  private renderWith(families: readonly MetricFamily[]): string {
    const out: string[] = [];
    out.push('# HELP warren_http_requests_total HTTP requests by method, route and status.', '# TYPE warren_http_requests_total counter');
    for (const [k, v] of this.requests) out.push(`warren_http_requests_total${k} ${v}`);
    out.push('# HELP warren_http_request_duration_seconds HTTP request latency.', '# TYPE warren_http_request_duration_seconds histogram');
    for (const [k, h] of this.latency) {
      const inner = k.slice(1, -1);
      BUCKETS.forEach((b, i) => out.push(`warren_http_request_duration_seconds_bucket{${inner},le="${b}"} ${h.buckets[i]}`));
      out.push(`warren_http_request_duration_seconds_bucket{${inner},le="+Inf"} ${h.count}`);
      out.push(`warren_http_request_duration_seconds_sum${k} ${h.sum}`, `warren_http_request_duration_seconds_count${k} ${h.count}`);
    }
    for (const [name, c] of this.counters) {
      out.push(`# HELP ${name} ${c.help}`, `# TYPE ${name} counter`);
      for (const [k, v] of c.values) out.push(`${name}${k} ${v}`);
    }
    for (const [name, g] of this.gauges) out.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`, `${name} ${g.read()}`);
    for (const f of families) {
      if (f.samples.length === 0) continue;
      out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`);
      for (const s of f.samples) out.push(`${f.name}${labels(s.labels)} ${s.value}`);
    }
    return `${out.join('\n')}\n`;
  }
}
