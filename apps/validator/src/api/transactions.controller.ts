import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiPayloadTooLargeResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnprocessableEntityResponse, ApiNotFoundResponse, ApiAcceptedResponse } from '@nestjs/swagger';
import { merkleProof, toHex } from '#chain';
import { HttpAccordError } from '#common';
import { ValidatorNode } from '../node/validator-node.js';
import type { SubmissionResult } from '../node/admission.js';
import { BatchView, ErrorView, SubmissionView, TransactionView } from './dto/views.dto.js';
import { SubmitBatchDto, SubmitTransactionDto } from './dto/submit.dto.js';
import { hexBody, parseHashParam } from './params.js';
import { blockJson, transactionJson } from './presenters.js';
import { statusOf } from './status-codes.js';

function refusal(result: Extract<SubmissionResult, { accepted: false }>): HttpAccordError {
  const status = statusOf(result.code);
  const headers = result.retryAfterMs ? { 'Retry-After': String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))) } : undefined;
  return new HttpAccordError(status, result.code, result.message, { headers, details: result.hashHex ? { hash: result.hashHex } : undefined });
}

@ApiTags('transactions')
@Controller('v1/transactions')
export class TransactionsController {
  constructor(@Inject(ValidatorNode) private readonly node: ValidatorNode) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Submit a signed transaction', description: 'Admits the transaction to the mempool. With `wait`, answers once it is committed or rejected (200), or when the wait times out (202, still pending).' })
  @ApiAcceptedResponse({ type: SubmissionView })
  @ApiBadRequestResponse({ type: ErrorView, description: 'MALFORMED_TX, NON_CANONICAL_ENCODING, BAD_SIGNATURE, WRONG_CHAIN_ID, VALIDATION_FAILED, ...' })
  @ApiConflictResponse({ type: ErrorView, description: 'TX_DUPLICATE, TX_ALREADY_COMMITTED, NONCE_REPLAY, NONCE_IN_USE' })
  @ApiPayloadTooLargeResponse({ type: ErrorView, description: 'TX_TOO_LARGE, PAYLOAD_TOO_LARGE' })
  @ApiUnprocessableEntityResponse({ type: ErrorView, description: 'NOT_A_MEMBER, INSUFFICIENT_BALANCE, AMOUNT_OVER_LIMIT, NONCE_TOO_FAR, ...' })
  @ApiTooManyRequestsResponse({ type: ErrorView, description: 'MEMPOOL_FULL, SENDER_QUEUE_FULL (with Retry-After)' })
  async submit(@Body() dto: SubmitTransactionDto): Promise<SubmissionView> {
    const [result] = await this.node.admission.submit([hexBody(dto.tx)], 'rest');
    if (!result.accepted) throw refusal(result);
    if (!dto.wait) return { hash: result.hashHex, status: result.status };
    const outcome = await this.node.waiters.wait(result.hashHex, dto.waitTimeoutMs ?? 10_000);
    if (!outcome) return { hash: result.hashHex, status: result.status };
    if (outcome.status === 'rejected') throw new HttpAccordError(statusOf(outcome.code), outcome.code, outcome.message, { details: { hash: result.hashHex } });
    return { hash: result.hashHex, status: 'committed', height: outcome.height, index: outcome.position };
  }

  @Post('batch')
  @HttpCode(200)
  @ApiOperation({ summary: 'Submit up to 1,000 signed transactions', description: 'Each transaction is admitted or refused on its own; signatures are verified in one batch.' })
  @ApiOkResponse({ type: BatchView })
  @ApiBadRequestResponse({ type: ErrorView, description: 'VALIDATION_FAILED, MALFORMED_JSON' })
  @ApiPayloadTooLargeResponse({ type: ErrorView, description: 'PAYLOAD_TOO_LARGE, or TX_TOO_LARGE when any transaction exceeds the limit' })
  async submitBatch(@Body() dto: SubmitBatchDto): Promise<BatchView> {
    const rawTxs = dto.txs.map(hexBody);
    // A transaction over the size limit can never be valid: refuse the whole batch up front,
    // so an oversized body is a 413 rather than a 200 carrying per-item errors.
    const maxTxBytes = this.node.ledger.txLimits.maxTxBytes;
    const oversized = rawTxs.findIndex((raw) => raw.length > maxTxBytes);
    if (oversized >= 0) throw new HttpAccordError(413, 'TX_TOO_LARGE', `transaction ${oversized} exceeds ${maxTxBytes} bytes`, { details: { index: oversized } });
    const results = await this.node.admission.submit(rawTxs, 'rest');
    const accepted = results.filter((r) => r.accepted).length;
    return {
      accepted,
      rejected: results.length - accepted,
      results: results.map((r) =>
        r.accepted ? { hash: r.hashHex, accepted: true, status: r.status } : { hash: r.hashHex, accepted: false, code: r.code, message: r.message },
      ),
    };
  }

  @Get(':hash')
  @ApiOperation({ summary: 'A transaction with its status, receipt and Merkle inclusion proof' })
  @ApiOkResponse({ type: TransactionView })
  @ApiNotFoundResponse({ type: ErrorView, description: 'TX_NOT_FOUND' })
  @ApiBadRequestResponse({ type: ErrorView, description: 'INVALID_HASH' })
  async get(@Param('hash') hashParam: string): Promise<TransactionView> {
    const hash = parseHashParam(hashParam);
    const pooled = this.node.mempool.get(hash);
    const stored = await this.node.ledger.getTransaction(hash);
    if (stored) {
      const block = await this.node.ledger.getBlock(stored.height);
      if (!block) throw new HttpAccordError(404, 'TX_NOT_FOUND', 'block of the transaction not found');
      const hashes = block.txs.map((tx) => tx.hash);
      const proof = merkleProof(hashes, stored.position);
      return {
        hash,
        status: 'committed',
        height: stored.height,
        index: stored.position,
        code: 'OK',
        tx: transactionJson(stored.tx),
        raw: toHex(stored.tx.bytes),
        proof: { leafIndex: proof.leafIndex, leafCount: proof.leafCount, path: proof.path.map(toHex), root: toHex(block.header.txRoot) },
        block: blockJson(block),
      };
    }
    if (pooled) {
      return { hash, status: this.node.mempool.statusOf(hash) === 'queued' ? 'queued' : 'pending', tx: transactionJson(pooled), raw: toHex(pooled.bytes) };
    }
    const outcome = await this.node.ledger.getOutcome(hash);
    if (outcome?.status === 'rejected') return { hash, status: 'rejected', code: outcome.code, message: outcome.message };
    throw new HttpAccordError(404, 'TX_NOT_FOUND', `no transaction ${hash} is known to this node`);
  }
}

