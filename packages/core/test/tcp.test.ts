/**
 * TCP on real loopback sockets: CPython's behaviours TCP-01..TCP-29,
 * BUF-01..BUF-10 and SND-01..SND-03 (see the conformance checklist), each
 * in the Promise form and in the Sync form where the operation can wait.
 *
 * Every wait is bounded: the default timeout is 5 s for the whole file (so a
 * Sync call can never hang the worker), and tests of blocking mode bound the
 * blocking call with SO_RCVTIMEO / SO_SNDTIMEO. A peer that must run while
 * the main thread is blocked in a Sync call lives in a worker thread (Node's
 * `net`, an independent implementation).
 */
import { createHash, pbkdf2, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { constants as osConstants } from 'node:os';
import { Worker } from 'node:worker_threads';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  BlockingIOError, BrokenPipeError, ConnectionRefusedError, ConnectionResetError, OSError, Socket,
  TimeoutError, gaierror, getdefaulttimeout, setdefaulttimeout, socket,
  MSG_PEEK, MSG_WAITALL, SHUT_RDWR, SHUT_WR, SOCK_STREAM, SOL_SOCKET, SO_RCVBUF, SO_RCVTIMEO,
  SO_LINGER, SO_REUSEADDR, SO_SNDBUF, SO_SNDTIMEO,
} from '@bsdsock/core';
import {
  AF_INET, AF_INET6, IPPROTO_IPV6, IPPROTO_TCP, IPV6_V6ONLY, TCP_NODELAY, TCP_QUICKACK,
} from '@bsdsock/inet';
import { countOpenFds, listOpenFds } from '@bsdsock/test-utils';
import { expectOSError, rejectionOf, thrownBy } from './fixtures/assertions.js';

const E = osConstants.errno;
/** The message CPython's tests send (BasicTCPTest's MSG). */
const MSG = Buffer.from('Michael Gilfix was here\u1234\r\n', 'utf8');
const HOST = '127.0.0.1';

// ---------------------------------------------------------------------------
// Helpers

const opened: Socket[] = [];

/** Every socket a test makes is closed after it, whatever happens. */
function track<T extends Socket>(s: T): T {
  opened.push(s);
  return s;
}

function tcp(family = AF_INET): Socket {
  return track(new Socket(family, SOCK_STREAM));
}

function listener(family = AF_INET, host = family === AF_INET6 ? '::1' : HOST): Socket {
  const srv = tcp(family);
  srv.bind([host, 0]);
  srv.listen();
  return srv;
}

/** A connected pair made with the Promise API: [client, accepted, listener]. */
async function connectedPair(family = AF_INET): Promise<[Socket, Socket, Socket]> {
  const srv = listener(family);
  const cli = tcp(family);
  await cli.connect(srv.getsockname());
  const [conn] = await srv.accept();
  track(conn);
  return [cli, conn, srv];
}

/** A connected pair made with the Sync API (the kernel completes the handshake before accept). */
function connectedPairSync(family = AF_INET): [Socket, Socket, Socket] {
  const srv = listener(family);
  const cli = tcp(family);
  cli.connectSync(srv.getsockname());
  const [conn] = srv.acceptSync();
  track(conn);
  return [cli, conn, srv];
}

/** A port nobody listens on: held by a bound, non-listening socket, so connecting is refused. */
function refusedAddress(): [string, number] {
  const s = tcp();
  s.bind([HOST, 0]);
  return s.getsockname() as [string, number];
}

function timeval(seconds: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeBigInt64LE(BigInt(Math.floor(seconds)), 0);
  b.writeBigInt64LE(BigInt(Math.round((seconds % 1) * 1e6)), 8);
  return b;
}

/** Blocking mode, with the blocking calls bounded by SO_RCVTIMEO / SO_SNDTIMEO. */
function blockingBounded(s: Socket, seconds = 3): void {
  s.settimeout(null);
  s.setsockopt(SOL_SOCKET, SO_RCVTIMEO, timeval(seconds));
  s.setsockopt(SOL_SOCKET, SO_SNDTIMEO, timeval(seconds));
}

