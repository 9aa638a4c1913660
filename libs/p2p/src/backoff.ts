/** A source of uniform floats in [0, 1); `SeededRandom` from `#consensus` fits. */
export interface JitterSource {
  nextFloat(): number;
}

/** Reconnect backoff policy. */
export interface BackoffPolicy {
  /** Delay ceiling before the first retry. Default 100 ms. */
  readonly initialDelayMs: number;
  /** Upper bound of any delay. Default 5000 ms. */
  readonly maxDelayMs: number;
  /** Growth factor per failed attempt. Default 2. */
  readonly multiplier: number;
}

/** Defaults of {@link BackoffPolicy}. */
export const DEFAULT_BACKOFF: BackoffPolicy = { initialDelayMs: 100, maxDelayMs: 5000, multiplier: 2 };

/**
 * Delay before reconnect attempt number `attempt` (0 for the first retry): exponential growth
 * capped at maxDelayMs, with "equal jitter" (half fixed, half random) so that validators that lost
 * each other at the same moment do not redial in lockstep, while the delay stays at least half
 * the exponential step. Always within [0, maxDelayMs].
 */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: JitterSource): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.multiplier ** Math.max(0, attempt));
  return Math.min(policy.maxDelayMs, ceiling / 2 + (random.nextFloat() * ceiling) / 2);
}
