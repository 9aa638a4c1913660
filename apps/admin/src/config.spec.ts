import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAdminConfig, requirePassphrase } from './config.js';

describe('loadAdminConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadAdminConfig({}, {});
    expect(config).toMatchObject({ dataDir: resolve('./data/admin'), port: 7000, host: '127.0.0.1', databaseUrl: undefined, caPassphrase: undefined });
    expect(() => requirePassphrase(config)).toThrow(expect.objectContaining({ code: 'PASSPHRASE_REQUIRED' }));
  });

  it('reads env, then lets CLI overrides win', () => {
    const env = { ADMIN_DATA_DIR: '/srv/admin', PORT: '7100', HOST: '0.0.0.0', DATABASE_URL: 'postgres://db/x', ACCORD_CA_PASSPHRASE: 'env-secret' };
    expect(loadAdminConfig({}, env)).toMatchObject({ dataDir: '/srv/admin', port: 7100, host: '0.0.0.0', databaseUrl: 'postgres://db/x', caPassphrase: 'env-secret' });
    expect(loadAdminConfig({ port: 0, dataDir: '/tmp/a' }, env)).toMatchObject({ port: 0, dataDir: '/tmp/a' });
  });

  it('reads the passphrase from a file without its trailing newline', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'admin-config-')), 'passphrase');
    writeFileSync(file, 'file-secret\n');
    expect(loadAdminConfig({}, { ACCORD_CA_PASSPHRASE_FILE: file }).caPassphrase).toBe('file-secret');
  });

  it('rejects an invalid port', () => {
    expect(() => loadAdminConfig({}, { PORT: 'http' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
