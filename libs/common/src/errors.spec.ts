import { describe, expect, it } from 'vitest';
import { AccordError, isAccordError } from '#common';

describe('AccordError', () => {
  it('carries a stable code', () => {
    const error = new AccordError('NONCE_REPLAY', 'nonce 3 already used');
    expect(error.code).toBe('NONCE_REPLAY');
    expect(isAccordError(error)).toBe(true);
    expect(isAccordError(new Error('x'))).toBe(false);
  });
});
