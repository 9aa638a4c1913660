import { Body, Controller, Get, Inject, Put, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HttpAccordError, setLogLevel } from '#common';
import { signatureBackend, toHex } from '#chain';
import { ValidatorNode } from '../node/validator-node.js';
import { ErrorView, StatusView } from './dto/views.dto.js';
import { LogLevelDto } from './dto/ops.dto.js';

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
      sync: this.node.syncStatus(),
    };
  }

  @Get('healthz')
  @ApiOperation({ summary: 'Liveness: the process serves requests' })
  health(): { status: string } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @ApiOperation({ summary: 'Readiness: database reachable, with peers a quorum of them connected, with Kafka the consumer connected' })
  @ApiOkResponse({ description: 'ready' })
  @ApiServiceUnavailableResponse({ type: ErrorView, description: 'NOT_READY with the failing checks' })
  async ready(): Promise<{ status: string; checks: Record<string, string> }> {
    const checks: Record<string, string> = {};
    try {
      await this.node.ledger.database.query('SELECT 1');
      checks.database = 'ok';
    } catch (error) {
      checks.database = `failed: ${(error as Error).message}`;
    }
    if (this.node.peers) {
      const validators = this.node.ledger.genesis.validators.length;
      const connected = this.node.peers.connectedPeers().length;
      const quorum = Math.floor(validators / 2) + 1;
      checks.peers = connected + 1 >= quorum ? `ok (${connected}/${validators - 1})` : `failed: ${connected}/${validators - 1} connected, quorum needs ${quorum - 1}`;
    }
    if (this.node.kafka) checks.kafka = this.node.kafka.isConnected() ? 'ok' : 'failed: Kafka consumer not connected';
    const failing = Object.entries(checks).filter(([, value]) => value !== 'ok' && !value.startsWith('ok '));
    if (failing.length) throw new HttpAccordError(503, 'NOT_READY', failing.map(([name, value]) => `${name}: ${value}`).join('; '), { details: checks });
    return { status: 'ready', checks };
  }

  @Put('v1/ops/log-level')
  @ApiOperation({ summary: 'Change the log level at runtime (from this host only)', description: 'Accepted only from a loopback address: operators change it on the machine, not over the network.' })
  @ApiOkResponse({ description: 'the new and previous level' })
  @ApiBadRequestResponse({ type: ErrorView, description: 'INVALID_LOG_LEVEL, VALIDATION_FAILED' })
  @ApiForbiddenResponse({ type: ErrorView, description: 'NOT_LOCAL' })
  logLevel(@Body() dto: LogLevelDto, @Req() request: Request): { level: string; previous: string } {
    const address = request.socket.remoteAddress ?? '';
    if (!['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(address)) throw new HttpAccordError(403, 'NOT_LOCAL', 'the log level can only be changed from the validator host');
    return setLogLevel(this.node.logger, dto.level);
  }

  @Get('metrics')
  @ApiOperation({ summary: 'Prometheus metrics (consensus, mempool, p2p, ledger, HTTP, process)' })
  @ApiProduces('text/plain')
  async metrics(@Res() response: Response): Promise<void> {
    response.setHeader('Content-Type', this.node.metrics.registry.contentType);
    response.send(await this.node.metrics.registry.metrics());
  }
}
