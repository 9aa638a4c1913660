import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AdminServices } from './admin-services.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuthService } from './auth/auth.service.js';
import { AuditController } from './http/audit.controller.js';
import { AuthController } from './http/auth.controller.js';
import { CertificatesController } from './http/certificates.controller.js';
import { ConsortiumController } from './http/consortium.controller.js';
import { NetworkController } from './http/network.controller.js';
import { OnboardingController } from './http/onboarding.controller.js';
import { RegisterController } from './http/register.controller.js';
import { OpsController } from './http/ops.controller.js';
import { ADMIN_OPS, ADMIN_SERVICES, type AdminOps } from './http/tokens.js';

/** The admin app's HTTP shell around already-built {@link AdminServices}. */
@Module({})
export class AdminModule {
  static forRoot(services: AdminServices, ops: AdminOps): DynamicModule {
    return {
      module: AdminModule,
      controllers: [AuthController, RegisterController, OnboardingController, CertificatesController, ConsortiumController, NetworkController, AuditController, OpsController],
      providers: [
        { provide: ADMIN_SERVICES, useValue: services },
        { provide: ADMIN_OPS, useValue: ops },
        { provide: AuthService, useValue: services.auth },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    };
  }
}
