/**
 * The bridges to Node's networking on real loopback sockets: a bsdsock
 * socket handed to `net.Socket` (and so to `http`) and to `net.Server`,
 * and a `net.Socket` / `net.Server` adopted into bsdsock. MPTCP is used
 * where the kernel has it (`net.mptcp.enabled`), as the example of a socket
 * Node cannot create itself.
 *
 * Every wait is bounded (`within()`), and the tests that move fds between
 * owners check that the open-fd count comes back to where it started.
 */
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { constants as osConstants, tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  OSError, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM, SOL_SOCKET, SO_ACCEPTCONN, SO_PROTOCOL, Socket,
  fromNetServer, fromNetSocket, socketpair, toNetServer, toNetSocket, type SocketReadable,
} from '@bsdsock/core';
import { AF_INET, IPPROTO_MPTCP, IPPROTO_TCP, TCP_NODELAY } from '@bsdsock/inet';
import { AF_UNIX } from '@bsdsock/unix';
import { countOpenFds } from '@bsdsock/test-utils';
import { guardFds, settleFdCount } from './fixtures/fd-guard.js';
import { closeAll, sleep } from './fixtures/object-helpers.js';

guardFds();

const E = osConstants.errno;
const HOST = '127.0.0.1';
/** linux/mptcp.h: SOL_MPTCP and MPTCP_INFO (EOPNOTSUPP once a connection fell back to TCP). */
const SOL_MPTCP = 284;
const MPTCP_INFO = 1;
const AF_VSOCK = 40;

function mptcpEnabled(): boolean {
  try {
    if (readFileSync('/proc/sys/net/mptcp/enabled', 'utf8').trim() !== '1') return false;
    new Socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP).close();
    return true;
  } catch {
    return false;
  }
}
const HAVE_MPTCP = mptcpEnabled();

function canCreate(family: number, type: number): boolean {
  try {
    new Socket(family, type).close();
    return true;
  } catch {
    return false;
  }
}

const opened: Socket[] = [];
const cleanups: (() => unknown)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  closeAll(...opened.splice(0));
});

function track<T extends Socket>(s: T): T {
  opened.push(s);
  return s;
}

function listener(proto = 0): Socket {
  const l = track(new Socket(AF_INET, SOCK_STREAM, proto));
  l.bind([HOST, 0]);
  l.listen();
  return l;
}

/** `p`, or a failure after `ms`. */
function within<T>(p: Promise<T>, ms = 5000, what = 'the wait'): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Closes a server and waits for its 'close'. */
function closeServer(server: net.Server): Promise<void> {
  return within(new Promise<void>((resolve) => server.close(() => resolve())));
}

/** An echo net.Server on loopback, closed after the test. */
async function echoServer(): Promise<net.Server> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((c) => {
    sockets.add(c);
    c.on('close', () => sockets.delete(c));
    c.pipe(c);
  });
  server.listen(0, HOST);
  await within(once(server, 'listening'));
  cleanups.push(() => {
    for (const c of sockets) c.destroy();
    return server.listening ? closeServer(server) : undefined;
  });
  return server;
}

function port(server: net.Server): number {
  return (server.address() as net.AddressInfo).port;
}

/** Reads until `n` bytes came (or the end) from a bsdsock socket. */
async function recvN(s: Socket, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let got = 0;
  while (got < n) {
    const c = await s.recv(n - got);
    if (c.length === 0) break;
    parts.push(c);
    got += c.length;
  }
  return Buffer.concat(parts);
}

function body(res: http.IncomingMessage): Promise<string> {
  return within((async () => {
    let text = '';
    res.setEncoding('utf8');
    for await (const chunk of res) text += chunk;
    return text;
  })());
}

// ---------------------------------------------------------------------------

