import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { formatAddress, toHex } from '#chain';
import { HttpAccordError } from '#common';
import { ValidatorNode } from '../node/validator-node.js';
import { AccountView, BlockView, ErrorView, MemberView, RecordView } from './dto/views.dto.js';
import { parseAddressParam, parseHeightParam } from './params.js';
import { blockJson, memberJson } from './presenters.js';

const RECORD_KEY = /^[\x21-\x7e]{1,128}$/;

@ApiTags('blocks')
@Controller('v1/blocks')
export class BlocksController {
  constructor(@Inject(ValidatorNode) private readonly node: ValidatorNode) {}

  @Get('latest')
  @ApiOperation({ summary: 'The last committed block' })
  @ApiOkResponse({ type: BlockView })
  async latest(): Promise<BlockView> {
    return this.byHeight(this.node.ledger.height.toString());
  }

  @Get(':height')
  @ApiOperation({ summary: 'A committed block by height, with its transaction hashes and commit certificate' })
  @ApiOkResponse({ type: BlockView })
  @ApiNotFoundResponse({ type: ErrorView, description: 'BLOCK_NOT_FOUND' })
  @ApiBadRequestResponse({ type: ErrorView, description: 'INVALID_HEIGHT' })
  async byHeight(@Param('height') heightParam: string): Promise<BlockView> {
    const height = parseHeightParam(heightParam);
    const block = await this.node.ledger.getBlock(height);
    if (!block) throw new HttpAccordError(404, 'BLOCK_NOT_FOUND', `no block at height ${height} (head is ${this.node.ledger.height})`);
    return blockJson(block);
  }
}

@ApiTags('state')
@Controller('v1')
export class StateController {
  constructor(@Inject(ValidatorNode) private readonly node: ValidatorNode) {}

  @Get('accounts/:address')
  @ApiOperation({ summary: 'Balance and next nonce of an account (zero for an unused address)' })
  @ApiOkResponse({ type: AccountView })
  @ApiBadRequestResponse({ type: ErrorView, description: 'BAD_ADDRESS' })
  account(@Param('address') addressParam: string): AccountView {
    const address = parseAddressParam(addressParam);
    const account = this.node.ledger.state.account(toHex(address)) ?? { balance: 0n, nonce: 0n };
    return { address: formatAddress(address), balance: account.balance.toString(), nonce: account.nonce.toString() };
  }

  @Get('members/:publicKey')
  @ApiOperation({ summary: 'A member by its account public key' })
  @ApiOkResponse({ type: MemberView })
  @ApiNotFoundResponse({ type: ErrorView, description: 'MEMBER_NOT_FOUND' })
  member(@Param('publicKey') publicKey: string): MemberView {
    const key = publicKey.toLowerCase();
    if (!/^0[23][0-9a-f]{64}$/.test(key)) throw new HttpAccordError(400, 'BAD_PUBLIC_KEY', 'public key must be 66 hex characters (compressed)');
    const member = this.node.ledger.state.member(key);
    if (!member) throw new HttpAccordError(404, 'MEMBER_NOT_FOUND', 'no such member');
    return memberJson(key, member);
  }

  @Get('records/:key')
  @ApiOperation({ summary: 'A record by key' })
  @ApiOkResponse({ type: RecordView })
  @ApiNotFoundResponse({ type: ErrorView, description: 'RECORD_NOT_FOUND' })
  @ApiBadRequestResponse({ type: ErrorView, description: 'BAD_RECORD_KEY' })
  record(@Param('key') key: string): RecordView {
    if (!RECORD_KEY.test(key)) throw new HttpAccordError(400, 'BAD_RECORD_KEY', 'record key must be 1..128 printable ASCII characters');
    const record = this.node.ledger.state.record(key);
    if (!record) throw new HttpAccordError(404, 'RECORD_NOT_FOUND', `no record ${key}`);
    return {
      key,
      value: Buffer.from(record.value).toString('base64'),
      valueHex: toHex(record.value),
      owner: formatAddress(record.owner),
      height: Number(record.height),
      txHash: toHex(record.txHash),
    };
  }
}
