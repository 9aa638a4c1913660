import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, Response } from 'express';
import { pino, type Level, type Logger } from 'pino';
import { Counter, Histogram, type Registry } from 'prom-client';
import { HttpAccordError } from '../http/http-error.js';

/** Log levels an operator may switch to at runtime. */
export const LOG_LEVELS: readonly Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/** A structured (JSON) logger; level from `LOG_LEVEL` (default info). */
export function createLogger(name: string): Logger {
  return pino({ name, level: process.env.LOG_LEVEL ?? 'info', redact: ['req.headers.authorization', '*.privateKey', '*.password'] });
}

/** Changes a logger's level at runtime; throws 400 `INVALID_LOG_LEVEL` for unknown levels. */
export function setLogLevel(logger: Logger, level: string): { level: string; previous: string } {
  if (!LOG_LEVELS.includes(level as Level)) throw new HttpAccordError(400, 'INVALID_LOG_LEVEL', `level must be one of ${LOG_LEVELS.join(', ')}`);
  const previous = logger.level;
  logger.level = level;
  return { level, previous };
}

/** HTTP request metrics by route pattern (bounded label values), units in names. */
export class HttpMetrics {
  readonly requests: Counter;
  readonly durationSeconds: Histogram;

  constructor(registry: Registry) {
    this.requests = new Counter({ name: 'accord_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'], registers: [registry] });
    this.durationSeconds = new Histogram({
      name: 'accord_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers: [registry],
    });
  }
}

/**
 * Gives every request an id (the caller's `X-Request-Id`, or a new one), echoes it in the
 * response, counts the request and logs one structured line when it finishes.
 */
export function requestObservability(logger: Logger, metrics: HttpMetrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = performance.now();
    const incoming = request.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    response.setHeader('X-Request-Id', requestId);
    response.on('finish', () => {
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const durationMs = performance.now() - started;
      metrics.requests.inc({ method: request.method, route, status: String(response.statusCode) });
      metrics.durationSeconds.observe({ method: request.method, route }, durationMs / 1000);
      const level = response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'info' : 'debug';
      logger[level]({ requestId, method: request.method, route, path: request.path, status: response.statusCode, durationMs: Math.round(durationMs * 10) / 10 }, 'http request');
    });
    next();
  };
}
