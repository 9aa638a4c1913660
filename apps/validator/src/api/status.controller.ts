import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { signatureBackend, toHex } from '#chain';
import { ValidatorNode } from '../node/validator-node.js';
import { StatusView } from './dto/views.dto.js';

@ApiTags('node')
@Controller()
export class StatusController {
  constructor(@Inject(ValidatorNode) private readonly node: ValidatorNode) {}

  @Get('v1/status')
  @ApiOperation({ summary: 'Chain, consensus, peers, mempool and crypto backend of this node' })
  @ApiOkResponse({ type: StatusView })
  status(): StatusView {
    const { ledger, mempool } = this.node;
    return {
      chainId: ledger.genesis.chainId,
      nodeId: this.node.config.nodeId,
      height: Number(ledger.height),
      headHash: ledger.headHash,
      stateRoot: toHex(ledger.headHeader.stateRoot),
      consensus: this.node.consensusStatus(),
      peers: this.node.peers?.connectedPeers() ?? [],
      mempool: { size: mempool.size(), ready: mempool.readyCount(), queued: mempool.queuedCount(), bytes: mempool.bytes() },
      signatureBackend: signatureBackend(),
      verifier: this.node.verifier.kind,
      sync: 'synced',
    };
  }

  @Get('healthz')
  @ApiOperation({ summary: 'Liveness: the process serves requests' })
  health(): { status: string } {
    return { status: 'ok' };
  }
}