describe('http over a bsdsock socket handed to net.Socket', () => {
  it.skipIf(!HAVE_MPTCP)('http.get over a handed-off MPTCP socket, served by http.createServer on an MPTCP listener', async () => {
    const before = countOpenFds();
    const seen: { proto: number; mptcpInfo: boolean }[] = [];
    const server = http.createServer((req, res) => {
      // The server side of the connection, looked at through a shared dup.
      const peek = fromNetSocket(req.socket, { share: true });
      try {
        seen.push({ proto: peek.getsockopt(SOL_SOCKET, SO_PROTOCOL), mptcpInfo: peek.getsockopt(SOL_MPTCP, MPTCP_INFO, 256).length > 0 });
      } finally {
        peek.close();
      }
      res.setHeader('content-type', 'text/plain');
      res.end(`hello ${req.method} ${req.url}\n`);
    });
    const l = listener(IPPROTO_MPTCP);
    const [, p] = l.getsockname() as [string, number];
    expect(toNetServer(l, server)).toBe(server);
    await within(once(server, 'listening'));
    expect((server.address() as net.AddressInfo).port).toBe(p);

    let clientMptcpInfo = -1;
    const res = await within(new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.get({
        host: HOST,
        port: p,
        path: '/over/mptcp',
        createConnection: (opts: { host?: string; port?: number | string }, done: (err: Error | null, s?: net.Socket) => void) => {
          const s = new Socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP);
          s.settimeout(5);
          s.connect([opts.host ?? HOST, Number(opts.port)]).then(() => {
            // A real MPTCP connection (not one that fell back to TCP).
            clientMptcpInfo = s.getsockopt(SOL_MPTCP, MPTCP_INFO, 256).length;
            done(null, toNetSocket(s));
          }, (err: Error) => {
            s.close();
            done(err);
          });
          return undefined;
        },
      } as http.RequestOptions, resolve);
      req.on('error', reject);
    }));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain');
    expect(await body(res)).toBe('hello GET /over/mptcp\n');
    expect(clientMptcpInfo).toBeGreaterThan(0);
    expect(seen).toEqual([{ proto: IPPROTO_MPTCP, mptcpInfo: true }]);

    server.closeAllConnections();
    await closeServer(server);
    expect(await settleFdCount(before)).toBe(before);
  });

  it.skipIf(!HAVE_MPTCP)('an http.Agent whose createConnection makes MPTCP sockets: keep-alive reuses one', async () => {
    const before = countOpenFds();
    let connections = 0;
    const server = http.createServer((req, res) => res.end(`#${req.url}`));
    server.on('connection', () => connections++);
    server.listen(0, HOST);
    await within(once(server, 'listening'));

    const handedOff: net.Socket[] = [];
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    (agent as unknown as { createConnection: unknown }).createConnection = (
      opts: { host: string; port: number }, done: (err: Error | null, s?: net.Socket) => void,
    ) => {
      const s = new Socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP);
      s.settimeout(5);
      s.connect([opts.host, opts.port]).then(() => {
        const ns = toNetSocket(s);
        handedOff.push(ns);
        done(null, ns);
      }, (err: Error) => {
        s.close();
        done(err);
      });
      return undefined;
    };
    const get = (p: string): Promise<string> => within(new Promise<string>((resolve, reject) => {
      http.get({ host: HOST, port: port(server), path: p, agent }, (res) => body(res).then(resolve, reject))
        .on('error', reject);
    }));
    expect(await get('/1')).toBe('#/1');
    expect(await get('/2')).toBe('#/2');
    expect(connections).toBe(1);
    expect(handedOff).toHaveLength(1);

    agent.destroy();
    server.closeAllConnections();
    await closeServer(server);
    expect(await settleFdCount(before)).toBe(before);
  });
});

