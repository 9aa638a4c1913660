import { AccordError } from '../errors.js';

/**
 * An AccordError that also names the HTTP status it maps to. Domain code throws plain
 * AccordErrors; the HTTP layer maps their codes through a status table, and shells throw
 * HttpAccordError where the status is a transport concern (404, 413, 429...).
 */
export class HttpAccordError extends AccordError {
  readonly status: number;
  readonly details?: unknown;
  /** Extra response headers, e.g. `Retry-After` on 429. */
  readonly headers?: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    extra?: { details?: unknown; headers?: Record<string, string> },
  ) {
    super(code, message);
    this.name = 'HttpAccordError';
    this.status = status;
    this.details = extra?.details;
    this.headers = extra?.headers;
  }
}