/** struct linger { l_onoff = 1, l_linger = 0 }: close() sends a RST. */
function linger0(): Buffer {
  const b = Buffer.alloc(8);
  b.writeInt32LE(1, 0);
  return b;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Reads until EOF with the Promise API; returns [bytes, sha256]. */
async function drain(s: Socket, chunk = 1 << 20): Promise<[number, string]> {
  const h = createHash('sha256');
  let n = 0;
  for (;;) {
    const d = await s.recv(chunk);
    if (d.length === 0) return [n, h.digest('hex')];
    h.update(d);
    n += d.length;
  }
}

/** Fills the send path (a peer that does not read) with non-blocking sends; returns bytes queued. */
function fillSendBuffer(s: Socket): number {
  const t = s.gettimeout();
  s.setblocking(false);
  const chunk = Buffer.alloc(64 * 1024);
  let n = 0;
  try {
    for (;;) n += s.sendSync(chunk);
  } catch (err) {
    expect(err).toBeInstanceOf(BlockingIOError);
  }
  s.settimeout(t);
  return n;
}

/**
 * A peer in a worker thread (Node's `net`), for tests where the main thread
 * blocks in a Sync call. It connects to `port` after `delayConnect` ms, then
 * either hashes everything it reads (`sink`) and posts `{ n, sha }`, or
 * writes each of `chunks` `delayWrite` ms apart and ends.
 */
const PEER_SOURCE = `
const { parentPort, workerData: w } = require('node:worker_threads');
const net = require('node:net');
const crypto = require('node:crypto');
setTimeout(() => {
  const sock = net.connect(w.port, w.host);
  sock.on('error', (e) => parentPort.postMessage({ error: String(e) }));
  if (w.sink) {
    const h = crypto.createHash('sha256');
    let n = 0;
    sock.on('data', (d) => { h.update(d); n += d.length; });
    sock.on('end', () => { parentPort.postMessage({ n, sha: h.digest('hex') }); sock.end(); });
  } else {
    sock.on('data', () => {});
    sock.on('connect', () => {
      const chunks = (w.chunks || []).map((c) => Buffer.from(c));
      const next = () => {
        if (chunks.length === 0) { if (!w.keepOpen) sock.end(); return; }
        sock.write(chunks.shift());
        setTimeout(next, w.delayWrite || 0);
      };
      setTimeout(next, w.delayWrite || 0);
    });
    sock.on('close', () => parentPort.postMessage({ done: true }));
  }
}, w.delayConnect || 0);
`;

interface PeerOptions {
  port: number;
  host?: string;
  sink?: boolean;
  delayConnect?: number;
  delayWrite?: number;
  chunks?: string[];
  keepOpen?: boolean;
}

const workers = new Set<Worker>();

function peer(options: PeerOptions): { message: Promise<any>; exited: Promise<unknown> } {
  const w = new Worker(PEER_SOURCE, { eval: true, workerData: { host: HOST, ...options } });
  workers.add(w);
  const exited = once(w, 'exit').finally(() => workers.delete(w));
  const message = once(w, 'message').then(([m]) => m);
  message.catch(() => undefined);
  return { message, exited };
}

// ---------------------------------------------------------------------------

let fdsBefore = 0;
let savedDefault: number | null = null;
let hasIPv6 = false;

beforeAll(async () => {
  savedDefault = getdefaulttimeout();
  setdefaulttimeout(5);
  try {
    const s = new Socket(AF_INET6, SOCK_STREAM);
    try {
      s.bind(['::1', 0]);
      hasIPv6 = true;
    } finally {
      s.close();
    }
  } catch {
    hasIPv6 = false;
  }
  // Warm up what lazily opens fds for good (a first worker thread), so the
  // count below sees only what the tests leave behind.
  const w = new Worker('0', { eval: true });
  await once(w, 'exit');
  fdsBefore = countOpenFds();
});

afterEach(async () => {
  for (const s of opened.splice(0)) {
    try {
      s.close();
    } catch {
      // already gone
    }
  }
  await Promise.all([...workers].map((w) => w.terminate()));
});

afterAll(() => {
  setdefaulttimeout(savedDefault);
  const after = countOpenFds();
  expect(after, `fds open now: ${JSON.stringify([...listOpenFds()])}`).toBe(fdsBefore);
});

// ---------------------------------------------------------------------------

describe('TCP data transfer', () => {
  it('TCP-01: recv(1024) returns the message (Promise)', async () => {
    const [cli, conn] = await connectedPair();
    await cli.sendall(MSG);
    expect(await conn.recv(1024)).toEqual(MSG);
  });

  it('TCP-01: recvSync(1024) returns the message (Sync)', () => {
    const [cli, conn] = connectedPairSync();
    cli.sendallSync(MSG);
    const got = conn.recvSync(1024);
    expect(Buffer.isBuffer(got)).toBe(true);
    expect(got).toEqual(MSG);
  });

  it('a pending recv resolves when data arrives later (Promise)', async () => {
    const [cli, conn] = await connectedPair();
    const pending = conn.recv(1024);
    await new Promise((r) => setTimeout(r, 50));
    await cli.send(MSG);
    expect(await pending).toEqual(MSG);
  });

  it('a blocking recvSync waits for data that comes later (Sync, blocking mode)', async () => {
    const srv = listener();
    const p = peer({ port: (srv.getsockname() as [string, number])[1], delayWrite: 200, chunks: ['late data'] });
    const [conn] = srv.acceptSync();
    track(conn);
    blockingBounded(conn, 5);
    const t0 = performance.now();
    const got = conn.recvSync(100);
    const waited = performance.now() - t0;
    expect(got.toString()).toBe('late data');
    expect(waited).toBeGreaterThan(100);
    expect(conn.recvSync(100)).toEqual(Buffer.alloc(0));
    conn.close();
    await p.exited;
  });

  it('TCP-02: recv(len-3) then recv(1024) put the message back together (both forms)', async () => {
    const [cli, conn] = await connectedPair();
    await cli.sendall(MSG);
    const a = await conn.recv(MSG.length - 3);
    expect(a.length).toBe(MSG.length - 3);
    expect(Buffer.concat([a, await conn.recv(1024)])).toEqual(MSG);

    cli.sendallSync(MSG);
    const b = conn.recvSync(MSG.length - 3);
    expect(Buffer.concat([b, conn.recvSync(1024)])).toEqual(MSG);
  });

  it('TCP-03: recvfrom on a connected TCP socket returns [data, null], partial reads too (Promise)', async () => {
    const [cli, conn] = await connectedPair();
    await cli.sendall(MSG);
    const [a, addrA] = await conn.recvfrom(MSG.length - 3);
    expect(addrA).toBeNull();
    const [b, addrB] = await conn.recvfrom(1024);
    expect(addrB).toBeNull();
    expect(Buffer.concat([a, b])).toEqual(MSG);
  });

  it('TCP-03: recvfromSync on a connected TCP socket returns [data, null] (Sync)', () => {
    const [cli, conn] = connectedPairSync();
    cli.sendallSync(MSG);
    const [a, addrA] = conn.recvfromSync(MSG.length - 3);
    const [b, addrB] = conn.recvfromSync(1024);
    expect([addrA, addrB]).toEqual([null, null]);
    expect(Buffer.concat([a, b])).toEqual(MSG);
  });

  it('BUF-03: recvfromInto on TCP returns [nbytes, null] with the data in place (both forms)', async () => {
    const [cli, conn] = await connectedPair();
    await cli.sendall(MSG);
    const buf = Buffer.alloc(1024);
    expect(await conn.recvfromInto(buf)).toEqual([MSG.length, null]);
    expect(buf.subarray(0, MSG.length)).toEqual(MSG);

    cli.sendallSync(MSG);
    const arr = new Uint8Array(MSG.length);
    expect(conn.recvfromIntoSync(arr)).toEqual([MSG.length, null]);
    expect(Buffer.from(arr)).toEqual(MSG);
  });

  it('TCP-04: sendall(2048 bytes) then close: the peer reads exactly 2048 bytes, then empty (Promise)', async () => {
    const [cli, conn] = await connectedPair();
    expect(await cli.sendall(Buffer.alloc(2048, 'f'))).toBeUndefined();
    cli.close();
    let total = Buffer.alloc(0);
    for (;;) {
      const d = await conn.recv(1024);
      if (d.length === 0) break;
      total = Buffer.concat([total, d]);
    }
    expect(total).toEqual(Buffer.alloc(2048, 'f'));
  });

  it('TCP-04: sendallSync(2048 bytes) then close: the peer reads 2048 bytes, then empty (Sync)', () => {
    const [cli, conn] = connectedPairSync();
    expect(cli.sendallSync(Buffer.alloc(2048, 'f'))).toBeUndefined();
    cli.close();
    const parts: Buffer[] = [];
    for (let d = conn.recvSync(1024); d.length > 0; d = conn.recvSync(1024)) parts.push(d);
    expect(Buffer.concat(parts)).toEqual(Buffer.alloc(2048, 'f'));
  });

  it('TCP-05: after the peer closes, recv(1) gives an empty Buffer (both forms)', async () => {
    const [cli, conn] = await connectedPair();
    const pending = conn.recv(1);
    cli.close();
    const got = await pending;
    expect(Buffer.isBuffer(got)).toBe(true);
    expect(got.length).toBe(0);
    expect(conn.recvSync(1).length).toBe(0);
  });

  it('SND-01: sendall of 1 MiB, 1 MiB + 7 and 10 MiB arrives intact, from any bytes-like view (Promise)', async () => {
    for (const size of [1 << 20, (1 << 20) + 7, 10 << 20]) {
      const [cli, conn] = await connectedPair();
      const data = randomBytes(size);
      const reading = drain(conn);
      await cli.sendall(data);
      cli.shutdown(SHUT_WR);
      expect(await reading).toEqual([size, sha256(data)]);
    }
    const views = (d: Buffer): ArrayBufferView[] => [
      new Uint8Array(d.buffer, d.byteOffset, d.byteLength),
      new DataView(d.buffer, d.byteOffset, d.byteLength),
    ];
    const data = randomBytes(1 << 20);
    for (const view of views(data)) {
      const [cli, conn] = await connectedPair();
      const reading = drain(conn);
      await cli.sendall(view);
      cli.shutdown(SHUT_WR);
      expect(await reading).toEqual([data.length, sha256(data)]);
    }
    // An ArrayBuffer is bytes-like too.
    const [cli, conn] = await connectedPair();
    const ab = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
    const reading = drain(conn);
    await cli.sendall(ab);
    cli.shutdown(SHUT_WR);
    expect(await reading).toEqual([data.length, sha256(data)]);
  });

  it('SND-01: sendallSync of 10 MiB arrives intact at a peer reading in another thread (Sync)', async () => {
    const srv = listener();
    const data = randomBytes(10 << 20);
    const p = peer({ port: (srv.getsockname() as [string, number])[1], sink: true });
    const [conn] = srv.acceptSync();
    track(conn);
    expect(conn.sendallSync(data)).toBeUndefined();
    conn.shutdown(SHUT_WR);
    expect(await p.message).toEqual({ n: data.length, sha: sha256(data) });
    await p.exited;
  });

  it('TCP-08: send returns how many bytes went, possibly fewer than given (Promise)', async () => {
    const [cli, conn] = await connectedPair();
    cli.setsockopt(SOL_SOCKET, SO_SNDBUF, 16384);
    conn.setsockopt(SOL_SOCKET, SO_RCVBUF, 16384);
    const big = Buffer.alloc(10 << 20, 7);
    const n = await cli.send(big);
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(big.length);
  });

  it('TCP-08: sendSync returns a partial count in timeout and non-blocking modes (Sync)', () => {
    const [cli, conn] = connectedPairSync();
    cli.setsockopt(SOL_SOCKET, SO_SNDBUF, 16384);
    conn.setsockopt(SOL_SOCKET, SO_RCVBUF, 16384);
    const big = Buffer.alloc(10 << 20, 7);
    cli.settimeout(2);
    const n1 = cli.sendSync(big);
    expect(n1).toBeGreaterThan(0);
    expect(n1).toBeLessThan(big.length);
    // The peer reads nothing: the buffers fill up.
    fillSendBuffer(cli);
    cli.setblocking(false);
    expectOSError(thrownBy(() => cli.sendSync(big)), BlockingIOError, E.EAGAIN);
    cli.settimeout(0.2);
    const err = thrownBy(() => cli.sendSync(big));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.errno).toBeNull();
    expect(err.message).toBe('timed out');
  });

  it('TCP-08: a blocking sendSync to a reading peer sends everything, as blocking send(2) does on Linux (Sync)', async () => {
    // CPython in blocking mode leaves the fd blocking, and Linux's blocking
    // send(2) on TCP returns only once every byte is queued: send() of 8 MiB
    // to a reading peer returns 8 MiB (observed with CPython 3.13.0).
    const srv = listener();
    const data = randomBytes(8 << 20);
    const p = peer({ port: (srv.getsockname() as [string, number])[1], sink: true });
    const [conn] = srv.acceptSync();
    track(conn);
    blockingBounded(conn, 10);
    const n = conn.sendSync(data);
    if (n < data.length) conn.sendallSync(data.subarray(n));
    conn.shutdown(SHUT_WR);
    expect(await p.message).toEqual({ n: data.length, sha: sha256(data) });
    await p.exited;
    expect(n).toBe(data.length);
  });

  it('a blocking recvSync with MSG_WAITALL waits for the whole count, as blocking recv(2) does (Sync)', async () => {
    // CPython's blocking recv(6, MSG_WAITALL) returns b'abcdef' when the peer
    // sends 'abc' and, 200 ms later, 'def'.
    const srv = listener();
    const p = peer({ port: (srv.getsockname() as [string, number])[1], chunks: ['abc', 'def'], delayWrite: 200 });
    const [conn] = srv.acceptSync();
    track(conn);
    blockingBounded(conn, 5);
    const got = conn.recvSync(6, MSG_WAITALL);
    const rest: Buffer[] = [];
    for (let d = conn.recvSync(6); d.length > 0; d = conn.recvSync(6)) rest.push(d);
    conn.close();
    await p.exited;
    expect(Buffer.concat([got, ...rest]).toString()).toBe('abcdef');
    expect(got.toString()).toBe('abcdef');
  });

  it('TCP-08: send(empty) is 0, sendall(empty) undefined; a string or a number is a TypeError (both forms)', async () => {
    const [cli] = await connectedPair();
    expect(await cli.send(Buffer.alloc(0))).toBe(0);
    expect(cli.sendSync(new Uint8Array(0))).toBe(0);
    expect(await cli.sendall(Buffer.alloc(0))).toBeUndefined();
    expect(cli.sendallSync(Buffer.alloc(0))).toBeUndefined();
    for (const bad of ['x', 5, null, undefined, {}, [1, 2]]) {
      const e1 = await rejectionOf(cli.send(bad as never));
      expect(e1).toBeInstanceOf(TypeError);
      expect(e1.message).toMatch(/a bytes-like object is required/);
      expect(thrownBy(() => cli.sendSync(bad as never))).toBeInstanceOf(TypeError);
      expect(await rejectionOf(cli.sendall(bad as never))).toBeInstanceOf(TypeError);
      expect(thrownBy(() => cli.sendallSync(bad as never))).toBeInstanceOf(TypeError);
    }
  });

  it('SND-02: sendallSync on a non-blocking socket whose buffer fills raises BlockingIOError EAGAIN (Sync)', async () => {
    const [cli, conn] = await connectedPair();
    cli.setsockopt(SOL_SOCKET, SO_SNDBUF, 16384);
    conn.setsockopt(SOL_SOCKET, SO_RCVBUF, 16384);
    cli.setblocking(false);
    expectOSError(thrownBy(() => cli.sendallSync(Buffer.alloc(10 << 20))), BlockingIOError, E.EAGAIN);
  });

  it('SND-03: sendall with a timeout to a peer that does not read raises TimeoutError (both forms)', async () => {
    const [cli, conn] = await connectedPair();
    cli.setsockopt(SOL_SOCKET, SO_SNDBUF, 16384);
    conn.setsockopt(SOL_SOCKET, SO_RCVBUF, 16384);
    cli.settimeout(0.2);
    const t0 = performance.now();
    const e1 = await rejectionOf(cli.sendall(Buffer.alloc(10 << 20)));
    expect(e1).toBeInstanceOf(TimeoutError);
    expect(e1.errno).toBeNull();
    expect(performance.now() - t0).toBeLessThan(3000);
    const t1 = performance.now();
    const e2 = thrownBy(() => cli.sendallSync(Buffer.alloc(10 << 20)));
    expect(e2).toBeInstanceOf(TimeoutError);
    expect(e2.message).toBe('timed out');
    expect(performance.now() - t1).toBeLessThan(3000);
  });
});

