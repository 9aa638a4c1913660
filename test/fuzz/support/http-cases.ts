import fc from 'fast-check';
import { brokenObjectFor, conformingValueFor, deepJsonText, junkJson, objectFor, shortJunk, valueFor, type Samples } from './arbitraries.js';
import type { FuzzOperation, JsonSchema } from './openapi.js';
import type { RawRequest } from './raw-http.js';

/** Credentials a case is sent with. */
export interface AuthVariant {
  name: string;
  headers: () => Record<string, string>;
  /** Whether these credentials let a secured operation run. */
  grantsAccess: boolean;
}

/** A generated request and what the server must do with it. */
export interface HttpCase extends RawRequest {
  /** How the body was made, for the statistics and the failure message. */
  bodyKind: string;
  /** Set when the request is invalid by construction: it must be refused (4xx), never served. */
  mustRefuse?: string;
}

/** What case generation needs to know about the target app. */
export interface CaseContext {
  samples: Samples;
  maxBodyBytes: number;
  /** Whether `value` satisfies the schema (a JSON Schema validator). */
  conforms(schema: JsonSchema, value: unknown): boolean;
}

const CLEAN_JSON_TYPE = /^application\/(json|[a-z0-9.+-]*\+json)\s*(;\s*charset="?utf-8"?\s*)?$/i;

/** Percent-encodes every byte but the unreserved ones (lone surrogates become U+FFFD, as on the wire). */
export function percentEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Fragments glued raw into a path segment: bad escapes, encoded separators, overlong UTF-8. */
const RAW_PATH_JUNK = ['', '', '', '', '%', '%z', '%zz', '%C0%AF', '%ED%A0%80', '%FF', '%00', '%2F', '%2e%2e', ';x=1', '%u0041', '+', '*', "'", '(', '!'];

function pathValue(param: { name: string }, samples: Samples): fc.Arbitrary<string> {
  const known = samples[param.name] ?? [];
  const value = fc.oneof(
    { weight: 5, arbitrary: shortJunk.filter((s) => s.length > 0) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String) },
    ...(known.length ? [{ weight: 3, arbitrary: fc.constantFrom(...known.map(String)) }] : []),
  );
  return fc.tuple(value, fc.constantFrom(...RAW_PATH_JUNK), fc.boolean()).map(([v, junk, before]) => {
    const encoded = percentEncode(v);
    return before ? junk + encoded : encoded + junk;
  });
}

