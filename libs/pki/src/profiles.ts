import { isIP } from 'node:net';
import forge from 'node-forge';
import { PkiErrorCode, pkiError } from './errors.js';

/** Leaf certificate profiles the consortium CA issues; the profile name is the subject OU. */
export type CertificateProfile = 'validator' | 'client' | 'org-admin';

/** All profiles, in a stable order. */
export const CERTIFICATE_PROFILES: readonly CertificateProfile[] = ['validator', 'client', 'org-admin'];

/** Extra subject alternative names for a validator (its TLS endpoints). */
export interface SubjectAltNames {
  /** DNS names, e.g. `validator-1.example.org`. */
  readonly dns?: readonly string[];
  /** IPv4 or IPv6 literals, e.g. `10.0.0.7`. */
  readonly ips?: readonly string[];
}

/** Development default SANs for validators when the caller gives none. */
export const DEV_VALIDATOR_SANS: SubjectAltNames = { dns: ['localhost'], ips: ['127.0.0.1'] };

/** URN prefix of validator identities in SAN URIs. */
export const VALIDATOR_URN_PREFIX = 'urn:accord:validator:';
/** URN prefix of member identities (client and org-admin certificates) in SAN URIs. */
export const MEMBER_URN_PREFIX = 'urn:accord:member:';

/** Node ids and member ids: they end up in a CN and a URN, so keep them to a safe alphabet. */
const SUBJECT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const DNS_NAME_PATTERN = /^(?=.{1,253}$)(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
// X.520 upper bound for organizationName and commonName.
const MAX_NAME_CHARS = 64;

/** Throws `PROFILE_INVALID` unless `profile` is a known {@link CertificateProfile}. */
export function assertProfile(profile: string): asserts profile is CertificateProfile {
  if (!(CERTIFICATE_PROFILES as readonly string[]).includes(profile)) {
    throw pkiError(PkiErrorCode.PROFILE_INVALID, `unknown certificate profile "${profile}"`);
  }
}

/** Throws `SUBJECT_INVALID` unless `id` is 1-64 chars of `[A-Za-z0-9._-]` starting alphanumeric. */
export function assertSubjectId(id: string): void {
  if (!SUBJECT_ID_PATTERN.test(id)) {
    throw pkiError(PkiErrorCode.SUBJECT_INVALID, `subject id must match ${SUBJECT_ID_PATTERN.source}, got "${id}"`);
  }
}

/** Throws `SUBJECT_INVALID` unless `value` is a non-blank name of at most 64 characters without control characters. */
export function assertNameField(field: string, value: string): void {
  // eslint-disable-next-line no-control-regex
  if (value.trim().length === 0 || [...value].length > MAX_NAME_CHARS || /[\u0000-\u001f\u007f]/.test(value)) {
    throw pkiError(PkiErrorCode.SUBJECT_INVALID, `${field} must be 1-${MAX_NAME_CHARS} printable characters`);
  }
}

/** The SAN URI identifying `subjectId` under `profile`. */
export function identityUrn(profile: CertificateProfile, subjectId: string): string {
  return `${profile === 'validator' ? VALIDATOR_URN_PREFIX : MEMBER_URN_PREFIX}${subjectId}`;
}

/** True when a forge name attribute is UTF8String-encoded (forge's typings mistype the tag as a class). */
export function isUtf8Attribute(attribute: forge.pki.CertificateField): boolean {
  return (attribute.valueTagClass as number | undefined) === forge.asn1.Type.UTF8;
}

/** A forge name attribute with its value encoded as UTF8String, so names may be any Unicode. */
export function utf8Attribute(shortName: string, value: string): forge.pki.CertificateField {
  return { shortName, value, valueTagClass: forge.asn1.Type.UTF8 as number as forge.asn1.Class };
}

/** Subject attributes in forge form: CN, O and optionally OU, all UTF8String. */
export function subjectAttributes(fields: { commonName: string; organization: string; organizationalUnit?: string }): forge.pki.CertificateField[] {
  const attributes = [utf8Attribute('CN', fields.commonName), utf8Attribute('O', fields.organization)];
  if (fields.organizationalUnit !== undefined) attributes.push(utf8Attribute('OU', fields.organizationalUnit));
  return attributes;
}

/** forge `subjectAltName` entries for a leaf: the identity URN, then (validators only) DNS and IP names. */
function altNames(profile: CertificateProfile, subjectId: string, sans: SubjectAltNames | undefined): object[] {
  const names: object[] = [{ type: 6, value: identityUrn(profile, subjectId) }];
  if (profile !== 'validator') {
    if ((sans?.dns?.length ?? 0) > 0 || (sans?.ips?.length ?? 0) > 0) {
      throw pkiError(PkiErrorCode.SAN_INVALID, `profile ${profile} carries only its member URN; DNS/IP SANs are for validators`);
    }
    return names;
  }
  const effective = sans ?? DEV_VALIDATOR_SANS;
  for (const dns of effective.dns ?? []) {
    if (!DNS_NAME_PATTERN.test(dns)) throw pkiError(PkiErrorCode.SAN_INVALID, `invalid DNS name "${dns}"`);
    names.push({ type: 2, value: dns.toLowerCase() });
  }
  for (const ip of effective.ips ?? []) {
    if (isIP(ip) === 0) throw pkiError(PkiErrorCode.SAN_INVALID, `invalid IP address "${ip}"`);
    names.push({ type: 7, ip });
  }
  return names;
}

/**
 * The forge extensions of a leaf certificate for `profile` (except the key identifiers, which
 * depend on the keys and are added by the builder).
 */
export function leafExtensions(profile: CertificateProfile, subjectId: string, sans: SubjectAltNames | undefined): object[] {
  const isValidator = profile === 'validator';
  return [
    { name: 'basicConstraints', cA: false, critical: true },
    // RSA key transport (TLS 1.2 RSA kx) needs keyEncipherment on a server certificate.
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: isValidator },
    { name: 'extKeyUsage', serverAuth: isValidator, clientAuth: true },
    { name: 'subjectAltName', altNames: altNames(profile, subjectId, sans) },
  ];
}
