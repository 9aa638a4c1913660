import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { REVOCATION_REASONS, type RevocationReason } from '../../certificates/revocation-reasons.js';

const MAX_CSR_CHARS = 16_384;

export class CertificateDto {
  @ApiProperty({ description: 'Lowercase hex serial' })
  serial!: string;

  @ApiProperty()
  memberId!: string;

  @ApiProperty({ enum: ['validator', 'client', 'org-admin'] })
  profile!: string;

  @ApiProperty({ enum: ['active', 'revoked'] })
  status!: string;

  @ApiProperty()
  notBefore!: string;

  @ApiProperty()
  notAfter!: string;

  @ApiProperty()
  spkiSha256!: string;

  @ApiProperty()
  fingerprintSha256!: string;

  @ApiProperty({ nullable: true, type: String })
  revocationReason!: string | null;

  @ApiProperty({ nullable: true, type: String })
  revokedAt!: string | null;

  @ApiProperty()
  createdAt!: string;

  @ApiProperty({ description: 'Active and expiring within 30 days' })
  expiresSoon!: boolean;

  @ApiProperty({ description: 'Certificate PEM' })
  pem!: string;
}

export class CertificateQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  memberId?: string;

  @ApiPropertyOptional({ enum: ['active', 'revoked'] })
  @IsOptional()
  @IsIn(['active', 'revoked'])
  status?: string;
}

export class IssueCertificateDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  memberId!: string;

  @ApiProperty({ description: 'PKCS#10 CSR, PEM' })
  @IsString()
  @MaxLength(MAX_CSR_CHARS)
  csrPem!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 825, default: 365 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(825)
  validityDays?: number;
}

export class IssuePkcs12Dto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  memberId!: string;

  @ApiProperty({ description: 'Protects the PKCS#12; never stored', minLength: 8 })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  password!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 825, default: 365 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(825)
  validityDays?: number;
}

export class Pkcs12ResponseDto {
  @ApiProperty({ type: CertificateDto })
  certificate!: CertificateDto;

  @ApiProperty({ description: 'Password-protected PKCS#12 (key, certificate, chain), base64; returned once, never stored' })
  pkcs12Base64!: string;
}

export class RenewCertificateDto {
  @ApiPropertyOptional({ description: 'CSR for a new key; omit to keep the current key' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CSR_CHARS)
  csrPem?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 825, default: 365 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(825)
  validityDays?: number;
}

export class RevokeCertificateDto {
  @ApiProperty({ enum: REVOCATION_REASONS })
  @IsIn(REVOCATION_REASONS)
  reason!: RevocationReason;
}

export class RevocationListDto {
  @ApiProperty({ description: 'Increases on every change' })
  version!: number;

  @ApiProperty()
  updatedAt!: string;

  @ApiProperty({ type: [String], description: 'Lowercase hex serials' })
  serials!: string[];
}

export class CaDto {
  @ApiProperty()
  rootCertPem!: string;

  @ApiProperty()
  issuingCertPem!: string;

  @ApiProperty({ description: 'Issuing then root, concatenated PEM' })
  chainPem!: string;
}

