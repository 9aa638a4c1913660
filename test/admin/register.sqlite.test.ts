import { afterAll, beforeAll, describe, it } from 'vitest';
import { startAdminFixture, type AdminFixture } from './support/admin-fixture.js';
import { exerciseRegister } from './support/register-scenario.js';

describe('register on SQLite', () => {
  let fx: AdminFixture;
  beforeAll(async () => {
    fx = await startAdminFixture();
  });
  afterAll(async () => {
    await fx?.close();
  });

  it('supports the whole member and certificate lifecycle', async () => {
    await exerciseRegister(fx);
  });
});
