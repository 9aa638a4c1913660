import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AdminServices } from '../admin-services.js';
import { Public } from '../auth/access.decorators.js';
import { ApiErrors, LoggedIn } from './api-decorators.js';
import { AuditPageDto, AuditQueryDto, AuditVerificationDto } from './dto/audit.dto.js';
import { HealthDto } from './dto/common.dto.js';
import { ADMIN_SERVICES } from './tokens.js';
import { validated } from './validated.js';

@ApiTags('audit')
@Controller('v1')
export class AuditController {
  constructor(@Inject(ADMIN_SERVICES) private readonly services: AdminServices) {}

  @Get('audit')
  @LoggedIn()
  @ApiOkResponse({ type: AuditPageDto, description: 'Newest first' })
  @ApiErrors(400)
  page(@Query(validated(AuditQueryDto, 'query')) query: AuditQueryDto): Promise<AuditPageDto> {
    return this.services.audit.page(query.offset ?? 0, query.limit ?? 50);
  }

  @Get('audit/verify')
  @LoggedIn()
  @ApiOkResponse({ type: AuditVerificationDto })
  verify(): Promise<AuditVerificationDto> {
    return this.services.audit.verify();
  }

  @Get('health')
  @Public()
  @ApiOkResponse({ type: HealthDto })
  health(): HealthDto {
    return { status: 'ok', time: this.services.clock().toISOString() };
  }
}
