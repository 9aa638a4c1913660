import { Ajv, type ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { expect } from 'vitest';
import { casesFor, describeCase, type AuthVariant, type CaseContext, type HttpCase } from './http-cases.js';
import { seedFor } from './fuzz-config.js';
import type { FuzzOperation, JsonSchema } from './openapi.js';
import { sendRaw, type RawResponse } from './raw-http.js';

/** An app under fuzzing: where it listens, what it documents, and how to read its state. */
export interface RestTarget<State> {
  name: string;
  baseUrl: string;
  operations: FuzzOperation[];
  context: CaseContext;
  /** The credentials every operation is fuzzed with (a secured one also without valid ones). */
  authVariants(operation: FuzzOperation): AuthVariant[];
  /**
   * 5xx codes that report a dependency the fixture does not run (never input): answered as JSON
   * `{code, message}` and checked like refusals (nothing may change).
   */
  dependencyFailures?: ReadonlySet<string>;
  /** Everything observable that a request could change. */
  snapshot(): Promise<State>;
  /** A change a refused request may still make (e.g. a failed login is audited). */
  refusalMayChange?(operation: FuzzOperation, before: State, after: State): Promise<boolean>;
  /** After a served request: let its effects settle, and repair what later cases rely on. */
  afterServed?(operation: FuzzOperation, served: HttpCase, response: RawResponse): Promise<void>;
}

/** What the fuzzing saw, per `METHOD /template [auth]`. */
export class FuzzStats {
  readonly cases = new Map<string, number>();
  readonly statuses = new Map<number, number>();
  readonly codes = new Map<string, number>();
  /** Answers per operation: `status code` → count (printed with ACCORD_FUZZ_VERBOSE=1). */
  readonly answers = new Map<string, Map<string, number>>();

  record(label: string, response: RawResponse, code?: string): void {
    this.cases.set(label, (this.cases.get(label) ?? 0) + 1);
    this.statuses.set(response.status, (this.statuses.get(response.status) ?? 0) + 1);
    if (code) this.codes.set(code, (this.codes.get(code) ?? 0) + 1);
    const answers = this.answers.get(label) ?? new Map<string, number>();
    const answer = `${response.status}${code ? ` ${code}` : ''}`;
    answers.set(answer, (answers.get(answer) ?? 0) + 1);
    this.answers.set(label, answers);
  }

  total(): number {
    return [...this.cases.values()].reduce((a, b) => a + b, 0);
  }

  summary(name: string): string {
    const statuses = [...this.statuses.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(' ');
    const lines = [`${name}: ${this.total()} cases over ${this.cases.size} operation/credential pairs; statuses ${statuses}; ${this.codes.size} distinct error codes`];
    if (process.env.ACCORD_FUZZ_VERBOSE) {
      for (const [label, answers] of this.answers) lines.push(`  ${label}: ${[...answers.entries()].sort(([, a], [, b]) => b - a).map(([answer, n]) => `${answer}×${n}`).join(', ')}`);
    }
    return lines.join('\n');
  }
}

/** Closes every object schema: both apps refuse fields their DTOs do not declare (createValidationPipe). */
function closed(schema: JsonSchema): JsonSchema & { additionalProperties?: boolean } {
  const copy: JsonSchema & { additionalProperties?: boolean } = { ...schema };
  if (schema.items) copy.items = closed(schema.items);
  if (schema.properties) {
    copy.properties = Object.fromEntries(Object.entries(schema.properties).map(([name, property]) => [name, closed(property)]));
    copy.additionalProperties = false;
  }
  return copy;
}

/** A JSON Schema check of OpenAPI 3.0 request schemas, lengths counted in UTF-16 units like the server. */
export function schemaChecker(): CaseContext['conforms'] {
  const ajv = new Ajv({ strict: false, unicode: false, allErrors: false });
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  const compiled = new Map<JsonSchema, ValidateFunction>();
  return (schema, value) => {
    let validate = compiled.get(schema);
    if (!validate) {
      validate = ajv.compile(closed(schema));
      compiled.set(schema, validate);
    }
    return validate(value) as boolean;
  };
}

const ERROR_CODE = /^[A-Z][A-Z0-9_]*$/;

function errorBodyOf(response: RawResponse): { code?: unknown; message?: unknown } | undefined {
  try {
    const body = JSON.parse(response.text) as unknown;
    return typeof body === 'object' && body !== null ? (body as { code?: unknown; message?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `runs` generated requests against one operation with one set of credentials and checks
 * each: never a 5xx; every 4xx is JSON `{code, message}` with a stable upper-snake-case code;
 * an invalid-by-construction request is refused; a refused request changes nothing observable.
 */
export async function fuzzOperation<State>(target: RestTarget<State>, operation: FuzzOperation, auth: AuthVariant, runs: number, stats: FuzzStats): Promise<void> {
  const label = `${operation.key} [${auth.name}]`;
  let before: State | undefined;
  const property = fc.asyncProperty(casesFor(operation, auth, target.context), async (c) => {
    // Failed runs (and fast-check's shrinking after them) start from a fresh snapshot.
    const start = before ?? (await target.snapshot());
    before = undefined;
    const response = await sendRaw(target.baseUrl, c);
    const where = `${target.name} ${label}: ${describeCase(c)}\n→ ${response.status} ${response.text.slice(0, 400)}`;
    const errorBody = response.status >= 400 ? errorBodyOf(response) : undefined;
    stats.record(label, response, typeof errorBody?.code === 'string' ? errorBody.code : undefined);
    const dependencyDown = response.status >= 500 && typeof errorBody?.code === 'string' && (target.dependencyFailures?.has(errorBody.code) ?? false);
    if (!dependencyDown) expect(response.status, where).toBeLessThan(500);
    if (response.status >= 400) {
      expect(errorBody, `${where}\n(a 4xx must be a JSON object)`).toBeDefined();
      expect(errorBody?.code, where).toMatch(ERROR_CODE);
      expect(typeof errorBody?.message, where).toBe('string');
    }
    if (c.mustRefuse) expect(response.status, `${where}\n(must be refused: ${c.mustRefuse})`).toBeGreaterThanOrEqual(400);
    if (response.status < 400) {
      await target.afterServed?.(operation, c, response);
      before = await target.snapshot();
      return;
    }
    const after = await target.snapshot();
    if (JSON.stringify(after) !== JSON.stringify(start) && !(await target.refusalMayChange?.(operation, start, after))) {
      expect(after, `${where}\n(a refused request changed the state)`).toEqual(start);
    }
    before = after;
  });
  const parameters = { seed: seedFor(`${target.name}:${label}`), numRuns: runs };
  const details = await fc.check(property, parameters);
  if (details.failed) {
    // fast-check's own report prints the whole counterexample (megabytes for oversize bodies).
    const [counterexample] = details.counterexample ?? [];
    const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(
      `${target.name} ${label} failed after ${details.numRuns} runs (replay: seed ${parameters.seed}, path "${details.counterexamplePath}")\n` +
        `${counterexample ? describeCase(counterexample) : ''}\n${error.slice(0, 4_000)}`,
    );
  }
}

/** Asserts that every documented operation got cases with each of its credential variants. */
export function expectEveryOperationFuzzed<State>(target: RestTarget<State>, stats: FuzzStats): void {
  const missing = target.operations.flatMap((operation) => target.authVariants(operation).map((auth) => `${operation.key} [${auth.name}]`)).filter((label) => !(stats.cases.get(label) ?? 0));
  expect(missing, 'operations without fuzz cases').toEqual([]);
}
