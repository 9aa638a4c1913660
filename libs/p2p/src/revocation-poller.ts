import type { Logger } from 'pino';
import { normalizeSerial } from './certificate-facts.js';
import { P2pError } from './errors.js';

/** The admin's published revocation list (`GET <adminUrl>/v1/revocations`). */
export interface RevocationList {
  readonly version: number;
  readonly updatedAt: string;
  /** Normalised serials (lowercase hex, no leading zeros). */
  readonly serials: readonly string[];
}

/** Options of {@link RevocationPoller}. */
export interface RevocationPollerOptions {
  /** Full URL of the list, e.g. `https://admin:8443/v1/revocations`. */
  readonly url: string;
  readonly pollIntervalMs: number;
  /** Called with every list fetched (a 304 does not call it). */
  readonly onList: (list: RevocationList) => void;
  readonly logger: Logger;
  /** Injected for tests; defaults to the global fetch. */
  readonly fetchImpl?: typeof fetch;
  /** Per-request timeout; defaults to the poll interval, at least 1 s. */
  readonly requestTimeoutMs?: number;
}

/** Validates the JSON body of the revocation list. Throws P2P_REVOCATION_FORMAT. */
export function parseRevocationList(body: unknown): RevocationList {
  const candidate = body as Partial<Record<keyof RevocationList, unknown>> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    !Number.isSafeInteger(candidate.version) ||
    typeof candidate.updatedAt !== 'string' ||
    !Array.isArray(candidate.serials) ||
    !candidate.serials.every((serial) => typeof serial === 'string' && /^[0-9a-fA-F]+$/.test(serial))
  ) {
    throw new P2pError('P2P_REVOCATION_FORMAT', 'revocation list must be {version: integer, updatedAt: string, serials: hex string[]}');
  }
  return {
    version: candidate.version as number,
    updatedAt: candidate.updatedAt,
    serials: (candidate.serials as string[]).map(normalizeSerial),
  };
}

/**
 * Polls the admin's revocation list with conditional requests (If-None-Match / ETag, 304 means
 * unchanged). A failed poll keeps the last known list and is retried on the next tick.
 */
export class RevocationPoller {
  private etag: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private stopped = true;

  constructor(private readonly options: RevocationPollerOptions) {}

  /** Starts polling; the first poll happens at once. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.tick();
  }

  /** Stops polling and waits for a request in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.inFlight;
  }

  /** Fetches the list once; resolves after `onList` ran (or the failure was logged). */
  async pollOnce(): Promise<void> {
    const fetchImpl = this.options.fetchImpl ?? fetch;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.etag) headers['if-none-match'] = this.etag;
    try {
      const response = await fetchImpl(this.options.url, {
        headers,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? Math.max(1000, this.options.pollIntervalMs)),
      });
      if (response.status === 304) return;
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const list = parseRevocationList(await response.json());
      this.etag = response.headers.get('etag') ?? undefined;
      this.options.onList(list);
    } catch (error) {
      this.options.logger.warn({ url: this.options.url, err: error }, 'revocation list poll failed; keeping the last known list');
    }
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    this.inFlight = this.pollOnce();
    await this.inFlight;
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), this.options.pollIntervalMs);
    this.timer.unref();
  }
}
