import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { HttpAccordError } from '#common';
import type { AdminServices } from '../admin-services.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors, CurrentPrincipal, LoggedIn } from './api-decorators.js';
import { CreateMemberDto, CreateOrganisationDto, MemberDto, MemberQueryDto, OrganisationDto } from './dto/register.dto.js';
import { ADMIN_SERVICES } from './tokens.js';
import { validated } from './validated.js';

/** Turns a malformed id in the path into 400 `ID_INVALID` instead of a lookup. */
export const uuidParam = new ParseUUIDPipe({
  exceptionFactory: () => new HttpAccordError(400, 'ID_INVALID', 'the id in the path is not a UUID'),
});

@ApiTags('register')
@Controller('v1')
@LoggedIn()
export class RegisterController {
  constructor(@Inject(ADMIN_SERVICES) private readonly services: AdminServices) {}

  @Get('organisations')
  @ApiOkResponse({ type: [OrganisationDto] })
  organisations(): Promise<OrganisationDto[]> {
    return this.services.organisations.list();
  }

  @Post('organisations')
  @ApiOkResponse({ type: OrganisationDto })
  @ApiErrors(400, 409)
  @ApiBody({ type: CreateOrganisationDto })
  createOrganisation(@CurrentPrincipal() principal: Principal, @Body(validated(CreateOrganisationDto)) body: CreateOrganisationDto): Promise<OrganisationDto> {
    return this.services.organisations.create(principal.username, body.name);
  }

  @Get('members')
  @ApiOkResponse({ type: [MemberDto] })
  @ApiErrors(400)
  members(@Query(validated(MemberQueryDto, 'query')) query: MemberQueryDto): Promise<MemberDto[]> {
    return this.services.members.list(query);
  }

  @Post('members')
  @ApiOkResponse({ type: MemberDto, description: 'Created with status invited until its first certificate' })
  @ApiErrors(400, 404, 409, 422)
  @ApiBody({ type: CreateMemberDto })
  createMember(@CurrentPrincipal() principal: Principal, @Body(validated(CreateMemberDto)) body: CreateMemberDto): Promise<MemberDto> {
    return this.services.members.create(principal.username, body);
  }

  @Get('members/:id')
  @ApiOkResponse({ type: MemberDto })
  @ApiErrors(400, 404)
  member(@Param('id', uuidParam) id: string): Promise<MemberDto> {
    return this.services.members.get(id);
  }

  @Post('members/:id/suspend')
  @HttpCode(200)
  @ApiOkResponse({ type: MemberDto })
  @ApiErrors(400, 404, 409)
  suspend(@CurrentPrincipal() principal: Principal, @Param('id', uuidParam) id: string): Promise<MemberDto> {
    return this.services.members.suspend(principal.username, id);
  }

  @Post('members/:id/reinstate')
  @HttpCode(200)
  @ApiOkResponse({ type: MemberDto })
  @ApiErrors(400, 404, 409)
  reinstate(@CurrentPrincipal() principal: Principal, @Param('id', uuidParam) id: string): Promise<MemberDto> {
    return this.services.members.reinstate(principal.username, id);
  }

  @Post('members/:id/remove')
  @HttpCode(200)
  @ApiOkResponse({ type: MemberDto, description: 'Status revoked; every active certificate revoked' })
  @ApiErrors(400, 404, 409)
  remove(@CurrentPrincipal() principal: Principal, @Param('id', uuidParam) id: string): Promise<MemberDto> {
    return this.services.members.remove(principal.username, id);
  }
}
