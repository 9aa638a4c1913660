import { Agent, request } from 'node:http';

/** One request exactly as the fuzzer wants it on the wire (path already encoded, or not). */
export interface RawRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** What came back. */
export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/**
 * Sends a request with node:http rather than fetch: fetch normalises paths, refuses bodies on
 * GET and re-encodes what the fuzzer deliberately left malformed.
 */
export function sendRaw(baseUrl: string, raw: RawRequest, timeoutMs = 60_000): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...raw.headers };
    if (raw.body !== undefined) headers['content-length'] = raw.body.length;
    let answered = false;
    const outgoing = request({ agent, host: url.hostname, port: url.port, method: raw.method, path: raw.path, headers }, (incoming) => {
      answered = true;
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text: Buffer.concat(chunks).toString('utf8') }));
      incoming.on('error', reject);
    });
    outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      // The server may answer (413) and close before the whole body was written; the answer counts.
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') return;
      reject(error);
    });
    outgoing.on('close', () => {
      if (!answered) reject(new Error('connection closed without an answer'));
    });
    if (raw.body !== undefined) outgoing.end(raw.body);
    else outgoing.end();
  });
}

/** Closes the kept-alive sockets. */
export function closeRawClient(): void {
  agent.destroy();
}
