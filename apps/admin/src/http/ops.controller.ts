import { Body, Controller, Get, HttpCode, Inject, Put, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiProduces, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { HttpAccordError, setLogLevel } from '#common';
import type { AdminServices } from '../admin-services.js';
import { Public } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors, CurrentPrincipal, LoggedIn } from './api-decorators.js';
import { HealthDto } from './dto/common.dto.js';
import { LogLevelChangeDto, LogLevelDto } from './dto/ops.dto.js';
import { ADMIN_OPS, ADMIN_SERVICES, type AdminOps } from './tokens.js';
import { validated } from './validated.js';

/** Operations endpoints: liveness, readiness, Prometheus metrics, runtime log level. */
@ApiTags('operations')
@Controller()
export class OpsController {
  constructor(
    @Inject(ADMIN_SERVICES) private readonly services: AdminServices,
    @Inject(ADMIN_OPS) private readonly ops: AdminOps,
  ) {}

  @Get('healthz')
  @Public()
  @ApiOkResponse({ type: HealthDto })
  health(): HealthDto {
    return { status: 'ok', time: this.services.clock().toISOString() };
  }

  @Get('readyz')
  @Public()
  @ApiOkResponse({ type: HealthDto, description: 'The register database answers' })
  @ApiServiceUnavailableResponse({ description: 'NOT_READY' })
  async ready(): Promise<HealthDto> {
    try {
      await this.services.dataSource.query('SELECT 1');
    } catch (error) {
      throw new HttpAccordError(503, 'NOT_READY', `database: ${(error as Error).message}`);
    }
    return { status: 'ready', time: this.services.clock().toISOString() };
  }

  @Get('metrics')
  @Public()
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus metrics (HTTP, process)' })
  async metrics(@Res() response: Response): Promise<void> {
    response.setHeader('Content-Type', this.ops.registry.contentType);
    response.send(await this.ops.registry.metrics());
  }

  @Put('v1/ops/log-level')
  @HttpCode(200)
  @LoggedIn()
  @ApiBody({ type: LogLevelDto })
  @ApiOkResponse({ type: LogLevelChangeDto })
  @ApiErrors(400)
  async logLevel(@CurrentPrincipal() principal: Principal, @Body(validated(LogLevelDto)) body: LogLevelDto): Promise<LogLevelChangeDto> {
    const change = setLogLevel(this.ops.logger, body.level);
    await this.services.audit.record({ actor: principal.username, action: 'ops.log-level', target: 'logger', details: change });
    return change;
  }
}
