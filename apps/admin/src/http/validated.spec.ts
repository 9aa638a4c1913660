import { describe, expect, it } from 'vitest';
import { LoginDto } from './dto/auth.dto.js';
import { AuditQueryDto } from './dto/audit.dto.js';
import { validated } from './validated.js';

// The pipe names its DTO, so it validates even where no decorator metadata was emitted.
describe('validated()', () => {
  it('returns a DTO instance for a valid body', async () => {
    const value = await validated(LoginDto).transform({ username: 'admin', password: 'pw' }, { type: 'body' });
    expect(value).toBeInstanceOf(LoginDto);
  });

  it('rejects wrong types and unknown fields with VALIDATION_FAILED', async () => {
    await expect(validated(LoginDto).transform({ username: 5, password: 'pw' }, { type: 'body' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    await expect(validated(LoginDto).transform({ username: 'a', password: 'b', extra: true }, { type: 'body' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(validated(LoginDto).transform(undefined, { type: 'body' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('converts query strings only where the DTO says so', async () => {
    await expect(validated(AuditQueryDto, 'query').transform({ limit: '20' }, { type: 'query' })).resolves.toMatchObject({ limit: 20 });
    await expect(validated(AuditQueryDto, 'query').transform({ limit: '0' }, { type: 'query' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