describe('toNetSocket', () => {
  it('hands an AF_UNIX stream socket to net.Socket; the bsdsock Socket is detached, waiting ops reject EBADF', async () => {
    const before = countOpenFds();
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
    track(a);
    track(b);
    b.settimeout(5);
    const pending = a.recv(10);
    const stream = a.makefile('rb') as SocketReadable;
    const streamError = new Promise((resolve) => stream.once('error', resolve));
    stream.resume();
    const ns = toNetSocket(a);
    await expect(pending).rejects.toMatchObject({ errno: E.EBADF });
    expect((await within(streamError) as OSError).errno).toBe(E.EBADF);
    expect(a.fileno()).toBe(-1);
    a.close(); // nothing to do any more

    ns.write('from net');
    expect((await recvN(b, 8)).toString()).toBe('from net');
    await b.sendall(Buffer.from('from bsdsock'));
    const [data] = await within(once(ns, 'data'));
    expect(String(data)).toBe('from bsdsock');

    ns.end();
    expect(await b.recv(10)).toEqual(Buffer.alloc(0));
    b.close();
    await within(once(ns, 'close'));
    expect(await settleFdCount(before)).toBe(before);
  });

  it('a TCP socket: net.Socket reports its addresses; destroying it closes the fd', async () => {
    const server = await echoServer();
    const before = countOpenFds();
    const s = track(new Socket(AF_INET, SOCK_STREAM));
    s.settimeout(5);
    await s.connect([HOST, port(server)]);
    const [, localPort] = s.getsockname() as [string, number];
    const fd = s.fileno();
    const ns = toNetSocket(s, { noDelay: true });
    expect(ns.remotePort).toBe(port(server));
    expect(ns.localPort).toBe(localPort);
    ns.write('echo me');
    const [data] = await within(once(ns, 'data'));
    expect(String(data)).toBe('echo me');
    ns.destroy();
    await within(once(ns, 'close'));
    expect(existsSync(`/proc/self/fd/${fd}`)).toBe(false);
    expect(await settleFdCount(before)).toBe(before);
  });

  it('refuses what net.Socket cannot take, and detaches nothing when it does', async () => {
    const notSocket = (): unknown => toNetSocket({} as Socket);
    expect(notSocket).toThrow(TypeError);

    const closed = new Socket(AF_INET, SOCK_STREAM);
    closed.close();
    expect(() => toNetSocket(closed)).toThrow(expect.objectContaining({ errno: E.EBADF }));

    const udp = track(new Socket(AF_INET, SOCK_DGRAM));
    expect(() => toNetSocket(udp)).toThrow(/SOCK_STREAM sockets only, got SOCK_DGRAM/);
    expect(() => toNetSocket(udp)).toThrow(TypeError);

    const [sp, sp2] = socketpair(AF_UNIX, SOCK_SEQPACKET);
    track(sp);
    track(sp2);
    expect(() => toNetSocket(sp)).toThrow(/got SOCK_SEQPACKET/);

    const fresh = track(new Socket(AF_INET, SOCK_STREAM));
    const err = (() => { try { toNetSocket(fresh); } catch (e) { return e; } })() as OSError;
    expect(err).toBeInstanceOf(OSError);
    expect(err.errno).toBe(E.ENOTCONN);

    const l = listener();
    expect(() => toNetSocket(l)).toThrow(/listening; hand it to toNetServer/);

    if (canCreate(AF_VSOCK, SOCK_STREAM)) {
      const v = track(new Socket(AF_VSOCK, SOCK_STREAM));
      expect(() => toNetSocket(v)).toThrow(/AF_INET, AF_INET6 and AF_UNIX sockets only .* got AF_VSOCK \(40\)/);
    }
    for (const s of [udp, sp, fresh, l]) expect(s.fileno()).toBeGreaterThanOrEqual(0);
  });
});