describe('recv(0), bufsize and nbytes checks (TCP-06, TCP-07, BUF-04..06, BUF-08)', () => {
  it('TCP-06: recvSync(0) on a blocking socket with no data returns empty at once (Sync)', async () => {
    const [, conn] = await connectedPair();
    blockingBounded(conn, 2);
    const t0 = performance.now();
    const got = conn.recvSync(0);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(got).toEqual(Buffer.alloc(0));
    const t1 = performance.now();
    expect(conn.recvIntoSync(Buffer.alloc(0))).toBe(0);
    expect(performance.now() - t1).toBeLessThan(500);
  });

  it('TCP-06: recv(0) resolves empty at once on a socket with no data (Promise)', async () => {
    const [, conn] = await connectedPair();
    conn.settimeout(null);
    expect(await conn.recv(0)).toEqual(Buffer.alloc(0));
    expect(await conn.recvInto(new Uint8Array(0))).toBe(0);
  });

  it('TCP-06: recv(0) makes no syscall: on a never-connected socket it returns empty, not ENOTCONN (both forms)', async () => {
    const s = tcp();
    expect(s.recvSync(0)).toEqual(Buffer.alloc(0));
    expect(await s.recv(0)).toEqual(Buffer.alloc(0));
    expect(s.recvIntoSync(Buffer.alloc(0))).toBe(0);
    expect(await s.recvInto(Buffer.alloc(0))).toBe(0);
    // A real syscall on it fails.
    s.setblocking(false);
    expectOSError(thrownBy(() => s.recvSync(1)), OSError, E.ENOTCONN);
  });

  it('BUF-08: recvfromInto(empty buffer) makes the syscall: non-blocking with no data it raises BlockingIOError (Sync)', async () => {
    const [cli, conn] = await connectedPair();
    conn.setblocking(false);
    expectOSError(thrownBy(() => conn.recvfromIntoSync(Buffer.alloc(0))), BlockingIOError, E.EAGAIN);
    expectOSError(thrownBy(() => conn.recvfromSync(0)), BlockingIOError, E.EAGAIN);
    await cli.sendall(MSG);
    // With data pending it returns [0, null] and leaves the stream's bytes in place.
    expect(conn.recvfromIntoSync(Buffer.alloc(0))).toEqual([0, null]);
    expect(conn.recvfromSync(0)).toEqual([Buffer.alloc(0), null]);
    expect(await conn.recv(1024)).toEqual(MSG);
  });

  it('TCP-07: recv(-1) is a RangeError "negative buffersize in recv"; a non-number a TypeError (both forms)', async () => {
    const [, conn] = await connectedPair();
    const e1 = await rejectionOf(conn.recv(-1));
    expect(e1).toBeInstanceOf(RangeError);
    expect(e1.message).toBe('negative buffersize in recv');
    const e2 = thrownBy(() => conn.recvSync(-1));
    expect(e2).toBeInstanceOf(RangeError);
    expect(e2.message).toBe('negative buffersize in recv');
    for (const bad of ['x', null, 1.5, {}, 10n]) {
      expect(await rejectionOf(conn.recv(bad as never))).toBeInstanceOf(TypeError);
      expect(thrownBy(() => conn.recvSync(bad as never))).toBeInstanceOf(TypeError);
    }
  });

  it('UDP-03 (on TCP): recvfrom(-1) is a RangeError "negative buffersize in recvfrom" (both forms)', async () => {
    const [, conn] = await connectedPair();
    expect((await rejectionOf(conn.recvfrom(-1))).message).toBe('negative buffersize in recvfrom');
    const e = thrownBy(() => conn.recvfromSync(-1));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe('negative buffersize in recvfrom');
  });

  it('BUF-05: recvInto(8-byte buffer, 1024) is a RangeError "buffer too small for requested bytes" (both forms)', async () => {
    const [, conn] = await connectedPair();
    const e1 = await rejectionOf(conn.recvInto(Buffer.alloc(8), 1024));
    expect(e1).toBeInstanceOf(RangeError);
    expect(e1.message).toBe('buffer too small for requested bytes');
    const e2 = thrownBy(() => conn.recvIntoSync(Buffer.alloc(8), 1024));
    expect(e2).toBeInstanceOf(RangeError);
    expect(e2.message).toBe('buffer too small for requested bytes');
  });

  it('BUF-04: recvfromInto(8-byte buffer, 1024) is a RangeError "nbytes is greater than the length of the buffer" (both forms)', async () => {
    const [, conn] = await connectedPair();
    const e1 = await rejectionOf(conn.recvfromInto(Buffer.alloc(8), 1024));
    expect(e1).toBeInstanceOf(RangeError);
    expect(e1.message).toBe('nbytes is greater than the length of the buffer');
    const e2 = thrownBy(() => conn.recvfromIntoSync(Buffer.alloc(8), 1024));
    expect(e2).toBeInstanceOf(RangeError);
    expect(e2.message).toBe('nbytes is greater than the length of the buffer');
  });

  it('BUF-06: a negative nbytes names the method: recv_into / recvfrom_into (both forms)', async () => {
    const [, conn] = await connectedPair();
    const buf = Buffer.alloc(8);
    expect((await rejectionOf(conn.recvInto(buf, -1))).message).toBe('negative buffersize in recv_into');
    expect(thrownBy(() => conn.recvIntoSync(buf, -1)).message).toBe('negative buffersize in recv_into');
    expect((await rejectionOf(conn.recvfromInto(buf, -1))).message).toBe('negative buffersize in recvfrom_into');
    expect(thrownBy(() => conn.recvfromIntoSync(buf, -1)).message).toBe('negative buffersize in recvfrom_into');
    for (const e of [await rejectionOf(conn.recvInto(buf, -1)), thrownBy(() => conn.recvfromIntoSync(buf, -1))]) {
      expect(e).toBeInstanceOf(RangeError);
    }
  });

  it('BUF-09: a buffer that is not a writable view is a TypeError (both forms)', async () => {
    const [, conn] = await connectedPair();
    for (const bad of ['abcd', 5, null, [0, 0, 0], new ArrayBuffer(8)]) {
      expect(await rejectionOf(conn.recvInto(bad as never))).toBeInstanceOf(TypeError);
      expect(thrownBy(() => conn.recvIntoSync(bad as never))).toBeInstanceOf(TypeError);
      expect(await rejectionOf(conn.recvfromInto(bad as never))).toBeInstanceOf(TypeError);
      expect(thrownBy(() => conn.recvfromIntoSync(bad as never))).toBeInstanceOf(TypeError);
    }
  });
});

