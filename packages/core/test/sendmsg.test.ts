/**
 * sendmsg and the CMSG_* macros on real sockets: CPython's behaviours
 * MSG-01..12 (see the conformance checklist) in the Promise form and the
 * Sync form — return values, gather from any iterable of bytes-like
 * objects, ancillary data from any iterable of 3-item iterables, argument
 * errors, the size limits, timeouts in every mode, addresses, and
 * MSG_NOSIGNAL.
 *
 * The default timeout is 5 s for the whole file, so a Sync call can never
 * hang the worker; every fd the file opens is closed again (guardFds).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { constants as osConstants, endianness, tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BlockingIOError, BrokenPipeError, CMSG_LEN, CMSG_SPACE, OSError, Socket, TimeoutError, getdefaulttimeout,
  setdefaulttimeout, socketpair, MSG_DONTWAIT, SCM_RIGHTS, SOCK_DGRAM, SOCK_STREAM, SOL_SOCKET, SO_SNDTIMEO,
} from '@bsdsock/core';
import { AF_INET, AF_INET6 } from '@bsdsock/inet';
import { AF_UNIX } from '@bsdsock/unix';
import { guardFds } from './fixtures/fd-guard.js';
import {
  closeAll, expectErrno, expectRejectErrno, fillSendBuffer, sleep, smallSendBuffer, thrown, timeval,
} from './fixtures/object-helpers.js';

guardFds();

const E = osConstants.errno;
const MSG = Buffer.from('Michael Gilfix was here\u1234\r\n', 'utf8');
const LE = endianness() === 'LE';
const LIMIT = 0x7fff_ffff;

const opened: Socket[] = [];
let dir = '';
let counter = 0;
let savedDefault: number | null = null;

function track<T extends Socket>(s: T): T {
  opened.push(s);
  return s;
}

function pair(type = SOCK_STREAM): [Socket, Socket] {
  const [a, b] = socketpair(AF_UNIX, type);
  return [track(a), track(b)];
}

function udp(family = AF_INET): Socket {
  const s = track(new Socket(family, SOCK_DGRAM));
  s.bind([family === AF_INET6 ? '::1' : '127.0.0.1', 0]);
  return s;
}

function int32(v: number): Buffer {
  const b = Buffer.alloc(4);
  if (LE) b.writeInt32LE(v);
  else b.writeInt32BE(v);
  return b;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  expect(p).toBeInstanceOf(Promise);
  return p.then(() => expect.fail('expected a rejection'), (e: unknown) => e);
}

/** Both forms of a call that must fail with `cls`: the Sync one throws, the Promise one rejects. */
async function bothFail(
  sock: Socket, args: unknown[], cls: Function, message?: string | RegExp,
): Promise<void> {
  const label = `sendmsg(${inspect(args, { maxArrayLength: 4, depth: 2, breakLength: Infinity }).slice(1, -1)})`;
  const err = thrown(() => (sock.sendmsgSync as (...a: unknown[]) => unknown)(...args)) as Error;
  expect(err, label).toBeInstanceOf(cls);
  if (message !== undefined) expect(err.message, label).toMatch(message);
  const rej = (await rejection((sock.sendmsg as (...a: unknown[]) => Promise<unknown>)(...args))) as Error;
  expect(rej, label).toBeInstanceOf(cls);
  if (message !== undefined) expect(rej.message, label).toMatch(message);
}

beforeAll(() => {
  savedDefault = getdefaulttimeout();
  setdefaulttimeout(5);
  dir = mkdtempSync(join(tmpdir(), 'bsdsock-sendmsg-'));
});

afterEach(() => {
  closeAll(...opened.splice(0));
});

afterAll(() => {
  setdefaulttimeout(savedDefault);
  rmSync(dir, { recursive: true, force: true });
});

