import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { AdminServices } from '../admin-services.js';
import { Public, SelfService } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors, ClientIp, CurrentPrincipal, LoggedIn } from './api-decorators.js';
import { ChangePasswordDto, CreatedUserDto, CreateUserDto, LoginDto, LoginResponseDto, MeDto, PasswordResetDto, UserDto } from './dto/auth.dto.js';
import { uuidParam } from './register.controller.js';
import { ADMIN_SERVICES } from './tokens.js';
import { validated } from './validated.js';

@ApiTags('auth')
@Controller('v1')
export class AuthController {
  constructor(@Inject(ADMIN_SERVICES) private readonly services: AdminServices) {}

  @Post('auth/login')
  @HttpCode(200)
  @Public()
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiErrors(400, 401, 429)
  @ApiBody({ type: LoginDto })
  login(@Body(validated(LoginDto)) body: LoginDto, @ClientIp() ip: string): Promise<LoginResponseDto> {
    return this.services.auth.login(body.username, body.password, ip);
  }

  @Post('auth/logout')
  @HttpCode(204)
  @SelfService()
  @LoggedIn()
  @ApiOkResponse({ description: 'Session ended' })
  async logout(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.services.auth.logout(principal);
  }

  @Get('auth/me')
  @SelfService()
  @LoggedIn()
  @ApiOkResponse({ type: MeDto })
  me(@CurrentPrincipal() principal: Principal): MeDto {
    return { userId: principal.userId, username: principal.username, role: principal.role, mustChangePassword: principal.mustChangePassword };
  }

  @Post('auth/password')
  @HttpCode(204)
  @SelfService()
  @LoggedIn()
  @ApiOkResponse({ description: 'Password changed; other sessions ended' })
  @ApiErrors(400)
  @ApiBody({ type: ChangePasswordDto })
  async changePassword(@CurrentPrincipal() principal: Principal, @Body(validated(ChangePasswordDto)) body: ChangePasswordDto): Promise<void> {
    await this.services.auth.changePassword(principal, body.currentPassword, body.newPassword);
  }

  @Get('users')
  @LoggedIn()
  @ApiOkResponse({ type: [UserDto] })
  users(): Promise<UserDto[]> {
    return this.services.auth.listUsers();
  }

  @Post('users')
  @LoggedIn()
  @ApiOkResponse({ type: CreatedUserDto })
  @ApiErrors(400, 409)
  @ApiBody({ type: CreateUserDto })
  createUser(@CurrentPrincipal() principal: Principal, @Body(validated(CreateUserDto)) body: CreateUserDto): Promise<CreatedUserDto> {
    return this.services.auth.createUser(principal.username, body.username, body.role, body.password);
  }

  @Post('users/:id/reset-password')
  @HttpCode(200)
  @LoggedIn()
  @ApiOkResponse({ type: PasswordResetDto, description: 'New one-time password; the user\'s sessions end' })
  @ApiErrors(400, 404)
  resetPassword(@CurrentPrincipal() principal: Principal, @Param('id', uuidParam) id: string): Promise<PasswordResetDto> {
    return this.services.auth.resetPassword(principal, id);
  }

  @Post('users/:id/disable')
  @HttpCode(200)
  @LoggedIn()
  @ApiOkResponse({ type: UserDto, description: 'Cannot log in any more; sessions end' })
  @ApiErrors(400, 404, 409)
  disable(@CurrentPrincipal() principal: Principal, @Param('id', uuidParam) id: string): Promise<UserDto> {
    return this.services.auth.setDisabled(principal, id, true);
  }

  @Post('users/:id/enable')
  @HttpCode(200)
  @LoggedIn()
  @ApiOkResponse({ type: UserDto })
  @ApiErrors(400, 404)
  enable(@CurrentPrincipal() principal: Principal, @Param('id', uuidParam) id: string): Promise<UserDto> {
    return this.services.auth.setDisabled(principal, id, false);
  }
}