describe('recvInto: the bytes land in the view\'s window (BUF-01, BUF-02, BUF-03, BUF-07)', () => {
  /** Views over a 16-byte ArrayBuffer filled with 0xee; the window is bytes 4..11. */
  function windows(): { name: string; view: ArrayBufferView; whole: Uint8Array }[] {
    const mk = (f: (ab: ArrayBuffer) => ArrayBufferView, name: string) => {
      const ab = new ArrayBuffer(16);
      const whole = new Uint8Array(ab).fill(0xee);
      return { name, view: f(ab), whole };
    };
    return [
      mk((ab) => Buffer.from(ab).subarray(4, 12), 'Buffer'),
      mk((ab) => new Uint8Array(ab, 4, 8), 'Uint8Array'),
      mk((ab) => new DataView(ab, 4, 8), 'DataView'),
      mk((ab) => new Uint16Array(ab).subarray(2, 6), 'Uint16Array'),
    ];
  }

  function checkWindow(whole: Uint8Array, payload: Buffer): void {
    expect(Buffer.from(whole.subarray(0, 4))).toEqual(Buffer.alloc(4, 0xee));
    expect(Buffer.from(whole.subarray(4, 12))).toEqual(payload);
    expect(Buffer.from(whole.subarray(12))).toEqual(Buffer.alloc(4, 0xee));
  }

  const payload = Buffer.from('ABCDEFGH');

  it('recvInto / recvfromInto fill exactly the window of each kind of view (Promise)', async () => {
    const [cli, conn] = await connectedPair();
    for (const { name, view, whole } of windows()) {
      await cli.sendall(payload);
      expect(await conn.recvInto(view), name).toBe(8);
      checkWindow(whole, payload);
    }
    for (const { name, view, whole } of windows()) {
      await cli.sendall(payload);
      expect(await conn.recvfromInto(view), name).toEqual([8, null]);
      checkWindow(whole, payload);
    }
  });

  it('recvIntoSync / recvfromIntoSync fill exactly the window of each kind of view (Sync)', () => {
    const [cli, conn] = connectedPairSync();
    for (const { name, view, whole } of windows()) {
      cli.sendallSync(payload);
      expect(conn.recvIntoSync(view), name).toBe(8);
      checkWindow(whole, payload);
    }
    for (const { name, view, whole } of windows()) {
      cli.sendallSync(payload);
      expect(conn.recvfromIntoSync(view), name).toEqual([8, null]);
      checkWindow(whole, payload);
    }
  });

  it('a pending recvInto fills the window when data arrives (Promise)', async () => {
    const [cli, conn] = await connectedPair();
    const [{ view, whole }] = windows().slice(3);
    const pending = conn.recvInto(view!);
    await new Promise((r) => setTimeout(r, 30));
    await cli.sendall(payload);
    expect(await pending).toBe(8);
    checkWindow(whole!, payload);
  });

  it('BUF-07: nbytes counts bytes and limits the read; omitted or 0 means the whole view (both forms)', async () => {
    const [cli, conn] = await connectedPair();
    await cli.sendall(Buffer.from('0123456789'));
    const b = Buffer.alloc(10, 0xee);
    expect(await conn.recvfromInto(b, 2)).toEqual([2, null]);
    expect(b).toEqual(Buffer.concat([Buffer.from('01'), Buffer.alloc(8, 0xee)]));
    const u16 = new Uint16Array(4).fill(0xeeee);
    expect(conn.recvIntoSync(u16, 3)).toBe(3);
    expect(Buffer.from(u16.buffer)).toEqual(Buffer.concat([Buffer.from('234'), Buffer.alloc(5, 0xee)]));
    const rest = Buffer.alloc(5, 0xee);
    expect(await conn.recvInto(rest, 0)).toBe(5);
    expect(rest.toString()).toBe('56789');
  });

  it('BUF-01/02: recvInto of MSG into a Uint8Array of its size and a larger Buffer (both forms)', async () => {
    const [cli, conn] = await connectedPair();
    await cli.sendall(MSG);
    const arr = new Uint8Array(MSG.length);
    expect(await conn.recvInto(arr)).toBe(MSG.length);
    expect(Buffer.from(arr)).toEqual(MSG);
    cli.sendallSync(MSG);
    const big = Buffer.alloc(1024);
    expect(conn.recvIntoSync(big)).toBe(MSG.length);
    expect(big.subarray(0, MSG.length)).toEqual(MSG);
  });
});

