import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { HttpAccordError } from './http-error.js';

/** One failed field, as reported in `details` of a `VALIDATION_FAILED` error. */
export interface FieldError {
  field: string;
  problems: string[];
}

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    if (error.constraints) out.push({ field, problems: Object.values(error.constraints) });
    if (error.children?.length) out.push(...flatten(error.children, field));
  }
  return out;
}

/**
 * The DTO validation pipe both apps use: unknown fields are rejected (not silently dropped),
 * nothing is coerced implicitly, and failures become 400 `VALIDATION_FAILED` with the fields.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const summary = fields.map((f) => `${f.field}: ${f.problems.join(', ')}`).join('; ');
      return new HttpAccordError(400, 'VALIDATION_FAILED', summary || 'invalid request', { details: fields });
    },
  });
}
