import { Module, type DynamicModule } from '@nestjs/common';
import { BlocksController, StateController } from './api/chain.controller.js';
import { NetworkController } from './api/network.controller.js';
import { StatusController } from './api/status.controller.js';
import { TransactionsController } from './api/transactions.controller.js';
import { ValidatorNode } from './node/validator-node.js';

/** The REST shell around a running ValidatorNode. */
@Module({})
export class ValidatorModule {
  static forNode(node: ValidatorNode): DynamicModule {
    return {
      module: ValidatorModule,
      controllers: [TransactionsController, BlocksController, StateController, StatusController, NetworkController],
      providers: [{ provide: ValidatorNode, useValue: node }],
    };
  }
}