describe('accept and connect', () => {
  it('TCP-09: accept returns [Socket, [host, port]] with the listener\'s family and type (Promise)', async () => {
    const srv = listener();
    const cli = tcp();
    await cli.connect(srv.getsockname());
    const result = await srv.accept();
    expect(Array.isArray(result)).toBe(true);
    expect(result).toHaveLength(2);
    const [conn, addr] = result;
    track(conn);
    expect(conn).toBeInstanceOf(Socket);
    expect(conn.family).toBe(AF_INET);
    expect(conn.type).toBe(SOCK_STREAM);
    expect(addr).toEqual(cli.getsockname());
    expect(addr).toEqual([HOST, (cli.getsockname() as [string, number])[1]]);
    expect(conn.getpeername()).toEqual(addr);
    expect(cli.getpeername()).toEqual(srv.getsockname());
  });

  it('TCP-09: acceptSync returns [Socket, [host, port]] with the listener\'s family and type (Sync)', () => {
    const srv = listener();
    const cli = tcp();
    cli.connectSync(srv.getsockname());
    const [conn, addr] = srv.acceptSync();
    track(conn);
    expect(conn).toBeInstanceOf(Socket);
    expect([conn.family, conn.type]).toEqual([AF_INET, SOCK_STREAM]);
    expect(addr).toEqual(cli.getsockname());
  });

  it('a pending accept resolves when a client connects later (Promise)', async () => {
    const srv = listener();
    const pending = srv.accept();
    await new Promise((r) => setTimeout(r, 30));
    const cli = tcp();
    await cli.connect(srv.getsockname());
    const [conn, addr] = await pending;
    track(conn);
    expect(addr).toEqual(cli.getsockname());
  });

  it('a blocking acceptSync waits for a client that connects later (Sync, blocking mode)', async () => {
    const srv = listener();
    blockingBounded(srv, 5);
    const p = peer({ port: (srv.getsockname() as [string, number])[1], delayConnect: 200 });
    const t0 = performance.now();
    const [conn, addr] = srv.acceptSync();
    track(conn);
    expect(performance.now() - t0).toBeGreaterThan(100);
    expect((addr as [string, number])[0]).toBe(HOST);
    conn.close();
    await p.exited;
  });

  it('TCP-10: connect to a port nobody listens on is ConnectionRefusedError errno 111 (Promise)', async () => {
    const e = await rejectionOf(tcp().connect(refusedAddress()));
    expectOSError(e, ConnectionRefusedError, E.ECONNREFUSED);
    expect(e.code).toBe('ECONNREFUSED');
    expect(e.message).toBe('[Errno 111] Connection refused');
  });

  it('TCP-10: connectSync to a port nobody listens on is ConnectionRefusedError errno 111 (Sync, timeout and blocking modes)', () => {
    const addr = refusedAddress();
    const e = thrownBy(() => tcp().connectSync(addr));
    expectOSError(e, ConnectionRefusedError, E.ECONNREFUSED);
    expect(e.message).toBe('[Errno 111] Connection refused');
    const s = tcp();
    blockingBounded(s, 3);
    expectOSError(thrownBy(() => s.connectSync(addr)), ConnectionRefusedError, E.ECONNREFUSED);
  });

  it('TCP-11: connectEx resolves 0 (not -0) on success (both forms)', async () => {
    const srv = listener();
    expect(await tcp().connectEx(srv.getsockname())).toBe(0);
    expect(tcp().connectExSync(srv.getsockname())).toBe(0);
  });

  it('TCP-11: connectEx resolves the errno, 111, when refused (Promise)', async () => {
    expect(await tcp().connectEx(refusedAddress())).toBe(E.ECONNREFUSED);
  });

  it('TCP-11: connectExSync returns the errno, 111, when refused (Sync)', () => {
    expect(tcp().connectExSync(refusedAddress())).toBe(E.ECONNREFUSED);
  });

  it('TCP-11: connectEx on a connected socket gives EISCONN, 106 (both forms)', async () => {
    const [, conn, srv] = await connectedPair();
    expect(await conn.connectEx(srv.getsockname())).toBe(E.EISCONN);
    expect(conn.connectExSync(srv.getsockname())).toBe(E.EISCONN);
  });

  it('a connecting socket is fully connected when connect returns: connecting again is EISCONN (every mode, both forms)', async () => {
    // As after a blocking connect(2) in CPython. Over loopback the second
    // connect(2) that bsdsock makes after EINPROGRESS is the one that reports
    // success; this checks that it leaves the socket in that state.
    const srv = listener();
    const modes: [string, (s: Socket) => void][] = [
      ['blocking', (s) => s.settimeout(null)],
      ['timeout', (s) => s.settimeout(5)],
    ];
    for (const [, mode] of modes) {
      const a = tcp();
      mode(a);
      a.connectSync(srv.getsockname());
      expect(a.connectExSync(srv.getsockname())).toBe(E.EISCONN);
      const b = tcp();
      mode(b);
      await b.connect(srv.getsockname());
      expect(b.connectExSync(srv.getsockname())).toBe(E.EISCONN);
      expect(await b.connectEx(srv.getsockname())).toBe(E.EISCONN);
      track(srv.acceptSync()[0]);
      track(srv.acceptSync()[0]);
    }
  });

  it('TCP-11: connectEx still rejects for a bad address and a failed lookup, naming connect_ex() (Promise)', async () => {
    const e1 = await rejectionOf(tcp().connectEx('127.0.0.1:80' as never));
    expect(e1).toBeInstanceOf(TypeError);
    expect(e1.message).toMatch(/^connect_ex\(\): AF_INET address must be/);
    const e2 = await rejectionOf(tcp().connectEx([HOST, 70000]));
    expect(e2).toBeInstanceOf(RangeError);
    expect(e2.message).toMatch(/^connect_ex\(\): AF_INET port must be 0-65535/);
    const e3 = await rejectionOf(tcp().connectEx(['::1', 80]));
    expect(e3).toBeInstanceOf(gaierror);
    expect(e3.errno).toBe(-9);
  });

  it('TCP-11: connectExSync still throws for a bad address and a failed lookup (Sync)', () => {
    const e1 = thrownBy(() => tcp().connectExSync('127.0.0.1:80' as never));
    expect(e1).toBeInstanceOf(TypeError);
    const e2 = thrownBy(() => tcp().connectExSync([HOST, 70000]));
    expect(e2).toBeInstanceOf(RangeError);
    const e3 = thrownBy(() => tcp().connectExSync(['::1', 80]));
    expect(e3).toBeInstanceOf(gaierror);
    expect(e3.errno).toBe(-9);
  });

  it('TCP-11: connectExSync\'s address errors name connect_ex(), as CPython\'s do (Sync)', () => {
    // CPython: TypeError('connect_ex(): AF_INET address must be tuple, not str'),
    // OverflowError('connect_ex(): port must be 0-65535.').
    expect(thrownBy(() => tcp().connectExSync('127.0.0.1:80' as never)).message).toMatch(/^connect_ex\(\): AF_INET address must be/);
    expect(thrownBy(() => tcp().connectExSync([HOST, 70000])).message).toMatch(/^connect_ex\(\): AF_INET port must be 0-65535/);
  });

  it('TCP-12: connect on a connected socket is a plain OSError EISCONN (both forms)', async () => {
    const [, conn, srv] = await connectedPair();
    expectOSError(await rejectionOf(conn.connect(srv.getsockname())), OSError, E.EISCONN);
    expectOSError(thrownBy(() => conn.connectSync(srv.getsockname())), OSError, E.EISCONN);
  });

  it('TCP-12: in blocking mode a second connectSync is EISCONN, as CPython\'s blocking connect (Sync)', () => {
    // CPython, timeout None: c.connect(a); c.connect(a) -> OSError(106). (In
    // timeout mode the fd is non-blocking and Linux lets the second connect
    // succeed; only the third fails: CPython shows that quirk too.)
    const srv = listener();
    const cli = tcp();
    blockingBounded(cli, 3);
    cli.connectSync(srv.getsockname());
    expectOSError(thrownBy(() => cli.connectSync(srv.getsockname())), OSError, E.EISCONN);
    expect(cli.connectExSync(srv.getsockname())).toBe(E.EISCONN);
  });

  it('a peer reset (RST) rejects a pending recv with ConnectionResetError ECONNRESET (Promise)', async () => {
    const [cli, conn] = await connectedPair();
    const pending = conn.recv(100);
    cli.setsockopt(SOL_SOCKET, SO_LINGER, linger0());
    cli.close();
    expectOSError(await rejectionOf(pending), ConnectionResetError, E.ECONNRESET);
  });

  it('a peer reset (RST) rejects a pending sendall with ConnectionResetError or BrokenPipeError (Promise)', async () => {
    const [cli, conn] = await connectedPair();
    cli.setsockopt(SOL_SOCKET, SO_SNDBUF, 16384);
    conn.setsockopt(SOL_SOCKET, SO_RCVBUF, 16384);
    const pending = cli.sendall(Buffer.alloc(10 << 20));
    await new Promise((r) => setTimeout(r, 20));
    conn.setsockopt(SOL_SOCKET, SO_LINGER, linger0());
    conn.close();
    const err = await rejectionOf(pending);
    expect(err instanceof ConnectionResetError || err instanceof BrokenPipeError, String(err)).toBe(true);
  });

  it('a peer reset (RST) makes recvSync raise ConnectionResetError ECONNRESET (Sync)', async () => {
    const [cli, conn] = connectedPairSync();
    cli.setsockopt(SOL_SOCKET, SO_LINGER, linger0());
    cli.close();
    await new Promise((r) => setTimeout(r, 20));
    expectOSError(thrownBy(() => conn.recvSync(100)), ConnectionResetError, E.ECONNRESET);
  });

  it('TCP-13: send on a never-connected socket is BrokenPipeError EPIPE, with no SIGPIPE (both forms)', async () => {
    const sigpipe = vi.fn();
    process.on('SIGPIPE', sigpipe);
    try {
      const s = tcp();
      expectOSError(await rejectionOf(s.send(MSG)), BrokenPipeError, E.EPIPE);
      expectOSError(thrownBy(() => s.sendSync(MSG)), BrokenPipeError, E.EPIPE);
      expectOSError(await rejectionOf(s.sendall(MSG)), BrokenPipeError, E.EPIPE);
      expectOSError(thrownBy(() => s.sendallSync(MSG)), BrokenPipeError, E.EPIPE);
      expectOSError(await rejectionOf(s.sendto(MSG, [HOST, 9])), BrokenPipeError, E.EPIPE);
      expectOSError(thrownBy(() => s.sendtoSync(MSG, [HOST, 9])), BrokenPipeError, E.EPIPE);
      await new Promise((r) => setTimeout(r, 50));
      expect(sigpipe).not.toHaveBeenCalled();
    } finally {
      process.off('SIGPIPE', sigpipe);
    }
  });

  it('sending to a peer that has gone raises EPIPE / ECONNRESET, never a SIGPIPE (both forms)', async () => {
    const sigpipe = vi.fn();
    process.on('SIGPIPE', sigpipe);
    try {
      for (const sync of [false, true]) {
        const [cli, conn] = await connectedPair();
        conn.close();
        let err: unknown;
        for (let i = 0; i < 100 && err === undefined; i++) {
          try {
            if (sync) cli.sendSync(MSG);
            else await cli.send(MSG);
          } catch (e) {
            err = e;
          }
          await new Promise((r) => setTimeout(r, 5));
        }
        expect(err instanceof BrokenPipeError || err instanceof ConnectionResetError, String(err)).toBe(true);
      }
      await new Promise((r) => setTimeout(r, 50));
      expect(sigpipe).not.toHaveBeenCalled();
    } finally {
      process.off('SIGPIPE', sigpipe);
    }
  });

  it('TCP-14: accept on a socket that is not listening is a plain OSError EINVAL (both forms)', async () => {
    const s = tcp();
    s.bind([HOST, 0]);
    expectOSError(await rejectionOf(s.accept()), OSError, E.EINVAL);
    expectOSError(thrownBy(() => s.acceptSync()), OSError, E.EINVAL);
  });

  it('getpeername and shutdown on an unconnected socket are a plain OSError ENOTCONN', () => {
    const s = tcp();
    expectOSError(thrownBy(() => s.getpeername()), OSError, E.ENOTCONN);
    expectOSError(thrownBy(() => s.shutdown(SHUT_RDWR)), OSError, E.ENOTCONN);
    s.bind([HOST, 0]);
    s.listen();
    expectOSError(thrownBy(() => s.getpeername()), OSError, E.ENOTCONN);
  });

  it('TCP-29: half-close: after shutdown(SHUT_WR) the peer reads empty, the other way still works (Promise)', async () => {
    const [cli, conn] = await connectedPair();
    await cli.sendall(Buffer.from('last words'));
    cli.shutdown(SHUT_WR);
    expect((await conn.recv(100)).toString()).toBe('last words');
    expect(await conn.recv(100)).toEqual(Buffer.alloc(0));
    await conn.sendall(Buffer.from('reply'));
    expect((await cli.recv(100)).toString()).toBe('reply');
    expectOSError(await rejectionOf(cli.send(MSG)), BrokenPipeError, E.EPIPE);
  });

  it('TCP-29: half-close (Sync)', () => {
    const [cli, conn] = connectedPairSync();
    cli.sendallSync(Buffer.from('last words'));
    cli.shutdown(SHUT_WR);
    expect(conn.recvSync(100).toString()).toBe('last words');
    expect(conn.recvSync(100)).toEqual(Buffer.alloc(0));
    conn.sendallSync(Buffer.from('reply'));
    expect(cli.recvSync(100).toString()).toBe('reply');
    expectOSError(thrownBy(() => cli.sendSync(MSG)), BrokenPipeError, E.EPIPE);
  });

  it('TCP-22: bind to a port in use is a plain OSError EADDRINUSE; to a non-local address EADDRNOTAVAIL; twice EINVAL', () => {
    const srv = listener();
    const e1 = thrownBy(() => tcp().bind(srv.getsockname()));
    expectOSError(e1, OSError, E.EADDRINUSE);
    expect(e1.message).toBe('[Errno 98] Address already in use');
    expectOSError(thrownBy(() => tcp().bind(['192.0.2.1', 0])), OSError, E.EADDRNOTAVAIL);
    const s = tcp();
    s.bind([HOST, 0]);
    expectOSError(thrownBy(() => s.bind([HOST, 0])), OSError, E.EINVAL);
  });

  it('TCP-28: sendto on a connected TCP socket ignores the address (both forms)', async () => {
    const [cli, conn] = await connectedPair();
    const elsewhere = refusedAddress();
    expect(await cli.sendto(Buffer.from('abc'), elsewhere)).toBe(3);
    expect(cli.sendtoSync(Buffer.from('def'), elsewhere)).toBe(3);
    expect(cli.sendtoSync(Buffer.from('ghi'), 0, elsewhere)).toBe(3);
    const parts: Buffer[] = [];
    while (Buffer.concat(parts).length < 9) parts.push(await conn.recv(100));
    expect(Buffer.concat(parts).toString()).toBe('abcdefghi');
  });

  it('MSG_PEEK on a stream leaves the bytes to read (both forms)', async () => {
    const [cli, conn] = await connectedPair();
    await cli.sendall(MSG);
    expect(await conn.recv(1024, MSG_PEEK)).toEqual(MSG);
    expect(conn.recvSync(1024, MSG_PEEK)).toEqual(MSG);
    expect(conn.recvSync(1024)).toEqual(MSG);
  });
});