function queryString(operation: FuzzOperation, samples: Samples): fc.Arbitrary<string> {
  const documented = operation.queryParams.map((param) =>
    fc.option(
      fc.oneof(valueFor(param.schema ?? {}, samples, param.name), shortJunk).map((v) => `${percentEncode(param.name)}=${percentEncode(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`),
      { nil: '' },
    ),
  );
  const extras = fc.array(
    fc.oneof(
      fc.tuple(shortJunk, shortJunk).map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`),
      fc.constantFrom('a', 'a=', '=b', '&&', 'a[b]=c', 'a[]=1&a[]=2', '%zz=1', 'limit=1&limit=2', '__proto__[x]=1', 'constructor[prototype][x]=1', `x=${'y'.repeat(4000)}`, `x=${'y'.repeat(20_000)}`),
    ),
    { maxLength: 3 },
  );
  return fc.tuple(fc.tuple(...documented), extras, fc.boolean()).map(([own, extra, withExtras]) => {
    const parts = [...own, ...(withExtras ? extra : [])].filter(Boolean);
    return parts.length ? `?${parts.join('&')}` : '';
  });
}

/** Header values node:http can put on the wire (visible Latin-1, no control characters). */
const headerText: fc.Arbitrary<string> = shortJunk.map((s) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, ''));

function extraHeaders(operation: FuzzOperation, samples: Samples): fc.Arbitrary<Record<string, string>> {
  const documented = operation.headerParams.map((param) =>
    fc.option(fc.oneof(...(samples[param.name]?.length ? [fc.constantFrom(...samples[param.name].map(String))] : []), headerText), { nil: undefined }).map((v) => [param.name, v] as const),
  );
  const odd = fc.option(fc.constantFrom('x-request-id', 'accept', 'accept-charset', 'x-forwarded-for', 'origin', 'range', 'expect'), { nil: undefined });
  return fc.tuple(fc.tuple(...documented), odd, headerText).map(([pairs, oddName, oddValue]) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of pairs) if (value !== undefined) headers[name] = value;
    // An `expect: 100-continue` the server does not answer would stall a keep-alive client.
    if (oddName && oddName !== 'expect') headers[oddName] = oddValue;
    return headers;
  });
}

interface BodyChoice {
  kind: string;
  contentType?: string;
  contentEncoding?: string;
  bytes?: Buffer;
}

const JSON_TYPES = ['application/json', 'application/json', 'application/json', 'application/json; charset=utf-8', 'application/vnd.accord+json', 'APPLICATION/JSON', 'application/json;charset="UTF-8"'];
const OTHER_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream', 'application/json; charset=latin1', 'application/json; charset=utf-16', 'application/json; charset=utf-32', 'a/b; c=d; ;', 'text/json', ''];
const MALFORMED_JSON = ['{"tx": "00', '{', '[1,2', 'nul', '{"a":1}}', "{'a':1}", '{"a":1,}', '{"a":01}', '{"a":"\\u12"}', '{"a":NaN}', '["\ud800"', '\u0000{}', '{}{}', ')]}\'\n{}', '{"a":1e}'];

function jsonBody(kind: string, value: fc.Arbitrary<unknown>): fc.Arbitrary<BodyChoice> {
  return fc.tuple(value, fc.constantFrom(...JSON_TYPES)).map(([v, contentType]) => ({ kind, contentType, bytes: Buffer.from(JSON.stringify(v) ?? 'null') }));
}

function bodyChoice(operation: FuzzOperation, context: CaseContext): fc.Arbitrary<BodyChoice> {
  const schema = operation.body;
  const withSchema = schema !== undefined;
  const oversize = fc.integer({ min: 1, max: 2048 }).map((extra) => ({
    kind: 'oversize',
    contentType: 'application/json',
    bytes: Buffer.from(JSON.stringify({ [Object.keys(schema?.properties ?? { x: 0 })[0] ?? 'x']: 'a'.repeat(context.maxBodyBytes + extra) })),
  }));
  const raw = fc.oneof(fc.constantFrom(...MALFORMED_JSON), fc.string({ unit: 'binary', maxLength: 60 }), fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b).toString('latin1')));
  const choices: Array<{ weight: number; arbitrary: fc.Arbitrary<BodyChoice> }> = [
    { weight: withSchema ? 2 : 36, arbitrary: fc.constant({ kind: 'none' }) },
    { weight: withSchema ? 10 : 0, arbitrary: jsonBody('conforming', schema ? conformingValueFor(schema, context.samples) : fc.constant({})) },
    { weight: withSchema ? 6 : 0, arbitrary: jsonBody('shaped', schema ? objectFor(schema, context.samples) : fc.constant({})) },
    { weight: withSchema ? 8 : 0, arbitrary: jsonBody('broken', schema ? brokenObjectFor(schema, context.samples) : fc.constant({})) },
    { weight: 4, arbitrary: jsonBody('junk-json', junkJson) },
    { weight: 2, arbitrary: fc.tuple(raw, fc.constantFrom(...JSON_TYPES)).map(([text, contentType]) => ({ kind: 'not-json', contentType, bytes: Buffer.from(text, 'utf8') })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...OTHER_TYPES), schema ? objectFor(schema, context.samples) : junkJson)
        .map(([contentType, v]) => ({ kind: 'other-content-type', contentType: contentType || undefined, bytes: Buffer.from(JSON.stringify(v) ?? '') })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom('gzip', 'deflate', 'br', 'x-unknown', 'identity, gzip'), raw)
        .map(([contentEncoding, text]) => ({ kind: 'content-encoding', contentType: 'application/json', contentEncoding, bytes: Buffer.from(text) })),
    },
    { weight: 1, arbitrary: deepJsonText.map((text) => ({ kind: 'deep-json', contentType: 'application/json', bytes: Buffer.from(text) })) },
    { weight: 1, arbitrary: oversize },
  ];
  return fc.oneof(...choices.filter((choice) => choice.weight > 0));
}

/** Whether the JSON parser in front of every route must refuse these bytes, and why. */
function parserRefusal(choice: BodyChoice, context: CaseContext): { refusal?: string; parsed?: unknown } {
  if (!choice.bytes || !choice.contentType || choice.contentEncoding || !CLEAN_JSON_TYPE.test(choice.contentType)) return {};
  if (choice.bytes.length > context.maxBodyBytes) return { refusal: 'a body over the size limit' };
  if (choice.bytes.length === 0) return { parsed: {} };
  const text = choice.bytes.toString('utf8').replace(/^\uFEFF/, '');
  // The parser is strict: only objects and arrays at the top.
  if (!/^[\x20\t\n\r]*[[{]/.test(text)) return { refusal: 'JSON whose top level is not an object or array' };
  try {
    return { parsed: JSON.parse(text) };
  } catch {
    return { refusal: 'malformed JSON' };
  }
}

/** Every kind of request for one operation, with the credentials of `auth`. */
export function casesFor(operation: FuzzOperation, auth: AuthVariant, context: CaseContext): fc.Arbitrary<HttpCase> {
  const pathParams = fc.tuple(...operation.pathParams.map((param) => pathValue(param, context.samples)));
  return fc.tuple(pathParams, queryString(operation, context.samples), extraHeaders(operation, context.samples), bodyChoice(operation, context)).map(([values, query, headers, body]) => {
    let index = 0;
    const path = operation.template.replace(/\{\w+\}/g, () => values[index++] ?? 'x') + query;
    const allHeaders: Record<string, string> = { ...headers, ...auth.headers() };
    if (body.contentType) allHeaders['content-type'] = body.contentType;
    if (body.contentEncoding) allHeaders['content-encoding'] = body.contentEncoding;
    const parsed = parserRefusal(body, context);
    let mustRefuse = parsed.refusal;
    if (!mustRefuse && operation.body && body.kind !== 'none') {
      const seen = 'parsed' in parsed ? parsed.parsed : undefined;
      // A body the server could not read as JSON counts as missing.
      if (seen === undefined ? (operation.body.required ?? []).length > 0 : !context.conforms(operation.body, seen)) mustRefuse = 'a body that violates the documented schema';
    } else if (!mustRefuse && operation.body && (operation.body.required ?? []).length > 0) {
      mustRefuse = 'no body where one with required fields is documented';
    }
    if (operation.secured && !auth.grantsAccess) mustRefuse = `no valid credentials (${auth.name})`;
    return { method: operation.method, path, headers: allHeaders, body: body.bytes, bodyKind: body.kind, mustRefuse };
  });
}

/** A short, printable account of a case for failure messages. */
export function describeCase(c: HttpCase): string {
  const preview = c.body ? c.body.subarray(0, 300).toString('utf8').replace(/[^\x20-\x7e]/g, '?') : '';
  const headers = Object.entries(c.headers)
    .filter(([name]) => name !== 'authorization')
    .map(([name, value]) => `${name}: ${value.slice(0, 80)}`)
    .join('; ');
  return `${c.method} ${c.path.slice(0, 300)} [${c.bodyKind}${c.body ? `, ${c.body.length} bytes` : ''}] {${headers}} ${preview}`;
}