describe('CMSG_LEN and CMSG_SPACE (MSG-01..04)', () => {
  it('CMSG_LEN(n) - CMSG_LEN(0) == n near 0 and near the limit, and the x86-64 values (MSG-02)', () => {
    const base = CMSG_LEN(0);
    expect(base).toBeGreaterThan(2 * 4);
    const top = LIMIT - base;
    for (let n = 0; n <= 256; n++) expect(CMSG_LEN(n) - base).toBe(n);
    for (let n = top - 256; n <= top; n++) {
      expect(CMSG_LEN(n) - base).toBe(n);
      expect(CMSG_LEN(n)).toBeLessThanOrEqual(LIMIT);
    }
    if (process.arch === 'x64') {
      expect([CMSG_LEN(0), CMSG_LEN(1), CMSG_LEN(4), CMSG_LEN(16)]).toEqual([16, 17, 20, 32]);
      expect(CMSG_LEN(2147483631)).toBe(2147483647);
    }
  });

  it('CMSG_LEN out of range → RangeError "CMSG_LEN() argument out of range"; not an integer → TypeError (MSG-02, MSG-04)', () => {
    for (const n of [-1, LIMIT - CMSG_LEN(0) + 1, Number.MAX_SAFE_INTEGER]) {
      const err = thrown(() => CMSG_LEN(n)) as Error;
      expect(err, String(n)).toBeInstanceOf(RangeError);
      expect(err.message).toBe('CMSG_LEN() argument out of range');
    }
    if (process.arch === 'x64') expect(LIMIT - CMSG_LEN(0) + 1).toBe(2147483632);
    for (const v of [1.5, '4', null, undefined, 4n, {}]) {
      expect(thrown(() => CMSG_LEN(v as number)), String(v)).toBeInstanceOf(TypeError);
    }
  });

  it('CMSG_SPACE never decreases, is >= CMSG_LEN(n) and n + CMSG_LEN(0), and <= the limit (MSG-03)', () => {
    const base = CMSG_LEN(0);
    const top = LIMIT - CMSG_SPACE(1);
    let last = CMSG_SPACE(0);
    const check = (n: number): void => {
      const s = CMSG_SPACE(n);
      expect(s).toBeGreaterThanOrEqual(last);
      expect(s).toBeGreaterThanOrEqual(CMSG_LEN(n));
      expect(s).toBeGreaterThanOrEqual(n + base);
      expect(s).toBeLessThanOrEqual(LIMIT);
      last = s;
    };
    for (let n = 0; n <= 256; n++) check(n);
    last = 0;
    for (let n = top - 256; n <= top; n++) check(n);
    if (process.arch === 'x64') {
      expect([0, 1, 4, 8, 16].map(CMSG_SPACE)).toEqual([16, 24, 24, 24, 32]);
      expect(CMSG_SPACE(2147483623)).toBe(2147483640);
    }
  });

  it('CMSG_SPACE out of range → RangeError "CMSG_SPACE() argument out of range" (MSG-04)', () => {
    for (const n of [-1, LIMIT - CMSG_SPACE(1) + 1, Number.MAX_SAFE_INTEGER]) {
      const err = thrown(() => CMSG_SPACE(n)) as Error;
      expect(err, String(n)).toBeInstanceOf(RangeError);
      expect(err.message).toBe('CMSG_SPACE() argument out of range');
    }
    if (process.arch === 'x64') expect(LIMIT - CMSG_SPACE(1) + 1).toBe(2147483624);
    expect(thrown(() => CMSG_SPACE(1.5))).toBeInstanceOf(TypeError);
  });
});