describe('AF_INET addresses (TCP-15..TCP-21)', () => {
  it('TCP-15: a port out of range is a RangeError naming the caller, the family and the field', async () => {
    for (const port of [70000, -1, 65536, 2 ** 64]) {
      const e1 = thrownBy(() => tcp().bind([HOST, port]));
      expect(e1).toBeInstanceOf(RangeError);
      expect(e1.message).toMatch(/^bind\(\): AF_INET port must be 0-65535/);
      const e2 = await rejectionOf(tcp().connect([HOST, port]));
      expect(e2).toBeInstanceOf(RangeError);
      expect(e2.message).toMatch(/^connect\(\): AF_INET port must be 0-65535/);
      const e3 = thrownBy(() => tcp().connectSync([HOST, port]));
      expect(e3).toBeInstanceOf(RangeError);
      expect(e3.message).toMatch(/^connect\(\): AF_INET port must be 0-65535/);
      const e4 = await rejectionOf(tcp().sendto(MSG, [HOST, port]));
      expect(e4).toBeInstanceOf(RangeError);
      expect(e4.message).toMatch(/^sendto\(\): AF_INET port must be 0-65535/);
      const e5 = thrownBy(() => tcp().sendtoSync(MSG, [HOST, port]));
      expect(e5.message).toMatch(/^sendto\(\): AF_INET port must be 0-65535/);
    }
  });

  it('TCP-16/17: an address that is not a [host, port] array is a TypeError naming the family', async () => {
    for (const bad of ['127.0.0.1:80', null, undefined, 80, { host: HOST, port: 80 }, [HOST], [HOST, 80, 0], []]) {
      const e1 = thrownBy(() => tcp().bind(bad as never));
      expect(e1, String(bad)).toBeInstanceOf(TypeError);
      expect(e1.message).toMatch(/^bind\(\): AF_INET address must be/);
      const e2 = await rejectionOf(tcp().connect(bad as never));
      expect(e2).toBeInstanceOf(TypeError);
      expect(e2.message).toMatch(/^connect\(\): AF_INET address must be/);
      expect(thrownBy(() => tcp().connectSync(bad as never))).toBeInstanceOf(TypeError);
    }
  });

  it('TCP-18/19: a host of the wrong type, a NUL in the host, or a non-integer port is a TypeError', async () => {
    for (const bad of [[null, 80], [127, 80], [{}, 80], ['127.0.0.1\0evil', 80], [HOST, '80'], [HOST, 1.5], [HOST, null]]) {
      const e1 = thrownBy(() => tcp().bind(bad as never));
      expect(e1, JSON.stringify(bad)).toBeInstanceOf(TypeError);
      expect(e1.message).toMatch(/^bind\(\): AF_INET /);
      expect(await rejectionOf(tcp().connect(bad as never))).toBeInstanceOf(TypeError);
      expect(thrownBy(() => tcp().connectSync(bad as never))).toBeInstanceOf(TypeError);
    }
    expect(thrownBy(() => tcp().bind(['a\0b', 0])).message).toMatch(/host name must not contain null character/);
  });

  it('TCP-18: a host string that cannot be IDNA-encoded is a TypeError, raised before any lookup', async () => {
    expect(thrownBy(() => tcp().bind(['\udcff', 0]))).toBeInstanceOf(TypeError);
    expect(thrownBy(() => tcp().connectSync(['\udcff', 80]))).toBeInstanceOf(TypeError);
    expect(await rejectionOf(tcp().connect(['\udcff', 80]))).toBeInstanceOf(TypeError);
  });

  it('TCP-18: the host may be bytes', () => {
    const s = tcp();
    s.bind([Buffer.from(HOST), 0]);
    expect((s.getsockname() as [string, number])[0]).toBe(HOST);
  });

  it('TCP-20: "" is INADDR_ANY and "<broadcast>" INADDR_BROADCAST, without a lookup', () => {
    const any = tcp();
    any.bind(['', 0]);
    expect(any.getsockname()).toEqual(['0.0.0.0', expect.any(Number)]);
    const b = tcp();
    b.bind(['<broadcast>', 0]);
    expect((b.getsockname() as [string, number])[0]).toBe('255.255.255.255');
  });

  it('TCP-21: "localhost" is resolved in bind and connectSync', () => {
    const srv = tcp();
    srv.bind(['localhost', 0]);
    srv.listen();
    const [host, port] = srv.getsockname() as [string, number];
    expect(host).toBe('127.0.0.1');
    const cli = tcp();
    cli.connectSync(['localhost', port]);
    expect(cli.getpeername()).toEqual([HOST, port]);
  });

  it('TCP-21: "localhost" in connect is resolved without blocking the event loop (Promise)', async () => {
    const srv = listener();
    const port = (srv.getsockname() as [string, number])[1];
    // Occupy libuv's thread pool so that the lookup queues behind slow work:
    // the event loop must keep running (a timer ticks) while it waits.
    const poolSize = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
    const busy = Array.from({ length: poolSize }, () =>
      new Promise((resolve) => pbkdf2('x', 'y', 400_000, 32, 'sha256', resolve)));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      const cli = tcp();
      const connecting = cli.connect(['localhost', port]);
      expect(ticks).toBe(0);
      await connecting;
      expect(cli.getpeername()).toEqual([HOST, port]);
      expect(ticks).toBeGreaterThan(2);
    } finally {
      clearInterval(timer);
      await Promise.all(busy);
    }
  });

  it('TCP-21: an IPv6 literal on an AF_INET socket is gaierror -9 (bind, connect, connectSync)', async () => {
    const e1 = thrownBy(() => tcp().bind(['::1', 0]));
    expect(e1).toBeInstanceOf(gaierror);
    expect(e1.errno).toBe(-9);
    expect(e1.message).toBe('[Errno -9] Address family for hostname not supported');
    const e2 = await rejectionOf(tcp().connect(['::1', 80]));
    expect(e2).toBeInstanceOf(gaierror);
    expect(e2.errno).toBe(-9);
    const e3 = thrownBy(() => tcp().connectSync(['::1', 80]));
    expect(e3).toBeInstanceOf(gaierror);
    expect(e3.errno).toBe(-9);
  });
});

