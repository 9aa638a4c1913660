import type { PipeTransform, Type } from '@nestjs/common';
import { createValidationPipe } from '#common';

/**
 * Validates a parameter against an explicitly named DTO. The global pipe learns a parameter's
 * DTO from emitted decorator metadata, which a transpile-only runner (esbuild/tsx) does not
 * emit; naming the class here keeps validation on however the app is run.
 */
export function validated<T>(dto: Type<T>, kind: 'body' | 'query' = 'body'): PipeTransform {
  const pipe = createValidationPipe();
  return { transform: (value: unknown) => pipe.transform(value, { type: kind, metatype: dto }) };
}
