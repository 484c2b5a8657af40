/**
 * `Socket.makefile()`: Node streams over real sockets, CPython's behaviours
 * MKF-01..MKF-11 (see the conformance checklist) as they map onto Node's
 * stream model, text and binary modes both ways, EOF, timeouts, and the
 * `_io_refs` lifetime proven by counting fds.
 *
 * Every wait is bounded: socket timeouts bound the Promise recv/sendall
 * under the streams, and `within()` bounds the waits of the tests.
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { createInterface } from 'node:readline';
import { Duplex, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConnectionResetError, OSError, SHUT_WR, SOL_SOCKET, SO_LINGER, SO_RCVBUF, SO_SNDBUF, Socket, TimeoutError,
  socketpair, type SocketDuplex, type SocketReadable, type SocketWritable,
} from '@bsdsock/core';
import { countOpenFds } from '@bsdsock/test-utils';
import { guardFds, settleFdCount } from './fixtures/fd-guard.js';
import { closeAll, sleep, tcpPair } from './fixtures/object-helpers.js';

guardFds();

const E = osConstants.errno;
/** The message CPython's FileObjectClassTestCase sends. */
const MSG = 'Michael Gilfix was here\u1234\r\n';
const MSG_BYTES = Buffer.from(MSG, 'utf8');

const opened: Socket[] = [];
const streams: (Readable | Writable)[] = [];

afterEach(() => {
  for (const s of streams.splice(0)) s.destroy();
  closeAll(...opened.splice(0));
});

function pair(): [Socket, Socket] {
  const p = socketpair();
  opened.push(...p);
  for (const s of p) s.settimeout(5);
  return p;
}

async function tcp(): Promise<[Socket, Socket]> {
  const [l, c, s] = await tcpPair();
  l.close();
  opened.push(c, s);
  c.settimeout(5);
  s.settimeout(5);
  return [c, s];
}

function reader(sock: Socket, mode = 'rb', options?: object): SocketReadable {
  const r = sock.makefile(mode, options) as SocketReadable;
  streams.push(r);
  return r;
}

function writer(sock: Socket, mode = 'wb', options?: object): SocketWritable {
  const w = sock.makefile(mode, options) as SocketWritable;
  streams.push(w);
  return w;
}

