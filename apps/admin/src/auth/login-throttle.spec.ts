import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.js';

describe('LoginThrottle', () => {
  const policy = { maxFailures: 3, windowMs: 60_000, lockoutMs: 30_000 };

  it('locks a key after maxFailures within the window, until the lockout ends', () => {
    const throttle = new LoginThrottle(policy);
    throttle.recordFailure('user:a', 0);
    throttle.recordFailure('user:a', 1_000);
    expect(throttle.retryAfterSeconds('user:a', 1_000)).toBe(0);
    throttle.recordFailure('user:a', 2_000);
    expect(throttle.retryAfterSeconds('user:a', 2_000)).toBe(30);
    expect(throttle.retryAfterSeconds('user:a', 31_500)).toBe(1);
    expect(throttle.retryAfterSeconds('user:a', 32_000)).toBe(0);
    expect(throttle.retryAfterSeconds('user:b', 2_000)).toBe(0);
  });

  it('forgets failures older than the window and after a success', () => {
    const throttle = new LoginThrottle(policy);
    throttle.recordFailure('k', 0);
    throttle.recordFailure('k', 1_000);
    throttle.recordFailure('k', 70_000);
    expect(throttle.retryAfterSeconds('k', 70_000)).toBe(0);
    throttle.recordSuccess('k');
    throttle.recordFailure('k', 71_000);
    throttle.recordFailure('k', 72_000);
    expect(throttle.retryAfterSeconds('k', 72_000)).toBe(0);
  });
});
