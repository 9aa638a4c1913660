import { describe, expect, it } from 'vitest';
import { bodyParserError } from './exception-filter.js';
import { assertJsonDepth, JsonTooDeepError } from './json-depth.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const nested = (depth: number): string => `${'{"a":'.repeat(depth - 1)}[${'1'}]${'}'.repeat(depth - 1)}`;

describe('assertJsonDepth', () => {
  it('accepts nesting up to the limit and rejects one level more', () => {
    expect(() => assertJsonDepth(bytes(nested(64)), 64)).not.toThrow();
    expect(() => assertJsonDepth(bytes(nested(65)), 64)).toThrow(JsonTooDeepError);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(() => assertJsonDepth(bytes(JSON.stringify({ tx: '[[[[{{{{', note: 'say \\"[[[" and {{{' })), 2)).not.toThrow();
  });

  it('maps to 400 JSON_TOO_DEEP', () => {
    let error: unknown;
    try {
      assertJsonDepth(bytes('[[[[[[[[[[1]]]]]]]]]]'), 3);
    } catch (caught) {
      error = caught;
    }
    expect(bodyParserError(error)).toEqual({ status: 400, body: { code: 'JSON_TOO_DEEP', message: 'JSON nested deeper than 3 levels' } });
  });
});
