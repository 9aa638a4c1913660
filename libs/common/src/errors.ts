/**
 * An error with a stable, machine-readable code. Every layer of Accord throws these (or
 * subclasses) so that REST maps them to `{code, message}` and Kafka to a DLQ reason header
 * without string matching.
 */
export class AccordError extends Error {
  /** Stable identifier, e.g. `NONCE_REPLAY`; part of the public API. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AccordError';
    this.code = code;
  }
}

/** True when `value` is an AccordError carrying a code. */
export function isAccordError(value: unknown): value is AccordError {
  return value instanceof AccordError;
}
