import { toHex, type Transaction } from '#chain';
import { AccordError } from '#common';

/** An error answer from a validator: HTTP status plus the stable code. */
export class AccordApiError extends AccordError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(code, message);
    this.name = 'AccordApiError';
  }
}

/** Submission answer. */
export interface SubmitResponse {
  hash: string;
  status: 'pending' | 'queued' | 'committed' | 'rejected';
  height?: number;
  index?: number;
}

/** Batch submission answer. */
export interface BatchResponse {
  accepted: number;
  rejected: number;
  results: Array<{ hash?: string; accepted: boolean; status?: string; code?: string; message?: string }>;
}

/** Block as served by `GET /v1/blocks/{height}`. */
export interface BlockResponse {
  height: number;
  hash: string;
  header: Record<string, unknown> & { txRoot: string; txCount: number; height: number };
  headerBytes: string;
  txHashes: string[];
  certificate?: string;
}

/** Transaction as served by `GET /v1/transactions/{hash}`. */
export interface TransactionResponse {
  hash: string;
  status: 'pending' | 'queued' | 'committed' | 'rejected';
  height?: number;
  index?: number;
  code?: string;
  message?: string;
  tx?: Record<string, unknown>;
  raw?: string;
  proof?: { leafIndex: number; leafCount: number; path: string[]; root: string };
  block?: BlockResponse;
}

/** Account as served by `GET /v1/accounts/{address}`. */
export interface AccountResponse {
  address: string;
  balance: string;
  nonce: string;
}

/** A small typed client for a validator's REST API (Node 20 fetch). */
export class AccordClient {
  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 30_000,
  ) {}

  private async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    const json: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const error = (json ?? {}) as { code?: string; message?: string };
      const retryAfter = response.headers.get('retry-after');
      throw new AccordApiError(response.status, error.code ?? `HTTP_${response.status}`, error.message ?? response.statusText, retryAfter ? Number(retryAfter) : undefined);
    }
    return json as T;
  }

  /** Submits a signed transaction; with `wait`, resolves once it is committed (or throws if rejected). */
  submit(tx: Transaction | Uint8Array, options: { wait?: boolean; waitTimeoutMs?: number } = {}): Promise<SubmitResponse> {
    const bytes = tx instanceof Uint8Array ? tx : tx.bytes;
    return this.request('POST', '/v1/transactions', { tx: toHex(bytes), ...options });
  }

  /** Submits up to 1,000 signed transactions. */
  submitBatch(txs: ReadonlyArray<Transaction | Uint8Array>): Promise<BatchResponse> {
    return this.request('POST', '/v1/transactions/batch', { txs: txs.map((tx) => toHex(tx instanceof Uint8Array ? tx : tx.bytes)) });
  }

  getTransaction(hash: string): Promise<TransactionResponse> {
    return this.request('GET', `/v1/transactions/${hash}`);
  }

  getAccount(address: string): Promise<AccountResponse> {
    return this.request('GET', `/v1/accounts/${address}`);
  }

  getBlock(height: number | 'latest'): Promise<BlockResponse> {
    return this.request('GET', `/v1/blocks/${height}`);
  }

  getRecord(key: string): Promise<{ key: string; value: string; valueHex: string; owner: string; height: number; txHash: string }> {
    return this.request('GET', `/v1/records/${encodeURIComponent(key)}`);
  }

  status(): Promise<{ chainId: string; nodeId: string; height: number; headHash: string; stateRoot: string; consensus: { type: string; role: string; leaderId?: string } }> {
    return this.request('GET', '/v1/status');
  }

  /** The next nonce for an account: its committed nonce (pending transactions not counted). */
  async nextNonce(address: string): Promise<bigint> {
    return BigInt((await this.getAccount(address)).nonce);
  }

  /** Polls until the transaction is committed or rejected, or the timeout passes. */
  async waitForCommit(hash: string, timeoutMs = 30_000, intervalMs = 100): Promise<TransactionResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const tx = await this.getTransaction(hash);
        if (tx.status === 'committed' || tx.status === 'rejected') return tx;
      } catch (error) {
        if (!(error instanceof AccordApiError) || error.code !== 'TX_NOT_FOUND') throw error;
      }
      if (Date.now() > deadline) throw new AccordError('WAIT_TIMEOUT', `transaction ${hash} not final after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
