import { describe, expect, it } from 'vitest';
import { prototypeKeyIn } from './json-prototype-keys.js';

describe('prototypeKeyIn', () => {
  it('finds __proto__, constructor, prototype and other Object.prototype names at any depth, escaped spellings included', () => {
    expect(prototypeKeyIn(JSON.parse('{"level":"info","__proto__":0}'))).toBe('__proto__');
    expect(prototypeKeyIn(JSON.parse('{"a":{"b":[{"\\u005f_proto__":{"x":1}}]}}'))).toBe('__proto__');
    for (const key of ['constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(prototypeKeyIn(JSON.parse(`{"level":"info","x":[{"${key}":0}]}`)), key).toBe(key);
    }
  });

  it('passes ordinary bodies, scalars and arrays', () => {
    expect(prototypeKeyIn(JSON.parse('{"proto":[2],"x":{"protos":3},"":4,"txs":["00","11"]}'))).toBeUndefined();
    expect(prototypeKeyIn([1, [2, [3]]])).toBeUndefined();
    expect(prototypeKeyIn(undefined)).toBeUndefined();
  });
});