describe('toNetServer', () => {
  it('a bsdsock listener serves net.connect clients through a new net.Server', async () => {
    const before = countOpenFds();
    const l = listener();
    const addr = l.getsockname() as [string, number];
    const waiting = l.accept();
    const conns: net.Socket[] = [];
    const server = toNetServer(l, (c) => {
      conns.push(c);
      c.end(`hi ${c.remoteAddress}`);
    });
    await expect(waiting).rejects.toMatchObject({ errno: E.EBADF });
    expect(l.fileno()).toBe(-1);
    await within(once(server, 'listening'));
    expect(server.address()).toMatchObject({ address: addr[0], port: addr[1] });

    for (let i = 0; i < 3; i++) {
      const c = net.connect(addr[1], HOST);
      let text = '';
      c.setEncoding('utf8');
      c.on('data', (d) => { text += d; });
      await within(once(c, 'end'));
      expect(text).toBe(`hi ${HOST}`);
      c.destroy();
    }
    expect(conns).toHaveLength(3);
    await closeServer(server);
    expect(await settleFdCount(before)).toBe(before);
  });

  it('takes options, a backlog and an existing server; an AF_UNIX listener keeps its path', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bsdsock-bridge-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'sock');
    const l = track(new Socket(AF_UNIX, SOCK_STREAM));
    l.bind(file);
    l.listen(1);
    const server = toNetServer(l, { allowHalfOpen: true, backlog: 16 });
    server.on('connection', (c) => {
      c.on('end', () => c.end('got your end'));
      c.resume();
    });
    await within(once(server, 'listening'));
    const c = net.connect(file);
    await within(once(c, 'connect'));
    c.end();
    let text = '';
    c.on('data', (d) => { text += String(d); });
    await within(once(c, 'close'));
    expect(text).toBe('got your end');
    await closeServer(server);
    expect(existsSync(file)).toBe(true);
  });

  it('refuses a closed, a non-listening or a datagram socket, and a server that listens already', async () => {
    const closed = new Socket(AF_INET, SOCK_STREAM);
    closed.close();
    expect(() => toNetServer(closed)).toThrow(expect.objectContaining({ errno: E.EBADF }));

    const bound = track(new Socket(AF_INET, SOCK_STREAM));
    bound.bind([HOST, 0]);
    expect(() => toNetServer(bound)).toThrow(expect.objectContaining({ errno: E.EINVAL }));
    expect(() => toNetServer(track(new Socket(AF_INET, SOCK_DGRAM)))).toThrow(TypeError);

    const busy = await echoServer();
    const l = listener();
    expect(() => toNetServer(l, busy)).toThrow(expect.objectContaining({ code: 'ERR_SERVER_ALREADY_LISTEN' }));
    expect(() => toNetServer(l, 5 as never)).toThrow(TypeError);
    expect(() => toNetServer(l, {}, 5 as never)).toThrow(TypeError);
    expect(() => toNetServer(l, { backlog: -1 })).toThrow(RangeError);
    expect(l.fileno()).toBeGreaterThanOrEqual(0);
    expect(bound.fileno()).toBeGreaterThanOrEqual(0);
  });
});

describe('fromNetSocket', () => {
  it('takes a connected net.Socket over: the net.Socket is destroyed, the connection goes on in bsdsock', async () => {
    const server = await echoServer();
    const before = countOpenFds();
    const ns = net.connect(port(server), HOST);
    await within(once(ns, 'connect'));
    const nsFd = (ns as unknown as { _handle: { fd: number } })._handle.fd;
    const s = track(fromNetSocket(ns));
    expect(ns.destroyed).toBe(true);
    await within(once(ns, 'close'));
    expect(s.fileno()).not.toBe(nsFd);
    expect([s.family, s.type, s.proto]).toEqual([AF_INET, SOCK_STREAM, IPPROTO_TCP]);
    expect(s.getpeername()).toEqual([HOST, port(server)]);
    s.settimeout(5);
    await s.sendall(Buffer.from('still connected'));
    expect((await recvN(s, 15)).toString()).toBe('still connected');
    s.close();
    expect(await settleFdCount(before)).toBe(before);
  });

  it('{ share: true } gives a duplicate for socket options; the net.Socket keeps the connection', async () => {
    const server = await echoServer();
    const ns = net.connect(port(server), HOST);
    await within(once(ns, 'connect'));
    const s = fromNetSocket(ns, { share: true });
    try {
      expect(ns.destroyed).toBe(false);
      ns.setNoDelay(true);
      expect(s.getsockopt(IPPROTO_TCP, TCP_NODELAY)).toBe(1);
      s.setsockopt(IPPROTO_TCP, TCP_NODELAY, 0);
    } finally {
      s.close();
    }
    ns.write('after the dup closed');
    const [data] = await within(once(ns, 'data'));
    expect(String(data)).toBe('after the dup closed');
    ns.destroy();
  });

  it('refuses what it cannot adopt without losing data, and leaves the net.Socket alone then', async () => {
    expect(() => fromNetSocket({} as net.Socket)).toThrow(TypeError);
    expect(() => fromNetSocket(new net.Socket())).toThrow(expect.objectContaining({ errno: E.EBADF }));

    const server = await echoServer();
    const connecting = net.connect(port(server), HOST);
    expect(() => fromNetSocket(connecting)).toThrow(expect.objectContaining({ errno: E.ENOTCONN }));
    await within(once(connecting, 'connect'));
    connecting.pause();
    connecting.write('unread');
    // Wait until the echo sits in the net.Socket's buffer.
    for (let i = 0; i < 100 && connecting.readableLength === 0; i++) {
      connecting.read(0);
      await sleep(10);
    }
    expect(connecting.readableLength).toBeGreaterThan(0);
    expect(() => fromNetSocket(connecting)).toThrow(/bytes received but not read/);
    expect(connecting.destroyed).toBe(false);
    connecting.destroy();
    expect(() => fromNetSocket(connecting)).toThrow(expect.objectContaining({ errno: E.EBADF }));
    expect(() => fromNetSocket(connecting, 5 as never)).toThrow(TypeError);
  });
});

