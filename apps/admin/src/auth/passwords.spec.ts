import { describe, expect, it } from 'vitest';
import { assertPasswordAcceptable, generateOneTimePassword, hashPassword, verifyPassword } from './passwords.js';

const CHEAP = { N: 1 << 10, r: 8, p: 1 };

describe('password hashing', () => {
  it('verifies the right password only, with a per-hash salt', async () => {
    const first = await hashPassword('correct horse battery', CHEAP);
    const second = await hashPassword('correct horse battery', CHEAP);
    expect(first).toMatch(/^scrypt\$1024\$8\$1\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword('correct horse battery', first)).toBe(true);
    expect(await verifyPassword('correct horse batterx', first)).toBe(false);
  });

  it('uses a strong default cost', async () => {
    expect(await hashPassword('another password')).toMatch(/^scrypt\$32768\$8\$1\$/);
  });

  it('rejects unknown hash formats and short passwords; one-time passwords are long and random', async () => {
    await expect(verifyPassword('x', 'md5$abc')).rejects.toMatchObject({ code: 'PASSWORD_HASH_INVALID' });
    expect(() => assertPasswordAcceptable('short')).toThrow(expect.objectContaining({ code: 'PASSWORD_TOO_WEAK' }));
    expect(generateOneTimePassword()).toHaveLength(24);
    expect(generateOneTimePassword()).not.toBe(generateOneTimePassword());
  });
});
