import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { configureHttpSurface, requestObservability } from '#common';
import { VALIDATOR_STATUS_BY_CODE } from './api/status-codes.js';
import type { ValidatorConfig } from './config/validator-config.js';
import { ValidatorNode, type NodeLogger } from './node/validator-node.js';
import { ValidatorModule } from './validator.module.js';

/** A running validator: its node, its HTTP app and where it listens. */
export interface RunningValidator {
  node: ValidatorNode;
  app: INestApplication;
  url: string;
  close(): Promise<void>;
}

/** Options of the REST surface shared by the app and the build-time OpenAPI export. */
export function validatorHttpOptions(maxBodyBytes: number) {
  return {
    title: 'Accord validator',
    description: 'Submit signed transactions and read blocks, transactions (with Merkle proofs), accounts and records.',
    version: '1',
    maxBodyBytes,
    statusByCode: VALIDATOR_STATUS_BY_CODE,
  };
}

/** Starts a validator node and its REST API. */
export async function startValidator(config: ValidatorConfig, options: { logger?: NodeLogger; quiet?: boolean } = {}): Promise<RunningValidator> {
  const node = await ValidatorNode.start(config, { logger: options.logger });
  try {
    const app = await NestFactory.create(ValidatorModule.forNode(node), { bodyParser: false, logger: options.quiet ? ['error', 'warn'] : ['log', 'error', 'warn'] });
    app.use(requestObservability(node.logger, node.metrics.http));
    configureHttpSurface(app, validatorHttpOptions(config.maxBodyBytes));
    // No app.enableShutdownHooks(): the process owner (the CLI's stopOnSignals) handles signals
    // and calls close(), which closes the app and then the node, in that order, once.
    // Clients and load balancers keep connections alive for about a minute; closing idle sockets
    // sooner makes a client race the close and see "other side closed" on its next request.
    const server = app.getHttpServer() as { keepAliveTimeout: number; headersTimeout: number };
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    await app.listen(config.port, config.host);
    const address = app.getHttpServer().address() as { port: number };
    const url = `http://${config.host}:${address.port}`;
    return {
      node,
      app,
      url,
      close: async () => {
        await app.close();
        await node.close();
      },
    };
  } catch (error) {
    await node.close();
    throw error;
  }
}
