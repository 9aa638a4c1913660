/** Whether a member name is one DTO handling drops instead of refusing. */
function isPrototypeName(key: string): boolean {
  return key === 'prototype' || Object.hasOwn(Object.prototype, key);
}

/**
 * The first member of a parsed JSON body named like an Object.prototype property (`__proto__`,
 * `constructor`, `toString`...) or `prototype`, at any depth. The validation pipe strips such
 * members and DTO transformation skips them, silently, whereas the apps refuse every other
 * field their DTOs do not declare; no Accord request field has such a name.
 */
export function prototypeKeyIn(body: unknown): string | undefined {
  const stack: unknown[] = [body];
  while (stack.length > 0) {
    const current = stack.pop();
    if (current === null || typeof current !== 'object') continue;
    for (const key of Object.keys(current)) {
      if (!Array.isArray(current) && isPrototypeName(key)) return key;
      stack.push((current as Record<string, unknown>)[key]);
    }
  }
  return undefined;
}
