import { AccordError } from '#common';

/** Bounds and hints of a mempool. */
export interface MempoolConfig {
  /** Global bound on pooled transactions. */
  maxTxs: number;
  /** Global bound on the summed encoded size of pooled transactions. */
  maxBytes: number;
  /** Bound on the transactions one sender may have pooled. */
  maxPerSender: number;
  /** Nonce window: nonces more than this beyond the account's next nonce are refused. */
  maxNonceAheadOfState: number;
  /** Hint returned with back-pressure rejections (`MEMPOOL_FULL`, `SENDER_QUEUE_FULL`). */
  retryAfterMs: number;
  /**
   * Fill ratio (of `maxTxs` or `maxBytes`, whichever is higher) from which `isUnderPressure()`
   * is true, so producers slow down before admissions start failing.
   */
  pressureRatio: number;
}

/** The defaults for every field not given. */
export const DEFAULT_MEMPOOL_CONFIG: Readonly<MempoolConfig> = Object.freeze({
  maxTxs: 50_000,
  maxBytes: 64 * 1024 * 1024,
  maxPerSender: 1_000,
  maxNonceAheadOfState: 1_000,
  retryAfterMs: 1_000,
  pressureRatio: 0.9,
});

function requireInteger(name: keyof MempoolConfig, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new AccordError('INVALID_MEMPOOL_CONFIG', `mempool ${name} must be an integer >= ${min}, got ${value}`);
  }
}

/** Fills in defaults and validates; throws AccordError `INVALID_MEMPOOL_CONFIG`. */
export function resolveMempoolConfig(partial: Partial<MempoolConfig> = {}): MempoolConfig {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined));
  const config: MempoolConfig = { ...DEFAULT_MEMPOOL_CONFIG, ...defined };
  requireInteger('maxTxs', config.maxTxs, 1);
  requireInteger('maxBytes', config.maxBytes, 1);
  requireInteger('maxPerSender', config.maxPerSender, 1);
  requireInteger('maxNonceAheadOfState', config.maxNonceAheadOfState, 0);
  requireInteger('retryAfterMs', config.retryAfterMs, 0);
  if (!(config.pressureRatio > 0 && config.pressureRatio <= 1)) {
    throw new AccordError('INVALID_MEMPOOL_CONFIG', `mempool pressureRatio must be in (0, 1], got ${config.pressureRatio}`);
  }
  return config;
}
