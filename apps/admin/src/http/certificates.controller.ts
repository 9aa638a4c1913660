import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res, type PipeTransform } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { HttpAccordError } from '#common';
import type { AdminServices } from '../admin-services.js';
import { Public } from '../auth/access.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors, CurrentPrincipal, LoggedIn } from './api-decorators.js';
import {
  CaDto,
  CertificateDto,
  CertificateQueryDto,
  IssueCertificateDto,
  IssuePkcs12Dto,
  Pkcs12ResponseDto,
  RenewCertificateDto,
  RevocationListDto,
  RevokeCertificateDto,
} from './dto/certificates.dto.js';
import { ADMIN_SERVICES } from './tokens.js';
import { validated } from './validated.js';

/** Accepts a hex serial (any case, at most 40 digits) and lower-cases it. */
const serialParam: PipeTransform<string, string> = {
  transform(value: string): string {
    if (!/^[0-9a-fA-F]{1,40}$/.test(value)) throw new HttpAccordError(400, 'SERIAL_INVALID', 'the serial in the path is not a hex serial');
    return value.toLowerCase();
  },
};

function revocationsEtag(version: number): string {
  return `"rev-${version}"`;
}

@ApiTags('certificates')
@Controller('v1')
export class CertificatesController {
  constructor(@Inject(ADMIN_SERVICES) private readonly services: AdminServices) {}

  @Get('certificates')
  @LoggedIn()
  @ApiOkResponse({ type: [CertificateDto] })
  @ApiErrors(400)
  list(@Query(validated(CertificateQueryDto, 'query')) query: CertificateQueryDto): Promise<CertificateDto[]> {
    return this.services.certificates.list(query);
  }

  @Get('certificates/:serial')
  @LoggedIn()
  @ApiOkResponse({ type: CertificateDto })
  @ApiErrors(400, 404)
  get(@Param('serial', serialParam) serial: string): Promise<CertificateDto> {
    return this.services.certificates.get(serial);
  }

  @Post('certificates')
  @LoggedIn()
  @ApiCreatedResponse({ type: CertificateDto, description: 'Issued from the CSR with the profile of the member role' })
  @ApiErrors(400, 404, 409, 422)
  @ApiBody({ type: IssueCertificateDto })
  issue(@CurrentPrincipal() principal: Principal, @Body(validated(IssueCertificateDto)) body: IssueCertificateDto): Promise<CertificateDto> {
    return this.services.certificates.issueFromCsr(principal.username, body.memberId, body.csrPem, body.validityDays);
  }

  @Post('certificates/pkcs12')
  @LoggedIn()
  @ApiCreatedResponse({ type: Pkcs12ResponseDto, description: 'Server-generated key in a password-protected PKCS#12, returned once' })
  @ApiErrors(400, 404, 409)
  @ApiBody({ type: IssuePkcs12Dto })
  issuePkcs12(@CurrentPrincipal() principal: Principal, @Body(validated(IssuePkcs12Dto)) body: IssuePkcs12Dto): Promise<Pkcs12ResponseDto> {
    return this.services.certificates.issuePkcs12(principal.username, body.memberId, body.password, body.validityDays);
  }

  @Post('certificates/:serial/renew')
  @LoggedIn()
  @ApiCreatedResponse({ type: CertificateDto, description: 'New certificate, new serial; same key unless a CSR is given' })
  @ApiErrors(400, 404, 409)
  @ApiBody({ type: RenewCertificateDto })
  renew(@CurrentPrincipal() principal: Principal, @Param('serial', serialParam) serial: string, @Body(validated(RenewCertificateDto)) body: RenewCertificateDto): Promise<CertificateDto> {
    return this.services.certificates.renew(principal.username, serial, body.csrPem, body.validityDays);
  }

  @Post('certificates/:serial/revoke')
  @HttpCode(200)
  @LoggedIn()
  @ApiOkResponse({ type: CertificateDto, description: 'Revoked; CRL re-signed and revocation version increased' })
  @ApiErrors(400, 404, 409)
  @ApiBody({ type: RevokeCertificateDto })
  revoke(@CurrentPrincipal() principal: Principal, @Param('serial', serialParam) serial: string, @Body(validated(RevokeCertificateDto)) body: RevokeCertificateDto): Promise<CertificateDto> {
    return this.services.certificates.revoke(principal.username, serial, body.reason);
  }

  @Get('crl')
  @Public()
  @ApiProduces('application/pkix-crl')
  @ApiOkResponse({ description: 'PEM X509 CRL signed by the issuing CA', schema: { type: 'string' } })
  async crl(@Res() res: Response): Promise<void> {
    const pem = await this.services.revocations.currentCrl();
    res.setHeader('Content-Type', 'application/pkix-crl');
    res.setHeader('Cache-Control', 'no-cache');
    res.send(pem);
  }

  @Get('revocations')
  @Public()
  @ApiOkResponse({ type: RevocationListDto, description: 'ETag is the version; send If-None-Match to get 304 when unchanged' })
  @ApiResponse({ status: 304, description: 'Unchanged since the ETag given in If-None-Match' })
  async revocations(@Req() req: Request, @Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-cache');
    // Pollers mostly hold the current version: answer them from one setting read.
    const ifNoneMatch = req.headers['if-none-match'];
    const currentTag = revocationsEtag(await this.services.revocations.version());
    if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === currentTag)) {
      res.setHeader('ETag', currentTag);
      res.status(304).end();
      return;
    }
    const list = await this.services.revocations.list();
    res.setHeader('ETag', revocationsEtag(list.version));
    res.json(list);
  }

  @Get('ca')
  @Public()
  @ApiOkResponse({ type: CaDto })
  ca(): CaDto {
    const [issuingCertPem, rootCertPem] = this.services.vault.chainPems();
    return { rootCertPem, issuingCertPem, chainPem: `${issuingCertPem.trim()}\n${rootCertPem.trim()}\n` };
  }
}
