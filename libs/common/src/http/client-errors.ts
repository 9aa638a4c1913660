import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';

/** Status and stable code for what Node's HTTP parser refuses before the app sees a request. */
function classify(error: NodeJS.ErrnoException): { status: number; code: string; message: string } {
  if (error.code === 'HPE_HEADER_OVERFLOW') return { status: 431, code: 'HEADERS_TOO_LARGE', message: 'the request line and headers exceed the server limit' };
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, code: 'REQUEST_TIMEOUT', message: 'the request did not arrive in time' };
  return { status: 400, code: 'MALFORMED_REQUEST', message: 'the request is not valid HTTP/1.1' };
}

/**
 * Answers requests that Node's HTTP parser rejects (oversized headers or URL, malformed request
 * lines) with the same `{code, message}` JSON as every other refusal, instead of Node's bare
 * status line. There is no response object at this stage, so the answer is written raw.
 */
export function answerClientErrorsAsJson(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A reset connection or a response already under way cannot take an answer.
    if (error.code === 'ECONNRESET' || !socket.writable || (socket as Duplex & { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const { status, code, message } = classify(error);
    const body = JSON.stringify({ code, message });
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}