describe('AF_INET6 (TCP-23..TCP-25, dual stack)', () => {
  it('TCP-23: getsockname, accept and getpeername give 4-item addresses [\'::1\', port, 0, 0] (both forms)', async (ctx) => {
    if (!hasIPv6) ctx.skip('no IPv6 loopback on this machine');
    const srv = listener(AF_INET6);
    const [host, port, flow, scope] = srv.getsockname() as [string, number, number, number];
    expect([host, flow, scope]).toEqual(['::1', 0, 0]);
    expect(port).toBeGreaterThan(0);
    const cli = tcp(AF_INET6);
    await cli.connect(['::1', port]);
    const [conn, addr] = await srv.accept();
    track(conn);
    expect(addr).toEqual(cli.getsockname());
    expect(addr).toHaveLength(4);
    expect(cli.getpeername()).toEqual(['::1', port, 0, 0]);
    const cli2 = tcp(AF_INET6);
    cli2.connectSync(['::1', port, 0, 0]);
    const [conn2, addr2] = srv.acceptSync();
    track(conn2);
    expect(addr2).toEqual(cli2.getsockname());
    await cli.sendall(MSG);
    expect(await conn.recv(1024)).toEqual(MSG);
  });

  it('TCP-24: flowinfo and scope_id out of range are RangeErrors; a 5-item array or a string a TypeError', async (ctx) => {
    if (!hasIPv6) ctx.skip('no IPv6 loopback on this machine');
    for (const flow of [0x100000, -10]) {
      const e = thrownBy(() => tcp(AF_INET6).bind(['::1', 0, flow]));
      expect(e).toBeInstanceOf(RangeError);
      expect(e.message).toMatch(/^bind\(\): AF_INET6 flowinfo must be 0-1048575/);
      expect(await rejectionOf(tcp(AF_INET6).connect(['::1', 80, flow]))).toBeInstanceOf(RangeError);
    }
    const s = thrownBy(() => tcp(AF_INET6).bind(['::1', 0, 0, 2 ** 32]));
    expect(s).toBeInstanceOf(RangeError);
    expect(s.message).toMatch(/AF_INET6 scope_id/);
    for (const bad of [['::1', 0, 0, 0, 0], '::1', ['::1']]) {
      const e = thrownBy(() => tcp(AF_INET6).bind(bad as never));
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toMatch(/^bind\(\): AF_INET6 address must be/);
    }
    const p = thrownBy(() => tcp(AF_INET6).bind(['::1', 70000]));
    expect(p).toBeInstanceOf(RangeError);
    expect(p.message).toMatch(/^bind\(\): AF_INET6 port must be 0-65535/);
  });

  it('TCP-21: an IPv4 literal on an AF_INET6 socket is gaierror -9', async (ctx) => {
    if (!hasIPv6) ctx.skip('no IPv6 loopback on this machine');
    const e1 = thrownBy(() => tcp(AF_INET6).bind([HOST, 0]));
    expect(e1).toBeInstanceOf(gaierror);
    expect(e1.errno).toBe(-9);
    const e2 = await rejectionOf(tcp(AF_INET6).connect([HOST, 80]));
    expect(e2).toBeInstanceOf(gaierror);
    expect(e2.errno).toBe(-9);
  });

  it('TCP-25: a new AF_INET6 socket has IPV6_V6ONLY 0', (ctx) => {
    if (!hasIPv6) ctx.skip('no IPv6 loopback on this machine');
    expect(tcp(AF_INET6).getsockopt(IPPROTO_IPV6, IPV6_V6ONLY)).toBe(0);
  });

  it('dual stack: an AF_INET6 listener with IPV6_V6ONLY 0 sees an IPv4 client as ::ffff:127.0.0.1 (both forms)', async (ctx) => {
    if (!hasIPv6) ctx.skip('no IPv6 loopback on this machine');
    const srv = tcp(AF_INET6);
    srv.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 0);
    srv.bind(['::', 0]);
    srv.listen();
    const port = (srv.getsockname() as [string, number])[1];
    const cli = tcp(AF_INET);
    await cli.connect([HOST, port]);
    const [conn, addr] = await srv.accept();
    track(conn);
    const cliPort = (cli.getsockname() as [string, number])[1];
    expect(addr).toEqual(['::ffff:127.0.0.1', cliPort, 0, 0]);
    const cli2 = tcp(AF_INET);
    cli2.connectSync([HOST, port]);
    const [conn2, addr2] = srv.acceptSync();
    track(conn2);
    expect(addr2).toEqual(['::ffff:127.0.0.1', (cli2.getsockname() as [string, number])[1], 0, 0]);
    expect(conn2.getsockname()).toEqual(['::ffff:127.0.0.1', port, 0, 0]);
    await cli.sendall(MSG);
    expect(await conn.recv(1024)).toEqual(MSG);
  });
});

