/** /healthz (the process is up), /readyz (its database and Redis answer) and /metrics. */
import type { Metrics } from '../metrics.ts';
import type { Db } from '../store/db.ts';
import type { Route } from './server.ts';

export interface HealthDeps {
  db: Db;
  metrics: Metrics;
  /** Redis ping, when this process uses Redis. */
  redisPing?: () => Promise<boolean>;
}

/** Health and metrics routes. */
export function healthRoutes(deps: HealthDeps): Route[] {
  const text = (status: number, body: string, type = 'text/plain; charset=utf-8') => ({
    status, headers: { 'content-type': type }, body,
  });
  return [
    { method: 'GET', path: '/healthz', handler: () => text(200, 'ok\n') },
    {
      method: 'GET',
      path: '/readyz',
      async handler() {
        const checks: Record<string, boolean> = {};
        try {
          await deps.db.query('select 1');
          checks.database = true;
        } catch {
          checks.database = false;
        }
        if (deps.redisPing) checks.redis = await deps.redisPing();
        const ok = Object.values(checks).every(Boolean);
        return text(ok ? 200 : 503, JSON.stringify({ ready: ok, checks }) + '\n', 'application/json');
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      async handler() {
        const { rows } = await deps.db.query<{ status: string; n: number }>(
          'select status, count(*)::int as n from feeds group by status',
        );
        for (const s of ['active', 'failing', 'disabled']) {
          const n = rows.find((r) => r.status === s)?.n ?? 0;
          deps.metrics.set('frontera_feeds', { status: s }, Number(n), 'Feeds by status');
        }
        const a = await deps.db.query<{ n: number }>('select count(*)::int as n from articles');
        deps.metrics.set('frontera_articles', {}, Number(a.rows[0]?.n ?? 0), 'Articles stored');
        return text(200, deps.metrics.render(), 'text/plain; version=0.0.4');
      },
    },
  ];
}
