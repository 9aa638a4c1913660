import { AccordError } from '#common';

/** JSON over HTTP with `{code, message}` errors turned into AccordErrors. */
async function call<T>(baseUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    let code = `HTTP_${response.status}`;
    let message = text.slice(0, 300);
    try {
      const parsed = JSON.parse(text) as { code?: string; message?: string };
      code = parsed.code ?? code;
      message = parsed.message ?? message;
    } catch {
      // not a JSON error body
    }
    throw new AccordError(code, `${method} ${path}: ${message}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

/** An invitation as created: the token is only ever returned here. */
export interface CreatedInvitation {
  invitation: { id: string; organisationId: string; role: string; expiresAt: string };
  token: string;
}

/**
 * A logged-in admin session against the admin REST API, for automation (devnet, scripts, tests).
 * Covers the calls needed to bootstrap a consortium; everything else is in `/docs`.
 */
export class AdminApiClient {
  private constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** Logs in; fails with `PASSWORD_CHANGE_REQUIRED` semantics left to the caller (see `changePassword`). */
  static async login(baseUrl: string, username: string, password: string): Promise<AdminApiClient> {
    const { token } = await call<{ token: string }>(baseUrl, 'POST', '/v1/auth/login', { username, password });
    return new AdminApiClient(baseUrl, token);
  }

  /** Any authenticated call. */
  request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return call<T>(this.baseUrl, method, path, body, { authorization: `Bearer ${this.token}` });
  }

  changePassword(currentPassword: string, newPassword: string): Promise<void> {
    return this.request('POST', '/v1/auth/password', { currentPassword, newPassword });
  }

  createOrganisation(name: string): Promise<{ id: string; name: string }> {
    return this.request('POST', '/v1/organisations', { name });
  }

  createInvitation(request: { organisationId: string; role: 'validator' | 'client' | 'org-admin'; autoApprove?: boolean; expiresInHours?: number; note?: string }): Promise<CreatedInvitation> {
    return this.request('POST', '/v1/invitations', request);
  }

  approveEnrollment(enrollmentId: string): Promise<{ id: string; status: string; memberId: string; certificateSerial: string }> {
    return this.request('POST', `/v1/enrollments/${enrollmentId}/approve`);
  }

  generateGenesis(request: { consensus: 'raft' | 'pbft'; blockIntervalMs?: number; maxTxsPerBlock?: number; electionTimeoutMs?: number; heartbeatIntervalMs?: number; powDifficultyBits?: number; genesisTime?: string }): Promise<{ hash: string; genesis: Record<string, unknown> }> {
    return this.request('POST', '/v1/consortium/genesis', request);
  }
}

/** Public endpoints a member or validator calls without a login. */
export const publicAdminApi = {
  /** Root and issuing CA certificates. */
  ca: (baseUrl: string) => call<{ rootCertPem: string; issuingCertPem: string; chainPem: string }>(baseUrl, 'GET', '/v1/ca'),
  /** The frozen genesis exactly as served (canonical JSON text) and its hash. */
  async genesis(baseUrl: string): Promise<{ canonicalJson: string; hashHex: string }> {
    const response = await fetch(new URL('/v1/consortium/genesis', baseUrl));
    if (!response.ok) throw new AccordError('GENESIS_NOT_READY', `GET /v1/consortium/genesis: HTTP ${response.status}`);
    return { canonicalJson: await response.text(), hashHex: response.headers.get('x-genesis-hash') ?? '' };
  },
  revocations: (baseUrl: string) => call<{ version: number; updatedAt: string; serials: string[] }>(baseUrl, 'GET', '/v1/revocations'),
};
