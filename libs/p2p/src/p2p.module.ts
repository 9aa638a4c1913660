import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type FactoryProvider,
  type ModuleMetadata,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { PeerManager } from './peer-manager.js';
import type { PeerManagerOptions } from './peer-manager-options.js';

/** Injection token of the {@link PeerManagerOptions} given to {@link P2pModule}. */
export const P2P_OPTIONS = Symbol('P2P_OPTIONS');

/** Starts the injected {@link PeerManager} with the module and stops it on shutdown. */
@Injectable()
export class P2pLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(PeerManager) private readonly manager: PeerManager) {}

  async onModuleInit(): Promise<void> {
    await this.manager.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.manager.stop();
  }
}

/** Options of {@link P2pModule.forRootAsync}. */
export interface P2pModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  readonly useFactory: (...deps: never[]) => PeerManagerOptions | Promise<PeerManagerOptions>;
  readonly inject?: FactoryProvider['inject'];
}

/**
 * Nest wrapper of {@link PeerManager}: provides the manager (inject it by class) and starts it
 * when the module initialises. Call `app.enableShutdownHooks()` or `app.close()` so links close
 * cleanly.
 */
@Module({})
export class P2pModule {
  /** A module around a manager built from fixed options. */
  static forRoot(options: PeerManagerOptions): DynamicModule {
    return P2pModule.forRootAsync({ useFactory: () => options });
  }

  /** A module whose options come from other providers (configuration, secrets). */
  static forRootAsync(options: P2pModuleAsyncOptions): DynamicModule {
    return {
      module: P2pModule,
      imports: options.imports ?? [],
      providers: [
        { provide: P2P_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
        { provide: PeerManager, useFactory: (resolved: PeerManagerOptions) => new PeerManager(resolved), inject: [P2P_OPTIONS] },
        P2pLifecycle,
      ],
      exports: [PeerManager],
    };
  }
}