describe('sendmsg: what it sends (MSG-05, MSG-06, MSG-09)', () => {
  it('sendmsg([MSG]) returns len(MSG), Promise and Sync', async () => {
    const [a, b] = pair();
    expect(await a.sendmsg([MSG])).toBe(MSG.length);
    expect(b.recvSync(1024)).toEqual(MSG);
    expect(a.sendmsgSync([MSG])).toBe(MSG.length);
    expect(b.recvSync(1024)).toEqual(MSG);
  });

  it('gathers several buffers into one message', async () => {
    const [a, b] = pair(SOCK_DGRAM);
    expect(a.sendmsgSync([MSG.subarray(0, 3), MSG.subarray(3)])).toBe(MSG.length);
    expect(b.recvSync(1024)).toEqual(MSG);
    expect(await a.sendmsg([Buffer.from('a'), Buffer.alloc(0), Buffer.from('bc')])).toBe(3);
    expect(b.recvSync(1024)).toEqual(Buffer.from('abc'));
  });

  it('takes the data from a generator, a Set, Uint8Array, DataView, Uint16Array and ArrayBuffer', async () => {
    const [a, b] = pair(SOCK_DGRAM);
    function* gen(): Generator<Buffer> {
      yield MSG.subarray(0, 5);
      yield MSG.subarray(5);
    }
    expect(await a.sendmsg(gen())).toBe(MSG.length);
    expect(b.recvSync(1024)).toEqual(MSG);
    expect(a.sendmsgSync(new Set([MSG]))).toBe(MSG.length);
    expect(b.recvSync(1024)).toEqual(MSG);
    const u8 = new Uint8Array(MSG);
    const dv = new DataView(u8.buffer, 2, 4);
    const u16 = new Uint16Array([0x4142]);
    const ab = new Uint8Array([1, 2, 3]).buffer;
    expect(a.sendmsgSync([u8, dv, u16, ab])).toBe(MSG.length + 4 + 2 + 3);
    expect(b.recvSync(1024)).toEqual(Buffer.concat([
      MSG, MSG.subarray(2, 6), Buffer.from(u16.buffer), Buffer.from([1, 2, 3]),
    ]));
  });

  it('ancillary data may come from a generator; an item may be any 3-item iterable; sendmsg([]) → 0', async () => {
    const [a, b] = pair();
    function* none(): Generator<[number, number, Buffer]> {
      // no items
    }
    expect(await a.sendmsg([MSG], none())).toBe(MSG.length);
    expect(b.recvSync(1024)).toEqual(MSG);
    function* item(): Generator<number | Buffer> {
      yield SOL_SOCKET;
      yield SCM_RIGHTS;
      yield int32(b.fileno());
    }
    expect(a.sendmsgSync([MSG], [item() as never])).toBe(MSG.length);
    const [data, anc] = b.recvmsgSync(1024, CMSG_SPACE(4));
    expect(data).toEqual(MSG);
    expect(anc).toHaveLength(1);
    // close the fd that arrived
    const fd = LE ? anc[0]![2].readInt32LE(0) : anc[0]![2].readInt32BE(0);
    new Socket(AF_UNIX, SOCK_STREAM, 0, fd).close();
    expect(a.sendmsgSync([])).toBe(0);
    expect(await a.sendmsg([])).toBe(0);
  });

  it('null and undefined mean no ancillary data and no address (MSG-09)', async () => {
    const [a, b] = pair();
    expect(a.sendmsgSync([MSG], [], 0, null)).toBe(MSG.length);
    expect(await a.sendmsg([MSG], null, 0, null)).toBe(MSG.length);
    expect(await a.sendmsg([MSG], undefined, undefined, undefined)).toBe(MSG.length);
    expect(b.recvSync(1024)).toEqual(Buffer.concat([MSG, MSG, MSG]));
  });

  it('sends to an address: UDP (a name resolved off the event loop in the Promise form), UDP6, AF_UNIX', async () => {
    const [r, s] = [udp(), udp()];
    const port = (r.getsockname() as [string, number])[1];
    expect(s.sendmsgSync([MSG], [], 0, ['127.0.0.1', port])).toBe(MSG.length);
    expect(r.recvfromSync(1024)).toEqual([MSG, s.getsockname()]);
    expect(await s.sendmsg([MSG], [], 0, ['localhost', port])).toBe(MSG.length);
    expect(r.recvfromSync(1024)[0]).toEqual(MSG);

    const [r6, s6] = [udp(AF_INET6), udp(AF_INET6)];
    expect(await s6.sendmsg([MSG], null, 0, r6.getsockname())).toBe(MSG.length);
    expect(r6.recvfromSync(1024)).toEqual([MSG, s6.getsockname()]);

    const ur = track(new Socket(AF_UNIX, SOCK_DGRAM));
    const path = join(dir, `u${++counter}`);
    ur.bind(path);
    const us = track(new Socket(AF_UNIX, SOCK_DGRAM));
    expect(await us.sendmsg([MSG], [], 0, path)).toBe(MSG.length);
    expect(ur.recvSync(1024)).toEqual(MSG);
  });

  it('a bad address → TypeError from the family codec, both forms', async () => {
    const s = udp();
    await bothFail(s, [[MSG], [], 0, 'not an address'], TypeError);
    await bothFail(s, [[MSG], [], 0, ['127.0.0.1', 70000]], RangeError);
  });

  it('MSG_NOSIGNAL is implied: a closed peer gives BrokenPipeError, not SIGPIPE', async () => {
    const [a, b] = pair();
    b.close();
    expectErrno(() => a.sendmsgSync([MSG]), E.EPIPE, BrokenPipeError);
    await expectRejectErrno(a.sendmsg([MSG]), E.EPIPE, BrokenPipeError);
  });

  it('more buffers than IOV_MAX (1024) → OSError EMSGSIZE, as Python raises', async () => {
    const [a, b] = pair();
    const x = Buffer.from('x');
    expect(a.sendmsgSync(Array(1024).fill(x))).toBe(1024);
    b.recvSync(4096);
    await bothFail(a, [Array(1025).fill(x)], OSError);
    const err = thrown(() => a.sendmsgSync(Array(1025).fill(x))) as OSError;
    expect(err.errno).toBe(E.EMSGSIZE);
  });
});