describe('fromNetServer', () => {
  it("takes a listening net.Server over: it stops accepting, bsdsock's accept() takes the clients", async () => {
    const before = countOpenFds();
    const server = net.createServer(() => expect.fail('the net.Server accepted a connection'));
    server.listen(0, HOST);
    await within(once(server, 'listening'));
    const p = port(server);
    const l = track(fromNetServer(server));
    expect(server.listening).toBe(false);
    await closeServer(server);
    expect(l.getsockopt(SOL_SOCKET, SO_ACCEPTCONN)).toBe(1);
    expect(l.getsockname()).toEqual([HOST, p]);
    l.settimeout(5);

    const c = net.connect(p, HOST);
    const [conn] = await l.accept();
    track(conn);
    conn.settimeout(5);
    await within(once(c, 'connect'));
    c.write('to bsdsock');
    expect((await recvN(conn, 10)).toString()).toBe('to bsdsock');
    c.destroy();
    conn.close();
    l.close();
    expect(await settleFdCount(before)).toBe(before);
  });

  it('{ share: true } leaves the server listening', async () => {
    const server = await echoServer();
    const l = fromNetServer(server, { share: true });
    expect(l.getsockopt(SOL_SOCKET, SO_ACCEPTCONN)).toBe(1);
    l.close();
    expect(server.listening).toBe(true);
    const c = net.connect(port(server), HOST);
    c.write('x');
    const [data] = await within(once(c, 'data'));
    expect(String(data)).toBe('x');
    c.destroy();
  });

  it('refuses a server without an fd, and a path it could not keep', async () => {
    expect(() => fromNetServer({} as net.Server)).toThrow(TypeError);
    expect(() => fromNetServer(net.createServer())).toThrow(expect.objectContaining({ errno: E.EBADF }));

    const dir = mkdtempSync(path.join(tmpdir(), 'bsdsock-bridge-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'sock');
    const server = net.createServer();
    server.listen(file);
    await within(once(server, 'listening'));
    cleanups.push(() => closeServer(server));
    expect(() => fromNetServer(server)).toThrow(/libuv unlinks when the server closes/);
    const shared = fromNetServer(server, { share: true });
    expect(shared.family).toBe(AF_UNIX);
    shared.close();
    expect(server.listening).toBe(true);
  });
});

describe('ownership round trip', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'bsdsock-bridge-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('bsdsock → net.Socket → bsdsock → net.Socket: one connection, no fd left behind', async () => {
    const before = countOpenFds();
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
    track(b);
    b.settimeout(5);
    const ns1 = toNetSocket(a);
    const back = fromNetSocket(ns1);
    await within(once(ns1, 'close'));
    const ns2 = toNetSocket(back);
    ns2.end('round trip');
    expect((await recvN(b, 20)).toString()).toBe('round trip');
    b.close();
    await within(once(ns2, 'close'));
    expect(await settleFdCount(before)).toBe(before);
  });
});
