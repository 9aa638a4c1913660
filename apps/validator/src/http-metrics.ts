import type { NextFunction, Request, Response } from 'express';
import { performance } from 'node:perf_hooks';
import type { NodeMetrics } from './node/node-metrics.js';

/** Counts requests and their latency by route pattern (not raw path: bounded label values). */
export function httpMetricsMiddleware(metrics: NodeMetrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = performance.now();
    response.on('finish', () => {
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      metrics.httpRequests.inc({ method: request.method, route, status: String(response.statusCode) });
      metrics.httpRequestSeconds.observe({ method: request.method, route }, (performance.now() - started) / 1000);
    });
    next();
  };
}