describe('sendmsg: argument errors (MSG-07, MSG-08)', () => {
  it('bad buffers, ancillary data, flags or address → TypeError (MSG-07)', async () => {
    const [a] = pair();
    await bothFail(a, [], TypeError);
    await bothFail(a, [Buffer.from('not in an iterable')], TypeError);
    await bothFail(a, [{}], TypeError);
    await bothFail(a, [42], TypeError);
    await bothFail(a, ['a string'], TypeError);
    await bothFail(a, [[{}]], TypeError);
    await bothFail(a, [[MSG, {}]], TypeError);
    await bothFail(a, [['text']], TypeError);
    await bothFail(a, [[MSG], {}], TypeError, 'sendmsg() argument 2 must be an iterable');
    await bothFail(a, [[MSG], 42], TypeError, 'sendmsg() argument 2 must be an iterable');
    await bothFail(a, [[MSG], [], {}], TypeError);
    await bothFail(a, [[MSG], [], 'x'], TypeError);
    await bothFail(a, [[MSG], [], 1.5], TypeError);
    await bothFail(a, [[MSG], [], 0, {}], TypeError);
  });

  it('bad ancillary items → TypeError (MSG-08)', async () => {
    const [a] = pair();
    const data = Buffer.from('data');
    const items: unknown[] = [
      [{}],
      [[{}, 0, data]],
      [[0, {}, data]],
      [[0, 0, {}]],
      [[0, 0, 'text']],
      [[0, 0]],
      [[0, 0, data, 42]],
      [0, 0, Buffer.alloc(0)],
      [[0, 0, Buffer.alloc(0)], {}],
      [[1.5, 0, data]],
    ];
    for (const anc of items) await bothFail(a, [[MSG], anc], TypeError);
    await bothFail(a, [[MSG], [[0, 0]]], TypeError, /sequence of length 3, not 2/);
    await bothFail(a, [[MSG], [[0, 0, data, 42]]], TypeError, /sequence of length 3, not 4/);
  });

  it('a level or type beyond a C int → RangeError', async () => {
    const [a] = pair();
    await bothFail(a, [[MSG], [[2 ** 31, 0, Buffer.alloc(0)]]], RangeError);
    await bothFail(a, [[MSG], [[0, -(2 ** 31) - 1, Buffer.alloc(0)]]], RangeError);
  });

  it('ancillary data too large: "ancillary data item too large" / "too much ancillary data" (MSG-12)', async () => {
    const [a] = pair();
    // Untouched ArrayBuffers: the pages are never written, so this costs no memory.
    const tooLarge = new Uint8Array(new ArrayBuffer(LIMIT - CMSG_SPACE(1) + 1));
    const err = thrown(() => a.sendmsgSync([MSG], [[0, 0, tooLarge]])) as OSError;
    expect(err).toBeInstanceOf(OSError);
    expect(err.message).toBe('ancillary data item too large');
    expect(err.errno).toBeNull();
    const half = new Uint8Array(new ArrayBuffer(2 ** 30));
    const err2 = (await rejection(a.sendmsg([MSG], [[0, 0, half], [0, 0, half]]))) as OSError;
    expect(err2).toBeInstanceOf(OSError);
    expect(err2.message).toBe('too much ancillary data');
    expect(err2.errno).toBeNull();
  });
});

