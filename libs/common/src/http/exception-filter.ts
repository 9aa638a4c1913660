import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AccordError } from '../errors.js';
import type { ErrorBody } from './error-body.js';
import { HttpAccordError } from './http-error.js';

/** Maps a domain error code to an HTTP status; codes not listed map to 422. */
export type StatusByCode = Readonly<Record<string, number>>;

/** Body-parser and framework errors that carry a `type`, mapped to stable codes. */
const BODY_PARSER_CODES: Readonly<Record<string, { status: number; code: string }>> = {
  'entity.too.large': { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  'entity.parse.failed': { status: 400, code: 'MALFORMED_JSON' },
  'entity.too.deep': { status: 400, code: 'JSON_TOO_DEEP' },
  'encoding.unsupported': { status: 415, code: 'UNSUPPORTED_ENCODING' },
  'charset.unsupported': { status: 415, code: 'UNSUPPORTED_CHARSET' },
  'request.aborted': { status: 400, code: 'REQUEST_ABORTED' },
};

const CODE_BY_HTTP_STATUS: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/** An error mapped to an HTTP answer. */
export interface Mapped {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string>;
}

/**
 * Turns every error into `{code, message}` JSON with a 4xx status where the client is at
 * fault. Unknown errors become 500 `INTERNAL` and are logged with their stack: a 500 is a bug.
 */
@Catch()
export class AccordExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly statusByCode: StatusByCode = {}) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const mapped = this.map(exception);
    if (mapped.status >= 500) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(mapped.headers ?? {})) response.setHeader(name, value);
    response.status(mapped.status).json(mapped.body);
  }

  /** Exposed for tests: the status and body an exception maps to. */
  map(exception: unknown): Mapped {
    if (exception instanceof HttpAccordError) {
      return {
        status: exception.status,
        body: withDetails({ code: exception.code, message: exception.message }, exception.details),
        headers: exception.headers,
      };
    }
    if (exception instanceof AccordError) {
      const status = this.statusByCode[exception.code] ?? HttpStatus.UNPROCESSABLE_ENTITY;
      return { status, body: { code: exception.code, message: exception.message } };
    }
    const parserError = bodyParserError(exception);
    if (parserError) return parserError;
    if (exception instanceof HttpException) return fromHttpException(exception);
    return { status: 500, body: { code: 'INTERNAL', message: 'internal error' } };
  }
}

function withDetails(body: ErrorBody, details: unknown): ErrorBody {
  return details === undefined ? body : { ...body, details };
}

/** The status and body for a body-parser error (malformed JSON, too large...), if it is one. */
export function bodyParserError(exception: unknown): Mapped | undefined {
  if (typeof exception !== 'object' || exception === null || !('type' in exception)) return undefined;
  const type = (exception as { type: unknown }).type;
  if (typeof type !== 'string') return undefined;
  const known = BODY_PARSER_CODES[type];
  if (!known) return undefined;
  const message = exception instanceof Error ? exception.message : type;
  return { status: known.status, body: { code: known.code, message } };
}

function fromHttpException(exception: HttpException): Mapped {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const code = CODE_BY_HTTP_STATUS[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
  if (typeof response === 'object' && response !== null) {
    const record = response as Record<string, unknown>;
    if (typeof record.code === 'string' && typeof record.message === 'string') {
      return { status, body: withDetails({ code: record.code, message: record.message }, record.details) };
    }
    const message = Array.isArray(record.message) ? record.message.join('; ') : String(record.message ?? exception.message);
    return { status, body: { code, message } };
  }
  return { status, body: { code, message: String(response) } };
}
