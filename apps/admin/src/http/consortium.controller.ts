import { Body, Controller, Get, Inject, Post, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HttpAccordError } from '#common';
import type { AdminServices } from '../admin-services.js';
import { Public } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors, CurrentPrincipal, LoggedIn } from './api-decorators.js';
import { FrozenGenesisDto, GenerateGenesisDto, GovernanceStatusDto, ValidatorDto } from './dto/consortium.dto.js';
import { ADMIN_SERVICES } from './tokens.js';
import { validated } from './validated.js';

@ApiTags('consortium')
@Controller('v1')
export class ConsortiumController {
  constructor(@Inject(ADMIN_SERVICES) private readonly services: AdminServices) {}

  @Get('validators')
  @LoggedIn()
  @ApiOkResponse({ type: [ValidatorDto], description: 'Validators with their last polled status' })
  validators(): Promise<ValidatorDto[]> {
    return this.services.validatorStatus.list();
  }

  @Get('consortium/governance')
  @LoggedIn()
  @ApiOkResponse({ type: GovernanceStatusDto })
  async governance(): Promise<GovernanceStatusDto> {
    return { pending: await this.services.governance.pending(), governancePublicKey: this.services.vault.governancePublicKeyHex };
  }

  @Get('consortium/genesis')
  @Public()
  @ApiOkResponse({ description: 'The frozen genesis as canonical JSON (identical bytes on every call); X-Genesis-Hash carries its SHA-256', schema: { type: 'object' } })
  @ApiErrors(404)
  async genesis(@Res() res: Response): Promise<void> {
    const frozen = await this.services.genesis.current();
    if (!frozen) throw new HttpAccordError(404, 'GENESIS_NOT_READY', 'the genesis has not been generated yet');
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('X-Genesis-Hash', frozen.hashHex);
    res.setHeader('ETag', `"${frozen.hashHex}"`);
    res.send(frozen.canonicalJson);
  }

  @Post('consortium/genesis')
  @LoggedIn()
  @ApiCreatedResponse({ type: FrozenGenesisDto, description: 'Generated from the register and frozen' })
  @ApiErrors(400, 409)
  @ApiBody({ type: GenerateGenesisDto })
  async generateGenesis(@CurrentPrincipal() principal: Principal, @Body(validated(GenerateGenesisDto)) body: GenerateGenesisDto): Promise<FrozenGenesisDto> {
    const frozen = await this.services.genesis.generate(principal.username, body);
    return { hash: frozen.hashHex, genesis: JSON.parse(frozen.canonicalJson) as Record<string, unknown> };
  }
}
