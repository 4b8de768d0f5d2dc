// Prometheus metrics at /metrics: the process's defaults, HTTP requests by route and status, and
// the store's own counters. Each app has its own registry, so several can run in one process.

import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { StoreCounters } from '../workflows/context.js';

export interface StoreMetrics {
  registry: Registry;
  counters: StoreCounters;
}

export function createMetrics(): StoreMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vestnik_store_' });
  const posted = new Counter({
    name: 'vestnik_store_orders_posted_total',
    help: 'Orders posted (including re-posting).',
    registers: [registry],
  });
  const notified = new Counter({
    name: 'vestnik_store_courier_notifications_total',
    help: 'Courier notifications written (committed with their posting).',
    registers: [registry],
  });
  return {
    registry,
    counters: {
      ordersPosted: () => posted.inc(),
      notificationsSent: (count) => {
        if (count > 0) notified.inc(count);
      },
    },
  };
}

export function installMetrics(app: FastifyInstance, metrics: StoreMetrics): void {
  const duration = new Histogram({
    name: 'vestnik_store_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [metrics.registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unknown',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  app.get('/metrics', { schema: { hide: true }, config: { access: 'public' } }, async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
