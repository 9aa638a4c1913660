import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerClientErrorsAsJson } from './client-errors.js';

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((_request, response) => response.end('ok'));
  answerClientErrorsAsJson(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Writes raw bytes and reads the whole answer (the server closes after a parser error). */
function exchange(raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(raw));
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

function parse(answer: string): { status: number; contentType: string; body: unknown } {
  const [head, body] = answer.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), contentType: /content-type: ([^\r]+)/i.exec(head)?.[1] ?? '', body: JSON.parse(body) };
}

describe('answerClientErrorsAsJson', () => {
  it('answers an oversized URL with 431 and a JSON {code, message}', async () => {
    const answer = parse(await exchange(`GET /${'x'.repeat(20_000)} HTTP/1.1\r\nHost: a\r\n\r\n`));
    expect(answer.status).toBe(431);
    expect(answer.contentType).toContain('application/json');
    expect(answer.body).toEqual({ code: 'HEADERS_TOO_LARGE', message: expect.any(String) });
  });

  it('answers a malformed request line with 400 MALFORMED_REQUEST', async () => {
    const answer = parse(await exchange('NOT HTTP AT ALL\r\n\r\n'));
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ code: 'MALFORMED_REQUEST', message: expect.any(String) });
  });

  it('still serves well-formed requests', async () => {
    expect(await exchange('GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*ok$/);
  });
});
