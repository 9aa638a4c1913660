import fc from 'fast-check';
import type { JsonSchema } from './openapi.js';

/** Known-good values by property or parameter name, so handlers get past lookups and run. */
export type Samples = Readonly<Record<string, readonly unknown[]>>;

/** Strings that have broken parsers before: empty, numeric edge cases, traversal, injection, odd unicode. */
export const EDGE_STRINGS: readonly string[] = [
  '',
  ' ',
  '0',
  '-0',
  '-1',
  '1.5',
  '1e309',
  '9007199254740993',
  '18446744073709551616',
  '99999999999999999999999999999999',
  'NaN',
  'Infinity',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'prototype',
  '../../../../etc/passwd',
  '..',
  '.',
  '%00',
  '\u0000',
  '\u0000abc',
  '\r\nX-Injected: 1',
  '\uffff',
  '\ud800',
  '\udfff\ud800',
  '\u202eevil',
  '🦄💥',
  'é'.normalize('NFD'),
  "' OR '1'='1' --",
  '"; DROP TABLE members; --',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  '0x',
  '0x00',
  'zz',
  'a'.repeat(300),
  'ff'.repeat(33),
  '0'.repeat(64),
];

/** Any string: short random ones (any code point, lone surrogates included), edge cases, huge ones. */
export const junkString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 4, arbitrary: fc.constantFrom(...EDGE_STRINGS) },
  { weight: 2, arbitrary: fc.stringMatching(/^(0x)?[0-9a-fA-F]{0,80}$/) },
  { weight: 1, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: fc.constantFrom(4_096, 70_000).chain((n) => fc.constantFrom('x', 'é', '\u0000', '𝕏').map((c) => c.repeat(n))) },
);

/** Junk for URLs and headers: the same, cut to lengths that fit the server's 16 KiB header limit. */
export const shortJunk: fc.Arbitrary<string> = junkString.map((s) => (s.length > 1_000 ? s.slice(0, 1_000) : s));

/** Numbers around every boundary JSON and JavaScript care about. */
export const junkNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1, -1, 0.5, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 2 ** 64, 1e308, -1e308, 5e-324),
);

/** Deeply nested arrays or objects (parsers and validators recurse); deeper ones go as raw text, see `deepJsonText`. */
export const deepJunk: fc.Arbitrary<unknown> = fc.tuple(fc.constantFrom(10, 100, 1_000), fc.boolean()).map(([depth, arrays]) => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { a: value };
  return value;
});

/** JSON text nested deeper than JSON.stringify can write (JSON.parse reads it). */
export const deepJsonText: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(5_000, 20_000, 100_000), fc.boolean(), fc.constantFrom('', '"tx":', '"name":'))
  .map(([depth, arrays, prefix]) => (arrays ? `{${prefix || '"x":'}${'['.repeat(depth)}1${']'.repeat(depth)}}` : `{${prefix}${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`.replace(/^\{\{/, '{"x":{')));

/** Any JSON value, including deep and huge ones. */
export const junkJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 2, arbitrary: junkString },
  { weight: 2, arbitrary: junkNumber },
  { weight: 1, arbitrary: deepJunk },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { '': '' }) },
);

function stringArb(schema: JsonSchema): fc.Arbitrary<string> {
  const options: fc.Arbitrary<string>[] = [junkString];
  if (schema.enum?.length) options.push(fc.constantFrom(...schema.enum.map(String)), fc.constantFrom(...schema.enum.map(String)));
  if (schema.format === 'uuid') options.push(fc.uuid(), fc.uuid());
  if (schema.pattern) options.push(fc.stringMatching(new RegExp(schema.pattern)), fc.stringMatching(new RegExp(schema.pattern)));
  const lengths = [schema.minLength, schema.maxLength].filter((n): n is number => n !== undefined).flatMap((n) => [n - 1, n, n + 1]).filter((n) => n >= 0);
  if (lengths.length) options.push(fc.constantFrom(...lengths).map((n) => 'k'.repeat(n)));
  options.push(fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.max(schema.minLength ?? 0, Math.min(schema.maxLength ?? 60, 60)) }));
  return fc.oneof(...options);
}

function numberArb(schema: JsonSchema): fc.Arbitrary<number> {
  const options: fc.Arbitrary<number>[] = [junkNumber];
  const { minimum: min, maximum: max } = schema;
  if (min !== undefined || max !== undefined) {
    const low = Math.ceil(min ?? Math.min(0, max ?? 0));
    const high = Math.floor(max ?? low + 1_000_000);
    if (low <= high) options.push(fc.integer({ min: low, max: high }), fc.integer({ min: low, max: high }));
    options.push(fc.constantFrom(...[min, max].filter((n): n is number => n !== undefined).flatMap((n) => [n - 1, n, n + 1, n + 0.5])));
  } else {
    options.push(fc.integer({ min: 0, max: 100_000 }));
  }
  return fc.oneof(...options);
}

/**
 * A value shaped like `schema` (right JSON types, enum members, lengths and ranges around their
 * bounds, known samples by name), with random contents: such a body may well be valid.
 */
