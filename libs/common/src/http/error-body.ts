/** The JSON body of every error response from an Accord REST API. */
export interface ErrorBody {
  /** Stable machine-readable code, e.g. `VALIDATION_FAILED`, `NONCE_REPLAY`. */
  code: string;
  /** Human-readable explanation; may change between versions. */
  message: string;
  /** Optional structured details (e.g. which fields failed validation). */
  details?: unknown;
}