describe('TCP options', () => {
  it('TCP-26: TCP_NODELAY set true reads back 1, false 0', () => {
    const s = tcp();
    expect(s.getsockopt(IPPROTO_TCP, TCP_NODELAY)).toBe(0);
    s.setsockopt(IPPROTO_TCP, TCP_NODELAY, true);
    expect(s.getsockopt(IPPROTO_TCP, TCP_NODELAY)).toBe(1);
    s.setsockopt(IPPROTO_TCP, TCP_NODELAY, 0);
    expect(s.getsockopt(IPPROTO_TCP, TCP_NODELAY)).toBe(0);
  });

  it('TCP-27: TCP_QUICKACK 0 reads back false, 1 true', () => {
    const s = tcp();
    s.setsockopt(IPPROTO_TCP, TCP_QUICKACK, 0);
    expect(Boolean(s.getsockopt(IPPROTO_TCP, TCP_QUICKACK))).toBe(false);
    s.setsockopt(IPPROTO_TCP, TCP_QUICKACK, 1);
    expect(Boolean(s.getsockopt(IPPROTO_TCP, TCP_QUICKACK))).toBe(true);
  });

  it('ERR-10: a new TCP socket has SO_REUSEADDR 0 (socket() and new Socket())', () => {
    expect(tcp().getsockopt(SOL_SOCKET, SO_REUSEADDR)).toBe(0);
    expect(track(socket()).getsockopt(SOL_SOCKET, SO_REUSEADDR)).toBe(0);
  });
});