export function valueFor(schema: JsonSchema, samples: Samples, name = '', depth = 0): fc.Arbitrary<unknown> {
  const known = samples[name];
  const shaped = shapedValue(schema, samples, name, depth);
  return known?.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 2, arbitrary: shaped }) : shaped;
}

function shapedValue(schema: JsonSchema, samples: Samples, name: string, depth: number): fc.Arbitrary<unknown> {
  switch (schema.type) {
    case 'string':
      return stringArb(schema);
    case 'number':
    case 'integer':
      return numberArb(schema);
    case 'boolean':
      return fc.boolean();
    case 'array': {
      const item = schema.items && depth < 4 ? valueFor(schema.items, samples, `${name}[]`, depth + 1) : junkJson;
      const maxLength = Math.min((schema.maxItems ?? 8) + 1, 12);
      return fc.oneof(
        { weight: 5, arbitrary: fc.array(item, { maxLength }) },
        // The maximum and one past it (e.g. 1,001 transactions in a batch of at most 1,000).
        { weight: 1, arbitrary: fc.constantFrom(...[schema.maxItems, (schema.maxItems ?? 0) + 1].filter((n): n is number => n !== undefined && n > 0)).chain((n) => item.map((v) => Array.from({ length: n }, () => v))) },
      );
    }
    case 'object':
    default:
      return objectFor(schema, samples, depth);
  }
}

/**
 * A value meant to satisfy `schema`: a known sample, an enum member, a number in range, a string
 * of the pattern and lengths; such bodies get past validation and make the handlers work.
 */
export function conformingValueFor(schema: JsonSchema, samples: Samples, name = '', depth = 0): fc.Arbitrary<unknown> {
  const known = samples[name];
  if (known?.length) return fc.constantFrom(...known);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'string':
      if (schema.format === 'uuid') return fc.uuid();
      if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern));
      return fc.string({ minLength: schema.minLength ?? 1, maxLength: Math.max(schema.minLength ?? 1, Math.min(schema.maxLength ?? 40, 40)) });
    case 'number':
    case 'integer':
      return fc.integer({ min: Math.ceil(schema.minimum ?? 0), max: Math.floor(schema.maximum ?? 1_000_000) });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(schema.items ? conformingValueFor(schema.items, samples, `${name}[]`, depth + 1) : fc.string(), { minLength: Math.max(1, schema.minItems ?? 0), maxLength: Math.min(schema.maxItems ?? 5, 5) });
    default:
      return objectFor(schema, samples, depth, conformingValueFor);
  }
}

/** An object with every required property and a random subset of the optional ones. */
export function objectFor(schema: JsonSchema, samples: Samples, depth = 0, value: typeof valueFor = valueFor): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0 || depth > 4) return fc.constant({});
  const required = new Set(schema.required ?? []);
  const record = Object.fromEntries(properties.map(([name, property]) => [name, value(property, samples, name, depth + 1)]));
  const requiredKeys = properties.map(([name]) => name).filter((name) => required.has(name));
  return fc.record(record, { requiredKeys }) as fc.Arbitrary<Record<string, unknown>>;
}

/** A value of another JSON type than `schema` asks for. */
export function wrongTypeFor(schema: JsonSchema): fc.Arbitrary<unknown> {
  const candidates: fc.Arbitrary<unknown>[] = [fc.constant(null), fc.constant({}), fc.array(fc.integer(), { maxLength: 3 }), deepJunk];
  if (schema.type !== 'string') candidates.push(junkString);
  if (schema.type !== 'number' && schema.type !== 'integer') candidates.push(junkNumber);
  if (schema.type !== 'boolean') candidates.push(fc.boolean());
  if (schema.type !== 'object') candidates.push(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }));
  return fc.oneof(...candidates);
}

/** Property names that are unusual on purpose (prototype keys, empty, unicode, huge). */
export const oddKey: fc.Arbitrary<string> = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype', '', ' ', 'toString', 'hasOwnProperty', 'tx ', 'TX', 'k'.repeat(1_000)));

/** A schema-shaped object broken in one way: a wrong type, a missing required field, an unknown field. */
export function brokenObjectFor(schema: JsonSchema, samples: Samples): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.entries(schema.properties ?? {});
  const required = schema.required ?? [];
  const options: fc.Arbitrary<Record<string, unknown>>[] = [
    fc.tuple(objectFor(schema, samples), oddKey, junkJson).map(([object, key, value]) => withOwn(object, key, value)),
  ];
  if (properties.length) {
    options.push(
      fc.tuple(objectFor(schema, samples), fc.constantFrom(...properties)).chain(([object, [name, property]]) => wrongTypeFor(property).map((value) => withOwn(object, name, value))),
    );
  }
  if (required.length) {
    options.push(
      fc.tuple(objectFor(schema, samples), fc.constantFrom(...required)).map(([object, name]) => {
        const copy = { ...object };
        delete copy[name];
        return copy;
      }),
    );
  }
  return fc.oneof(...options);
}

/** Sets an own property, even `__proto__`, as JSON.parse would. */
function withOwn(object: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...object };
  Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}
