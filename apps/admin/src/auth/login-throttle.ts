/** Throttling policy: after `maxFailures` within `windowMs`, further attempts wait `lockoutMs`. */
export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  lockoutMs: number;
}

/** Default: 5 failures in 15 minutes locks the key for 5 minutes. */
export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockoutMs: 5 * 60_000 };

interface Counter {
  failures: number[];
  lockedUntilMs: number;
}

/**
 * Counts failed logins per key (a username, an IP address) in memory. A lockout answers
 * "retry after N seconds" without checking the password at all, so guessing stays slow even
 * when the attacker has the right password at some point.
 */
export class LoginThrottle {
  private readonly counters = new Map<string, Counter>();

  constructor(private readonly policy: ThrottlePolicy = DEFAULT_THROTTLE_POLICY) {}

  /** Seconds to wait before `key` may try again, or 0 when it may try now. */
  retryAfterSeconds(key: string, nowMs: number): number {
    const counter = this.counters.get(key);
    if (!counter || counter.lockedUntilMs <= nowMs) return 0;
    return Math.ceil((counter.lockedUntilMs - nowMs) / 1000);
  }

  /** Records a failure; locks the key when the policy's threshold is reached. */
  recordFailure(key: string, nowMs: number): void {
    const counter = this.counters.get(key) ?? { failures: [], lockedUntilMs: 0 };
    counter.failures = counter.failures.filter((at) => nowMs - at < this.policy.windowMs);
    counter.failures.push(nowMs);
    if (counter.failures.length >= this.policy.maxFailures) {
      counter.lockedUntilMs = nowMs + this.policy.lockoutMs;
      counter.failures = [];
    }
    this.counters.set(key, counter);
  }

  /** Forgets a key's failures after a successful login. */
  recordSuccess(key: string): void {
    this.counters.delete(key);
  }
}
