import { HttpAccordError, type StatusByCode } from '#common';

/** HTTP status of each domain error code the admin app throws (unlisted codes are 422). */
export const ADMIN_STATUS_BY_CODE: StatusByCode = {
  CSR_INVALID: 400,
  CSR_SIGNATURE: 400,
  CSR_WEAK_KEY: 400,
  PROOF_INVALID: 400,
  ENROLLMENT_INPUT_INVALID: 400,
  SUBJECT_INVALID: 400,
  SAN_INVALID: 400,
  PARAM_INVALID: 400,
  PASSWORD_TOO_WEAK: 400,
  PASSWORD_REUSED: 400,
  TOKEN_UNKNOWN: 401,
  TOKEN_USED: 409,
  TOKEN_EXPIRED: 410,
  ACCOUNT_KEY_IN_USE: 409,
  NODE_ID_IN_USE: 409,
  ORGANISATION_EXISTS: 409,
  USER_EXISTS: 409,
  ENROLLMENT_DECIDED: 409,
  CERTIFICATE_REVOKED: 409,
  MEMBER_STATE: 409,
  GENESIS_FROZEN: 409,
  GENESIS_NOT_READY: 409,
  ALREADY_INITIALISED: 409,
  NOT_INITIALISED: 503,
  GOVERNANCE_UNAVAILABLE: 502,
};

/** A 404 with a code naming what was not found. */
export function notFound(what: string, id: string): HttpAccordError {
  return new HttpAccordError(404, `${what.toUpperCase().replace(/[^A-Z]+/g, '_')}_NOT_FOUND`, `${what} ${id} not found`);
}