function duplex(sock: Socket, mode = 'rwb', options?: object): SocketDuplex {
  const d = sock.makefile(mode, options) as SocketDuplex;
  streams.push(d);
  return d;
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

/** Everything a Readable gives until its end, joined. */
async function readAll(r: Readable): Promise<Buffer | string> {
  const chunks: (Buffer | string)[] = [];
  for await (const c of r) chunks.push(c as Buffer | string);
  return typeof chunks[0] === 'string' ? chunks.join('') : Buffer.concat(chunks as Buffer[]);
}

/** Everything a Readable gives until 'end', through 'data' events (no iterator to destroy it). */
async function consume(r: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  r.on('data', (c: Buffer) => chunks.push(c));
  await within(once(r, 'end'));
  return Buffer.concat(chunks);
}

/** Python's `read(n)` on a paused Readable: n units, or what is left at the end (null when nothing is). */
async function readN(r: Readable, n: number): Promise<Buffer | string | null> {
  for (;;) {
    const c = r.read(n) as Buffer | string | null;
    if (c !== null) return c;
    if (r.readableEnded || r.destroyed) return null;
    await within(once(r, 'readable'));
  }
}

/** Whether `fd` is open in this process. */
function fdOpen(fd: number): boolean {
  return existsSync(`/proc/self/fd/${fd}`);
}

/** The error a stream is destroyed with (it must emit one), once it has closed. */
async function errorOf(stream: Readable | Writable): Promise<unknown> {
  const err = await within(new Promise((resolve) => stream.once('error', resolve)));
  await closed(stream);
  return err;
}

/** Settles once the stream has emitted 'close' (at once if it has). */
async function closed(stream: Readable | Writable): Promise<void> {
  if (!stream.closed) await within(once(stream, 'close').catch(() => undefined));
}

// ---------------------------------------------------------------------------

describe('modes and options (MKF-01..MKF-03, MKF-15)', () => {
  it('reports the mode as Python does: text as given, binary as the raw mode', () => {
    const [a] = pair();
    const cases: [string | undefined, string, Function][] = [
      ['r', 'r', Readable], ['rb', 'rb', Readable], ['rw', 'rw', Duplex], ['w', 'w', Writable], ['wb', 'wb', Writable],
      ['b', 'rb', Readable], ['br', 'rb', Readable], ['rwb', 'rwb', Duplex], ['wr', 'wr', Duplex], [undefined, 'r', Readable],
    ];
    for (const [mode, shown, cls] of cases) {
      const f = a.makefile(mode, { encoding: 'utf8' }) as SocketReadable;
      streams.push(f);
      expect(f, String(mode)).toBeInstanceOf(cls);
      expect(f.mode, String(mode)).toBe(shown);
    }
    const w = writer(a, 'w');
    expect(w).not.toBeInstanceOf(Readable);
    expect((w as unknown as { read?: unknown }).read).toBeUndefined();
    expect((reader(a, 'r') as unknown as { write?: unknown }).write).toBeUndefined();
  });

  it("rejects other mode letters with Python's message", () => {
    const [a] = pair();
    for (const mode of ['rt', 'x', '+', 'a', 'r+', "it's"]) {
      expect(() => a.makefile(mode)).toThrow(RangeError);
    }
    expect(() => a.makefile('x')).toThrow("invalid mode 'x' (only r, w, b allowed)");
    expect(() => a.makefile('rt')).toThrow("invalid mode 'rt' (only r, w, b allowed)");
    expect(() => a.makefile("it's")).toThrow('invalid mode "it\'s" (only r, w, b allowed)');
    expect(() => a.makefile(1 as never)).toThrow(TypeError);
  });

  it('validates the options; a refused makefile takes no reference', () => {
    const [a] = pair();
    expect(() => a.makefile('r', 5 as never)).toThrow(TypeError);
    expect(() => a.makefile('r', { encoding: 'nope' as never })).toThrow(new RangeError('unknown encoding: nope'));
    expect(() => a.makefile('r', { encoding: 5 as never })).toThrow(TypeError);
    expect(() => a.makefile('r', { newline: 'x' })).toThrow(new RangeError("illegal newline value: 'x'"));
    expect(() => a.makefile('r', { newline: 5 as never })).toThrow(TypeError);
    expect(() => a.makefile('rb', { highWaterMark: -1 })).toThrow(RangeError);
    expect(() => a.makefile('rb', { highWaterMark: 1.5 })).toThrow(RangeError);
    expect(() => a.makefile('rw', { allowHalfOpen: 1 as never })).toThrow(TypeError);
    expect(() => a.makefile('w', { shutdownOnEnd: 'no' as never })).toThrow(TypeError);
    // Binary modes ignore the text options, as Python's makefile does.
    reader(a, 'rb', { encoding: 'nope', newline: 'x' });
    streams.pop()!.destroy();
    // No reference is left: close() closes the fd at once.
    const fd = a.fileno();
    a.close();
    expect(fdOpen(fd)).toBe(false);
  });

  it('readable / writable, name and fileno() while open and once destroyed (MKF-05, MKF-06, MKF-10)', () => {
    const [a] = pair();
    const r = reader(a, 'rb');
    const w = writer(a, 'wb');
    const d = duplex(a, 'rwb');
    expect([r.readable, w.writable, d.readable, d.writable]).toEqual([true, true, true, true]);
    for (const f of [r, w, d]) {
      expect(f.name).toBe(a.fileno());
      expect(f.fileno()).toBe(a.fileno());
      expect(f.closed).toBe(false);
      f.destroy();
      expect(f.name).toBe(-1);
      expect(() => f.fileno()).toThrow('I/O operation on closed file.');
    }
    expect([r.readable, w.writable, d.readable, d.writable]).toEqual([false, false, false, false]);
  });
});

describe('binary mode', () => {
  for (const hwm of [undefined, 0, 1, 2]) {
    it(`read(n - 3) + read(3), read to EOF and read(1) loops (MKF-07, highWaterMark ${hwm})`, async () => {
      const [a, b] = pair();
      await b.sendall(MSG_BYTES);
      const r1 = reader(a, 'rb', { highWaterMark: hwm });
      const first = await readN(r1, MSG_BYTES.length - 3);
      const last = await readN(r1, 3);
      expect(Buffer.concat([first as Buffer, last as Buffer])).toEqual(MSG_BYTES);
      r1.destroy();

      await b.sendall(MSG_BYTES);
      const r2 = reader(a, 'rb', { highWaterMark: hwm });
      const bytes: Buffer[] = [];
      for (let i = 0; i < MSG_BYTES.length; i++) bytes.push((await readN(r2, 1)) as Buffer);
      expect(Buffer.concat(bytes)).toEqual(MSG_BYTES);
      r2.destroy();

      await b.sendall(MSG_BYTES);
      b.shutdown(SHUT_WR);
      expect(await readAll(reader(a, 'rb', { highWaterMark: hwm }))).toEqual(MSG_BYTES);
    });
  }

  it('writes Buffers, Uint8Arrays and strings; end() lets the peer read EOF', async () => {
    const [a, b] = pair();
    const w = writer(a, 'wb');
    w.write(Buffer.from('abc'));
    w.write(new Uint8Array([0x64, 0x65]));
    w.write('f\u00e9');
    w.end(Buffer.from([0]));
    await within(once(w, 'finish'));
    const got: Buffer[] = [];
    for (;;) {
      const c = await b.recv(100);
      if (c.length === 0) break;
      got.push(c);
    }
    expect(Buffer.concat(got)).toEqual(Buffer.from('abcdef\u00e9\0', 'utf8'));
  });

  it('carries 24 MiB through a Writable into a Readable over TCP, checksum equal on both sides', async () => {
    const [a, b] = await tcp();
    const total = 24 * 1024 * 1024;
    const sent = createHash('sha256');
    const got = createHash('sha256');
    let received = 0;
    async function* source(): AsyncGenerator<Buffer> {
      let left = total;
      while (left > 0) {
        // Odd sizes, so that chunks never line up with the socket's reads.
        const n = Math.min(left, 65_521 + (left % 7_919));
        const chunk = randomBytes(n);
        sent.update(chunk);
        left -= n;
        yield chunk;
      }
    }
    const r = reader(b, 'rb', { highWaterMark: 256 * 1024 });
    await within(Promise.all([
      pipeline(source(), writer(a, 'wb')),
      (async () => {
        for await (const c of r) {
          got.update(c as Buffer);
          received += (c as Buffer).length;
        }
      })(),
    ]), 15_000, 'the 24 MiB transfer');
    expect(received).toBe(total);
    expect(got.digest('hex')).toBe(sent.digest('hex'));
  });

  it('applies backpressure: a paused Readable stops reading near its highWaterMark', async () => {
    const [a, b] = pair();
    const r = reader(a, 'rb', { highWaterMark: 1024 });
    r.pause();
    r.read(0);
    const data = Buffer.alloc(200_000, 1);
    const sending = b.sendall(data);
    await sleep(100);
    // One recv of up to 64 KiB past the mark at most; the rest waits in the kernel.
    expect(r.readableLength).toBeGreaterThan(0);
    expect(r.readableLength).toBeLessThanOrEqual(1024 + 65536);
    let n = 0;
    r.on('data', (c: Buffer) => { n += c.length; });
    r.resume();
    await within(sending);
    while (n < data.length) await within(once(r, 'data'));
    expect(n).toBe(data.length);
  });
});

describe('text mode', () => {
  it('reads lines with node:readline, characters split across reads joined', async () => {
    const [a, b] = pair();
    const lines = ['caf\u00e9 au lait', '\u1234\u{1F600} two', '', 'last line'];
    const bytes = Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');
    const r = reader(a, 'r', { newline: '' });
    const rl = createInterface({ input: r, crlfDelay: Infinity });
    const got: string[] = [];
    const done = (async () => {
      for await (const line of rl) got.push(line);
    })();
    // One byte per send, so that multi-byte characters arrive in pieces.
    for (const byte of bytes) {
      await b.sendall(Buffer.of(byte));
      await sleep(0);
    }
    b.shutdown(SHUT_WR);
    await within(done);
    expect(got).toEqual(lines);
  });

  it("decodes with options.encoding, and reads Python's message whole (MKF-07 text)", async () => {
    const [a, b] = pair();
    await b.sendall(Buffer.from(MSG, 'utf16le'));
    b.shutdown(SHUT_WR);
    expect(await readAll(reader(a, 'r', { encoding: 'utf16le', newline: '' }))).toBe(MSG);
  });

  it('translates newlines on read by default (universal newlines), also a \\r\\n split between reads', async () => {
    const [a, b] = pair();
    const r = reader(a, 'r');
    const text = readAll(r);
    for (const part of ['a\r\nb\rc\n', 'd\r', '\ne\r', 'f\r']) {
      await b.sendall(Buffer.from(part));
      await sleep(20);
    }
    b.shutdown(SHUT_WR);
    expect(await within(text)).toBe('a\nb\nc\nd\ne\nf\n');
  });

  it("newline '' reads untranslated", async () => {
    const [a, b] = pair();
    await b.sendall(Buffer.from('a\r\nb\rc\n'));
    b.shutdown(SHUT_WR);
    expect(await readAll(reader(a, 'r', { newline: '' }))).toBe('a\r\nb\rc\n');
  });

  it("writes strings in the stream's encoding; newline '\\r\\n' turns each '\\n' written into it", async () => {
    const [a, b] = pair();
    const w16 = writer(a, 'w', { encoding: 'utf16le', shutdownOnEnd: false });
    w16.end('h\u00e9\n');
    await within(once(w16, 'finish'));
    expect(await b.recv(100)).toEqual(Buffer.from('h\u00e9\n', 'utf16le'));

    const crlf = writer(a, 'w', { newline: '\r\n' });
    crlf.write('one\ntwo\n');
    crlf.end(Buffer.from('raw\n'));
    await within(once(crlf, 'finish'));
    const got: Buffer[] = [];
    for (;;) {
      const c = await b.recv(100);
      if (c.length === 0) break;
      got.push(c);
    }
    expect(Buffer.concat(got).toString()).toBe('one\r\ntwo\r\nraw\n');
  });

  it('text both ways over one Duplex: a line-based echo', async () => {
    const [a, b] = pair();
    const mine = duplex(a, 'rw');
    const peer = duplex(b, 'rw');
    const peerLines = createInterface({ input: peer });
    peerLines.on('line', (line) => peer.write(`echo: ${line}\u00e9\n`));
    const lines = createInterface({ input: mine });
    const got: string[] = [];
    mine.write('one\ntwo\n');
    for await (const line of lines) {
      got.push(line);
      if (got.length === 2) break;
    }
    expect(got).toEqual(['echo: one\u00e9', 'echo: two\u00e9']);
    peerLines.close();
  });
});

describe('Duplex half-close', () => {
  it('end() shuts down the write half; reading goes on until the peer ends', async () => {
    const [a, b] = await tcp();
    const d = duplex(a, 'rwb');
    const text = readAll(d);
    d.end(Buffer.from('request'));
    const got: Buffer[] = [];
    for (;;) {
      const c = await b.recv(100);
      if (c.length === 0) break;
      got.push(c);
    }
    expect(Buffer.concat(got).toString()).toBe('request');
    await b.sendall(Buffer.from('reply after EOF'));
    b.close();
    expect((await within(text)).toString()).toBe('reply after EOF');
    await closed(d);
    expect(d.destroyed).toBe(true);
  });

  it('allowHalfOpen false: the peer ending its side ends ours (net.Socket style)', async () => {
    const [a, b] = pair();
    const d = duplex(a, 'rwb', { allowHalfOpen: false });
    d.resume();
    b.shutdown(SHUT_WR);
    await within(once(d, 'finish'));
    expect(await b.recv(10)).toEqual(Buffer.alloc(0));
  });

  it('shutdownOnEnd false: end() flushes only; the socket stays open both ways', async () => {
    const [a, b] = pair();
    const w = writer(a, 'wb', { shutdownOnEnd: false });
    w.end(Buffer.from('x'));
    await within(once(w, 'close'));
    expect(await b.recv(10)).toEqual(Buffer.from('x'));
    b.settimeout(0.1);
    await expect(b.recv(10)).rejects.toBeInstanceOf(TimeoutError);
    await a.sendall(Buffer.from('y'));
    expect(await b.recv(10)).toEqual(Buffer.from('y'));
  });
});

describe('EOF and errors', () => {
  it('EOF ends the Readable, which then destroys itself', async () => {
    const [a, b] = pair();
    const r = reader(a, 'rb');
    await b.sendall(Buffer.from('bye'));
    b.close();
    expect(await consume(r)).toEqual(Buffer.from('bye'));
    await closed(r);
    expect(r.destroyed).toBe(true);
  });

  it('a socket timeout is a TimeoutError on the Readable, which is done for (MKF-11)', async () => {
    const [a] = pair();
    a.settimeout(0.2);
    const r = reader(a, 'rb');
    const t0 = Date.now();
    r.resume();
    const err = await errorOf(r);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    expect(r.destroyed).toBe(true);
    expect(r.read()).toBeNull();
    // Its reference is gone: close() closes the fd at once.
    const fd = a.fileno();
    a.close();
    expect(fdOpen(fd)).toBe(false);
  });

  it('a socket timeout is a TimeoutError on the Writable when the peer does not read', async () => {
    const [a, b] = await tcp();
    a.setsockopt(SOL_SOCKET, SO_SNDBUF, 4096);
    b.setsockopt(SOL_SOCKET, SO_RCVBUF, 4096);
    a.settimeout(0.2);
    const w = writer(a, 'wb');
    w.write(Buffer.alloc(8 * 1024 * 1024));
    expect(await errorOf(w)).toBeInstanceOf(TimeoutError);
  });

  it('a non-blocking socket (timeout 0): the stream waits for the data (MKF-13 in stream terms)', async () => {
    const [a, b] = pair();
    a.setblocking(false);
    const r = reader(a, 'rb');
    const first = once(r, 'data');
    await sleep(50);
    await b.sendall(Buffer.from('late'));
    expect((await within(first))[0]).toEqual(Buffer.from('late'));
  });

  it('a connection reset is the error of the stream', async () => {
    const [a, b] = await tcp();
    const r = reader(a, 'rb');
    r.resume();
    const linger = Buffer.alloc(8);
    linger.writeInt32LE(1, 0);
    b.setsockopt(SOL_SOCKET, SO_LINGER, linger);
    await sleep(20);
    b.close();
    expect(await errorOf(r)).toBeInstanceOf(ConnectionResetError);
  });

  it('makefile() on a closed or detached socket is OSError EBADF at once (OBJ-12)', () => {
    const [a, b] = pair();
    a.close();
    expect(() => a.makefile('rb')).toThrow(expect.objectContaining({ errno: E.EBADF }));
    expect(() => a.makefile('rb')).toThrow(OSError);
    const fd = b.detach();
    expect(() => b.makefile('w')).toThrow(expect.objectContaining({ errno: E.EBADF }));
    new Socket(-1, -1, -1, fd).close();
  });
});

describe('the fd closes only when the socket and every stream are closed (_io_refs)', () => {
  it('after sock.close(), reading through the stream still works; destroying it closes the fd (MKF-08)', async () => {
    const [a, b] = pair();
    const fd = a.fileno();
    const r = reader(a, 'rb');
    const before = countOpenFds();
    a.close();
    expect(fdOpen(fd)).toBe(true);
    expect(countOpenFds()).toBe(before);
    await b.sendall(MSG_BYTES);
    expect(await readN(r, MSG_BYTES.length)).toEqual(MSG_BYTES);
    r.destroy();
    expect(await settleFdCount(before - 1)).toBe(before - 1);
    expect(a.fileno()).toBe(-1);
    await expect(a.recv(10)).rejects.toMatchObject({ errno: E.EBADF });
    expect(() => a.getsockname()).toThrow(OSError);
  });

  it('with several streams, the last one to go closes the fd', async () => {
    const [a] = pair();
    const fd = a.fileno();
    const r = reader(a, 'rb');
    const w = writer(a, 'wb');
    const d = duplex(a, 'rwb');
    const before = countOpenFds();
    a.close();
    r.destroy();
    w.destroy();
    await sleep(10);
    expect(fdOpen(fd)).toBe(true);
    expect(countOpenFds()).toBe(before);
    d.destroy();
    expect(await settleFdCount(before - 1)).toBe(before - 1);
  });

  it('a stream that reaches EOF drops its reference by itself', async () => {
    const [a, b] = pair();
    const r = reader(a, 'rb');
    const before = countOpenFds();
    a.close();
    b.close();
    expect(await consume(r)).toEqual(Buffer.alloc(0));
    // a's fd, and b's (closed above already).
    expect(await settleFdCount(before - 2)).toBe(before - 2);
  });

  it('destroying a stream leaves an open socket usable (MKF-09)', async () => {
    const [a, b] = pair();
    const r = reader(a, 'rb');
    await b.sendall(MSG_BYTES);
    expect(await readN(r, MSG_BYTES.length)).toEqual(MSG_BYTES);
    r.destroy();
    await b.sendall(MSG_BYTES);
    expect(await a.recv(1024)).toEqual(MSG_BYTES);
  });

  it('destroying a stream with a recv waiting loses no data: the recv is withdrawn', async () => {
    const [a, b] = pair();
    const r = reader(a, 'rb');
    r.resume();
    await sleep(20);
    r.destroy();
    await b.sendall(Buffer.from('kept'));
    expect(await a.recv(10)).toEqual(Buffer.from('kept'));
  });

  it('a failed write destroys the stream and drops its reference too', async () => {
    const [a, b] = pair();
    const w = writer(a, 'wb');
    const before = countOpenFds();
    a.close();
    b.close();
    w.write(Buffer.from('into the void'));
    const err = await errorOf(w);
    expect(err).toBeInstanceOf(OSError);
    expect(await settleFdCount(before - 2)).toBe(before - 2);
  });
});
