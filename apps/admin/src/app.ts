import type { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { DataSource } from 'typeorm';
import { configureHttpSurface, createLogger, HttpMetrics, requestObservability } from '#common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { AdminModule } from './admin.module.js';
import { createAdminServices, type AdminServiceOptions, type AdminServices } from './admin-services.js';
import { KeyVault } from './ca/key-vault.js';
import { systemClock, type Clock } from './clock.js';
import { loadAdminConfig, requirePassphrase, type AdminConfig, type AdminConfigOverrides } from './config.js';
import { openRegister } from './db/data-source.js';
import { ADMIN_STATUS_BY_CODE } from './errors.js';
import { servePortal } from './portal/serve-portal.js';

/** Largest JSON body the admin API accepts (CSRs are a few KiB). */
export const ADMIN_MAX_BODY_BYTES = 256 * 1024;

/** Options of {@link startAdminApp}. */
export interface StartAdminOptions extends AdminServiceOptions {
  /** Configuration overrides (env fills the rest). */
  config?: AdminConfigOverrides;
  clock?: Clock;
  /** Nest log levels (default: error and warn). */
  logLevels?: LogLevel[];
}

/** A running admin app. */
export interface RunningAdminApp {
  app: INestApplication;
  /** Base URL, e.g. `http://127.0.0.1:7000`. */
  url: string;
  services: AdminServices;
  close(): Promise<void>;
}

/** Builds the Nest app around the services without listening (also used to produce the OpenAPI document). */
export async function createAdminHttpApp(services: AdminServices, logLevels: LogLevel[] = ['error', 'warn']): Promise<INestApplication> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'accord_admin_' });
  const logger = createLogger('accord-admin');
  const app = await NestFactory.create(AdminModule.forRoot(services, { logger, registry }), { bodyParser: false, logger: logLevels });
  app.use(requestObservability(logger, new HttpMetrics(registry)));
  configureHttpSurface(app, {
    title: 'Accord consortium admin API',
    description: 'Consortium CA, member register, onboarding, revocations, genesis and audit log',
    version: '1',
    maxBodyBytes: ADMIN_MAX_BODY_BYTES,
    statusByCode: ADMIN_STATUS_BY_CODE,
    bearerAuth: true,
  });
  servePortal(app);
  return app;
}

/**
 * Opens the register (running pending migrations), unlocks the CA and governance keys, and
 * serves the API, Swagger and the portal. `close()` stops polling, the server and the database.
 */
export async function startAdminApp(options: StartAdminOptions = {}): Promise<RunningAdminApp> {
  const config: AdminConfig = loadAdminConfig(options.config);
  const passphrase = requirePassphrase(config);
  const clock = options.clock ?? systemClock;
  const dataSource: DataSource = await openRegister(config);
  try {
    const vault = await KeyVault.unlock(dataSource, passphrase);
    const services = createAdminServices(config, dataSource, vault, clock, options);
    const app = await createAdminHttpApp(services, options.logLevels);
    await app.listen(config.port, config.host);
    const address = app.getHttpServer().address() as { port: number };
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    services.validatorStatus.start(config.validatorPollMs);
    // Governance changes no validator accepted are retried on the same rhythm as status polls.
    const retryTimer = config.validatorPollMs > 0 ? setInterval(() => void services.governance.flush().catch(() => undefined), config.validatorPollMs) : undefined;
    retryTimer?.unref();
    return {
      app,
      url: `http://${host}:${address.port}`,
      services,
      close: async () => {
        if (retryTimer) clearInterval(retryTimer);
        await services.validatorStatus.stop();
        await app.close();
        await dataSource.destroy();
      },
    };
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    throw error;
  }
}
