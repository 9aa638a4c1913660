import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { HttpAccordError } from '#common';
import type { AdminServices } from '../admin-services.js';
import { Public } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors, ClientIp, CurrentPrincipal, LoggedIn } from './api-decorators.js';
import {
  CreatedInvitationDto,
  CreateInvitationDto,
  EnrollDto,
  EnrollmentDto,
  EnrollmentQueryDto,
  EnrollmentResultDto,
  InvitationDto,
  RejectEnrollmentDto,
} from './dto/onboarding.dto.js';
import { uuidParam } from './register.controller.js';
import { ADMIN_SERVICES } from './tokens.js';
import { validated } from './validated.js';

@ApiTags('onboarding')
@Controller('v1')
export class OnboardingController {
  constructor(@Inject(ADMIN_SERVICES) private readonly services: AdminServices) {}

  @Post('invitations')
  @LoggedIn()
  @ApiCreatedResponse({ type: CreatedInvitationDto, description: 'The token is returned only here' })
  @ApiErrors(400, 404)
  @ApiBody({ type: CreateInvitationDto })
  createInvitation(@CurrentPrincipal() principal: Principal, @Body(validated(CreateInvitationDto)) body: CreateInvitationDto): Promise<CreatedInvitationDto> {
    return this.services.invitations.create(principal.username, body);
  }

  @Get('invitations')
  @LoggedIn()
  @ApiOkResponse({ type: [InvitationDto] })
  invitations(): Promise<InvitationDto[]> {
    return this.services.invitations.list();
  }

  @Post('enroll')
  @Public()
  @ApiCreatedResponse({ type: EnrollmentResultDto, description: 'Pending (or approved at once under an auto-approve invitation)' })
  @ApiErrors(400, 401, 409, 410, 413, 422)
  @ApiBody({ type: EnrollDto })
  enroll(@Body(validated(EnrollDto)) body: EnrollDto, @ClientIp() ip: string): Promise<EnrollmentResultDto> {
    return this.services.enrollments.enroll(body, ip);
  }

  @Get('enroll/:id')
  @Public()
  @ApiHeader({ name: 'x-enrollment-token', required: true, description: 'The invitation token used to enroll' })
  @ApiOkResponse({ type: EnrollmentResultDto, description: 'Status, and once approved the certificate and CA chain' })
  @ApiErrors(400, 404)
  enrollmentResult(@Param('id', uuidParam) id: string, @Headers('x-enrollment-token') token: string | undefined): Promise<EnrollmentResultDto> {
    if (!token) throw new HttpAccordError(400, 'TOKEN_REQUIRED', 'send the enrollment token in the x-enrollment-token header');
    return this.services.enrollments.result(id, token);
  }

  @Get('enrollments')
  @LoggedIn()
  @ApiOkResponse({ type: [EnrollmentDto] })
  @ApiErrors(400)
  enrollments(@Query(validated(EnrollmentQueryDto, 'query')) query: EnrollmentQueryDto): Promise<EnrollmentDto[]> {
    return this.services.enrollments.list(query.status);
  }

  @Get('enrollments/:id')
  @LoggedIn()
  @ApiOkResponse({ type: EnrollmentDto })
  @ApiErrors(400, 404)
  enrollment(@Param('id', uuidParam) id: string): Promise<EnrollmentDto> {
    return this.services.enrollments.get(id);
  }

  @Post('enrollments/:id/approve')
  @HttpCode(200)
  @LoggedIn()
  @ApiOkResponse({ type: EnrollmentDto, description: 'Member created and certificate issued' })
  @ApiErrors(400, 404, 409, 422)
  approve(@CurrentPrincipal() principal: Principal, @Param('id', uuidParam) id: string): Promise<EnrollmentDto> {
    return this.services.enrollments.approve(principal.username, id);
  }

  @Post('enrollments/:id/reject')
  @HttpCode(200)
  @LoggedIn()
  @ApiOkResponse({ type: EnrollmentDto })
  @ApiErrors(400, 404, 409)
  @ApiBody({ type: RejectEnrollmentDto })
  reject(@CurrentPrincipal() principal: Principal, @Param('id', uuidParam) id: string, @Body(validated(RejectEnrollmentDto)) body: RejectEnrollmentDto): Promise<EnrollmentDto> {
    return this.services.enrollments.reject(principal.username, id, body.reason);
  }
}
