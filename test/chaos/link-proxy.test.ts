import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../support/wait.js';
import { LinkProxy } from './link-proxy.js';
import { ProxyMesh } from './proxy-mesh.js';

/** A TCP server that records what it receives and answers `pong:<data>`. */
async function recordingServer(): Promise<{ server: Server; port: number; received: () => string; sockets: Socket[] }> {
  let received = '';
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('data', (chunk) => {
      received += chunk.toString();
      socket.write(`pong:${chunk.toString()}`);
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, port: (server.address() as { port: number }).port, received: () => received, sockets };
}

async function dial(address: string): Promise<{ socket: Socket; received: () => string; closed: () => boolean }> {
  const [host, port] = address.split(':');
  const socket = connect({ host, port: Number(port) });
  let received = '';
  let closed = false;
  socket.on('data', (chunk) => (received += chunk.toString()));
  socket.on('error', () => undefined);
  socket.on('close', () => (closed = true));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  return { socket, received: () => received, closed: () => closed };
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('the chaos TCP proxy', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function proxied(): Promise<{ proxy: LinkProxy; target: Awaited<ReturnType<typeof recordingServer>>; address: string }> {
    const target = await recordingServer();
    const proxy = new LinkProxy('127.0.0.1', target.port);
    const address = await proxy.start();
    cleanups.push(() => new Promise<void>((resolve) => target.server.close(() => resolve())), () => proxy.close());
    for (const socket of target.sockets) cleanups.push(() => void socket.destroy());
    return { proxy, target, address };
  }

  it('passes bytes both ways', async () => {
    const { target, address } = await proxied();
    const client = await dial(address);
    cleanups.push(() => void client.socket.destroy());
    client.socket.write('ping');
    await until('the answer', async () => (client.received() === 'pong:ping' ? true : undefined), 5000);
    expect(target.received()).toBe('ping');
  });

  it('blackholes one direction: nothing arrives until the heal, then everything does, in order', async () => {
    const { proxy, target, address } = await proxied();
    const client = await dial(address);
    cleanups.push(() => void client.socket.destroy());
    proxy.set('forward', 'blackhole');
    client.socket.write('a');
    await pause(50);
    client.socket.write('b');
    await pause(300);
    expect(target.received()).toBe('');
    expect(proxy.stats.heldChunks).toBeGreaterThan(0);
    proxy.set('forward', 'pass');
    await until('the held bytes', async () => (target.received() === 'ab' ? true : undefined), 5000);
    expect(client.closed()).toBe(false);
  });

  it('drops one direction while the other still passes, and resets the connection that lost bytes on heal', async () => {
    const { proxy, target, address } = await proxied();
    const client = await dial(address);
    cleanups.push(() => void client.socket.destroy());
    client.socket.write('x');
    await until('the first answer', async () => (client.received() === 'pong:x' ? true : undefined), 5000);
    proxy.set('forward', 'drop');
    client.socket.write('lost');
    await pause(300);
    expect(target.received()).toBe('x');
    expect(proxy.stats.droppedBytes).toBe(4);
    // The other direction still flows.
    target.sockets[0].write('hello');
    await until('the backward bytes', async () => (client.received().endsWith('hello') ? true : undefined), 5000);
    proxy.set('forward', 'pass');
    await until('the reset', async () => (client.closed() ? true : undefined), 5000);
    // A new connection works again.
    const again = await dial(address);
    cleanups.push(() => void again.socket.destroy());
    again.socket.write('y');
    await until('an answer on the new connection', async () => (again.received() === 'pong:y' ? true : undefined), 5000);
  });

  it('a close does not cross a blackholed direction until the heal', async () => {
    const { proxy, target, address } = await proxied();
    const client = await dial(address);
    cleanups.push(() => void client.socket.destroy());
    client.socket.write('x');
    await until('the first answer', async () => (client.received() === 'pong:x' ? true : undefined), 5000);
    proxy.set('backward', 'blackhole');
    target.sockets[0].destroy();
    await pause(300);
    expect(client.closed()).toBe(false);
    proxy.set('backward', 'pass');
    await until('the close after the heal', async () => (client.closed() ? true : undefined), 5000);
  });

  it('a mesh cuts a direction on whichever connection carries it', async () => {
    const a = await recordingServer();
    const b = await recordingServer();
    cleanups.push(...[a, b].map((s) => () => new Promise<void>((resolve) => s.server.close(() => resolve()))));
    const mesh = await ProxyMesh.create(new Map([['a', `127.0.0.1:${a.port}`], ['b', `127.0.0.1:${b.port}`]]));
    cleanups.push(() => mesh.close());
    expect(Object.keys(mesh.dialOverrides('a'))).toEqual(['b']);
    // a dials b and b dials a.
    const aToB = await dial(mesh.dialOverrides('a').b);
    const bToA = await dial(mesh.dialOverrides('b').a);
    cleanups.push(() => void aToB.socket.destroy(), () => void bToA.socket.destroy());
    mesh.setFlow('a', 'b', 'blackhole');
    aToB.socket.write('1');
    await until('the b-side connection', async () => (a.sockets.length === 1 ? true : undefined), 5000);
    bToA.socket.write('2');
    await pause(300);
    // a → b: the request on a's dial and the answer on b's dial are held; b → a passes.
    expect(b.received()).toBe('');
    expect(a.received()).toBe('2');
    expect(bToA.received()).toBe('');
    mesh.heal();
    await until('delivery after the heal', async () => (b.received() === '1' && bToA.received() === 'pong:2' && aToB.received() === 'pong:1' ? true : undefined), 5000);
    for (const socket of [...a.sockets, ...b.sockets]) socket.destroy();
  });
});