describe('sendmsg: timeouts in every mode, abort, close (MSG-10, MSG-11)', () => {
  it('timeout mode against a peer that does not read → TimeoutError, Sync and Promise (MSG-10)', async () => {
    const [a] = pair();
    smallSendBuffer(a);
    a.settimeout(0.03);
    let err: unknown;
    for (let i = 0; i < 100_000 && err === undefined; i++) {
      try {
        a.sendmsgSync([Buffer.alloc(1024)]);
      } catch (e) {
        err = e;
      }
    }
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as OSError).errno).toBeNull();
    await expectRejectErrno(a.sendmsg([Buffer.alloc(1024)]), null, TimeoutError);
  });

  it('MSG_DONTWAIT on a blocking socket → BlockingIOError EAGAIN once full (MSG-11)', async () => {
    const [a] = pair();
    a.settimeout(null);
    smallSendBuffer(a);
    let err: unknown;
    for (let i = 0; i < 100_000 && err === undefined; i++) {
      try {
        a.sendmsgSync([Buffer.alloc(1024)], [], MSG_DONTWAIT);
      } catch (e) {
        err = e;
      }
    }
    expect(err).toBeInstanceOf(BlockingIOError);
    expect((err as OSError).errno).toBe(E.EAGAIN);
  });

  it('non-blocking mode: Sync raises BlockingIOError; the Promise waits until the peer reads', async () => {
    const [a, b] = pair();
    smallSendBuffer(a);
    const queued = fillSendBuffer(a);
    a.setblocking(false);
    expectErrno(() => a.sendmsgSync([MSG]), E.EAGAIN, BlockingIOError);
    const p = a.sendmsg([MSG]);
    await sleep(20);
    let got = 0;
    b.settimeout(1);
    while (got < queued) got += b.recvSync(65536).length;
    expect(await p).toBe(MSG.length);
    expect(b.recvSync(1024)).toEqual(MSG);
  });

  it('blocking mode: SO_SNDTIMEO expiring raises BlockingIOError, as the blocking syscall does', () => {
    const [a] = pair();
    smallSendBuffer(a);
    fillSendBuffer(a);
    a.settimeout(null);
    a.setsockopt(SOL_SOCKET, SO_SNDTIMEO, timeval(0.05));
    expectErrno(() => a.sendmsgSync([MSG]), E.EAGAIN, BlockingIOError);
  });

  it('an AbortSignal rejects a waiting sendmsg; close() rejects it with EBADF', async () => {
    const [a] = pair();
    smallSendBuffer(a);
    fillSendBuffer(a);
    const ac = new AbortController();
    const p = a.sendmsg([MSG], [], 0, null, { signal: ac.signal });
    ac.abort(new Error('stop'));
    expect(((await rejection(p)) as Error).message).toBe('stop');
    const q = a.sendmsg([MSG]);
    a.close();
    await expectRejectErrno(q, E.EBADF);
    expectErrno(() => a.sendmsgSync([MSG]), E.EBADF);
    await expectRejectErrno(a.sendmsg([MSG]), E.EBADF);
  });
});
