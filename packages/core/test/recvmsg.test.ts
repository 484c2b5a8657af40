/**
 * recvmsg and recvmsg_into on real sockets: CPython's behaviours MSG-13..31, MSG-41
 * and BUF-11..15 (see the conformance checklist), in the Promise form and
 * the Sync form — the shapes, truncation, peeking, EOF, timeouts in every
 * mode, addresses, argument errors, and SCM_RIGHTS on the receiving side:
 * new fds for the same open files, close-on-exec, truncation with
 * MSG_CTRUNC and no leaked fd.
 *
 * The default timeout is 5 s for the whole file, so a Sync call can never
 * hang the worker; every file descriptor the file opens is closed again
 * (guardFds).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { constants as osConstants, endianness, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BlockingIOError, CMSG_LEN, CMSG_SPACE, OSError, Socket, TimeoutError, getdefaulttimeout, registerFamily,
  setdefaulttimeout, socketpair, getFamily, MSG_CTRUNC, MSG_DONTWAIT, MSG_OOB, MSG_PEEK, MSG_TRUNC, SCM_RIGHTS, SHUT_WR,
  SOCK_DGRAM, SOCK_STREAM, SOL_SOCKET, SO_RCVTIMEO, type FamilyPlugin,
} from '@bsdsock/core';
import { AF_INET, AF_INET6, IPPROTO_SCTP, IPPROTO_UDPLITE } from '@bsdsock/inet';
import { AF_UNIX } from '@bsdsock/unix';
import { countOpenFds } from '@bsdsock/test-utils';
import { guardFds, settleFdCount } from './fixtures/fd-guard.js';
import { closeAll, expectErrno, expectRejectErrno, sleep, thrown, timeval } from './fixtures/object-helpers.js';

guardFds();

const E = osConstants.errno;
const MSG = Buffer.from('Michael Gilfix was here\u1234\r\n', 'utf8');
const LE = endianness() === 'LE';
/** O_CLOEXEC as /proc/self/fdinfo shows it (octal flags). */
const O_CLOEXEC = 0o2000000;

const opened: Socket[] = [];
const fdsToClose: number[] = [];
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

/** A connected loopback TCP pair: [client, server side]. */
async function tcp(): Promise<[Socket, Socket]> {
  const l = track(new Socket(AF_INET, SOCK_STREAM));
  l.bind(['127.0.0.1', 0]);
  l.listen();
  const c = track(new Socket(AF_INET, SOCK_STREAM));
  const [, [s]] = await Promise.all([c.connect(l.getsockname()), l.accept()]);
  l.close();
  return [c, track(s)];
}

/** An int array as SCM_RIGHTS carries it (Python's `array('i', fds).tobytes()`). */
function ints(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => (LE ? b.writeInt32LE(v, i * 4) : b.writeInt32BE(v, i * 4)));
  return b;
}

function readInts(b: Buffer): number[] {
  const out: number[] = [];
  for (let i = 0; i + 4 <= b.length; i += 4) out.push(LE ? b.readInt32LE(i) : b.readInt32BE(i));
  return out;
}

/** A fresh temporary file holding `content`, opened read-write; closed after the test. */
function tempFile(content: string): number {
  const p = join(dir, `f${++counter}`);
  writeFileSync(p, content);
  const fd = openSync(p, 'r+');
  fdsToClose.push(fd);
  return fd;
}

/** Every fd of the SCM_RIGHTS items, registered to be closed after the test. */
function receivedFds(anc: [number, number, Buffer][]): number[] {
  const fds: number[] = [];
  for (const [level, type, data] of anc) {
    if (level === SOL_SOCKET && type === SCM_RIGHTS) fds.push(...readInts(data));
  }
  fdsToClose.push(...fds);
  return fds;
}

/** What the fd refers to (`/tmp/.../f1`, `pipe:[...]`). */
function target(fd: number): string {
  return readlinkSync(`/proc/self/fd/${fd}`);
}

function fdFlags(fd: number): number {
  const m = /^flags:\s+([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
  return parseInt(m![1]!, 8);
}

function isOpen(fd: number): boolean {
  try {
    readFileSync(`/proc/self/fdinfo/${fd}`);
    return true;
  } catch {
    return false;
  }
}

function readAll(fd: number, position: number | null = 0): string {
  const buf = Buffer.alloc(4096);
  const n = readSync(fd, buf, 0, buf.length, position);
  return buf.toString('utf8', 0, n);
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  expect(p).toBeInstanceOf(Promise);
  return p.then(() => expect.fail('expected a rejection'), (e: unknown) => e);
}

beforeAll(() => {
  savedDefault = getdefaulttimeout();
  setdefaulttimeout(5);
  dir = mkdtempSync(join(tmpdir(), 'bsdsock-recvmsg-'));
});

afterEach(() => {
  closeAll(...opened.splice(0));
  for (const fd of fdsToClose.splice(0)) {
    try {
      closeSync(fd);
    } catch {
      // closed by the test
    }
  }
});

afterAll(() => {
  setdefaulttimeout(savedDefault);
  rmSync(dir, { recursive: true, force: true });
});

describe('recvmsg: the 4-tuple (MSG-13, MSG-14, MSG-16)', () => {
  it('returns [data, [], flags, null] on a stream socketpair, Promise and Sync', async () => {
    const [a, b] = pair();
    a.sendallSync(MSG);
    expect(await b.recvmsg(1024)).toEqual([MSG, [], 0, null]);
    a.sendallSync(MSG);
    const r = b.recvmsgSync(1024);
    expect(r).toEqual([MSG, [], 0, null]);
    expect(Buffer.isBuffer(r[0])).toBe(true);
    expect(Array.isArray(r[1])).toBe(true);
  });

  it('takes the defaults explicitly: recvmsg(len, 0, 0)', async () => {
    const [a, b] = pair();
    a.sendallSync(MSG);
    expect(b.recvmsgSync(MSG.length, 0, 0)).toEqual([MSG, [], 0, null]);
    a.sendallSync(MSG);
    expect(await b.recvmsg(MSG.length, 0, 0)).toEqual([MSG, [], 0, null]);
  });

  it('a buffer larger than the message returns the whole message', async () => {
    const [a, b] = pair(SOCK_DGRAM);
    a.sendSync(MSG);
    const [data, anc, flags] = await b.recvmsg(MSG.length + 100);
    expect(data).toEqual(MSG);
    expect(anc).toEqual([]);
    expect(flags & MSG_TRUNC).toBe(0);
  });

  it.each([1, 10240])('ancbufsize %i with no ancillary data sent: [] and MSG_CTRUNC clear', async (anc) => {
    const [a, b] = pair();
    a.sendallSync(MSG);
    const [data, items, flags] = b.recvmsgSync(1024, anc);
    expect(data).toEqual(MSG);
    expect(items).toEqual([]);
    expect(flags & (MSG_CTRUNC | MSG_OOB)).toBe(0);
    a.sendallSync(MSG);
    const [data2, items2, flags2] = await b.recvmsg(1024, anc);
    expect([data2, items2, flags2 & MSG_CTRUNC]).toEqual([MSG, [], 0]);
  });

  it('recvmsg(0) on a datagram socket makes the syscall and consumes the datagram', () => {
    const [a, b] = pair(SOCK_DGRAM);
    a.sendSync(MSG);
    const [data, anc, flags] = b.recvmsgSync(0);
    expect(data.length).toBe(0);
    expect(anc).toEqual([]);
    expect(flags & MSG_TRUNC).toBe(MSG_TRUNC);
    b.setblocking(false);
    expectErrno(() => b.recvmsgSync(1024), E.EAGAIN, BlockingIOError);
  });
});

describe('recvmsg: truncation, peeking, EOF (MSG-15, MSG-18, MSG-19)', () => {
  it('a datagram longer than bufsize: the prefix, MSG_TRUNC set, the rest discarded', async () => {
    for (const sync of [false, true]) {
      const [a, b] = pair(SOCK_DGRAM);
      a.sendSync(MSG);
      a.sendSync(Buffer.from('next'));
      const [data, anc, flags] = sync ? b.recvmsgSync(MSG.length - 3) : await b.recvmsg(MSG.length - 3);
      expect(data).toEqual(MSG.subarray(0, MSG.length - 3));
      expect(anc).toEqual([]);
      expect(flags & MSG_TRUNC).toBe(MSG_TRUNC);
      expect(b.recvmsgSync(1024)[0]).toEqual(Buffer.from('next'));
    }
  });

  it('UDP truncation as well: MSG_TRUNC on an AF_INET datagram', async () => {
    const [r, s] = [udp(), udp()];
    s.sendtoSync(MSG, r.getsockname());
    const [data, , flags, addr] = await r.recvmsg(5);
    expect(data).toEqual(MSG.subarray(0, 5));
    expect(flags & MSG_TRUNC).toBe(MSG_TRUNC);
    expect(addr).toEqual(s.getsockname());
  });

  it('a stream gives part of the data now and the rest on the next call, without MSG_TRUNC', async () => {
    const [a, b] = await tcp();
    a.sendallSync(MSG);
    await sleep(20);
    const [first, , flags] = b.recvmsgSync(MSG.length - 3);
    expect(first).toEqual(MSG.subarray(0, MSG.length - 3));
    expect(flags & MSG_TRUNC).toBe(0);
    const [rest, , flags2] = await b.recvmsg(1024);
    expect(rest).toEqual(MSG.subarray(MSG.length - 3));
    expect(flags2).toBe(0);
  });

  it('MSG_PEEK: a prefix, then everything, then a normal receive returns the same data', async () => {
    const [a, b] = pair(SOCK_DGRAM);
    a.sendSync(MSG);
    const [p1, , f1] = b.recvmsgSync(MSG.length - 3, 0, MSG_PEEK);
    expect(p1).toEqual(MSG.subarray(0, MSG.length - 3));
    expect(f1 & MSG_TRUNC).toBe(MSG_TRUNC);
    const [p2, , f2] = await b.recvmsg(MSG.length, 0, MSG_PEEK);
    expect(p2).toEqual(MSG);
    expect(f2 & MSG_TRUNC).toBe(0);
    expect((await b.recvmsg(MSG.length))[0]).toEqual(MSG);
  });

  it('MSG_PEEK on a stream, recvmsg_into as well', async () => {
    const [a, b] = pair();
    a.sendallSync(MSG);
    const buf = Buffer.alloc(MSG.length);
    expect((await b.recvmsgInto([buf], 0, MSG_PEEK))[0]).toBe(MSG.length);
    expect(buf).toEqual(MSG);
    expect(b.recvmsgSync(1024)[0]).toEqual(MSG);
  });

  it('EOF on a stream: [b"", [], flags, null], Promise and Sync', async () => {
    const [a, b] = pair();
    a.shutdown(SHUT_WR);
    const [data, anc, , addr] = await b.recvmsg(1024);
    expect([data.length, anc, addr]).toEqual([0, [], null]);
    expect(b.recvmsgSync(1024)[0].length).toBe(0);
    const buf = Buffer.alloc(8);
    expect(b.recvmsgIntoSync([buf])[0]).toBe(0);
    expect((await b.recvmsgInto([buf]))[0]).toBe(0);
  });

  it('EOF of a TCP peer that closed', async () => {
    const [c, s] = await tcp();
    c.close();
    const [data, anc, , addr] = await s.recvmsg(1024);
    expect([data.length, anc, addr]).toEqual([0, [], null]);
  });
});

describe('recvmsg: addresses (MSG-21)', () => {
  it('connected TCP and an unbound AF_UNIX peer give null', async () => {
    const [c, s] = await tcp();
    c.sendallSync(MSG);
    expect((await s.recvmsg(1024))[3]).toBeNull();
    const [a, b] = pair(SOCK_DGRAM);
    a.sendSync(MSG);
    expect(b.recvmsgSync(1024)[3]).toBeNull();
  });

  it('UDP gives the sender [ip, port]; UDP6 a 4-item array', async () => {
    const [r, s] = [udp(), udp()];
    s.sendtoSync(MSG, r.getsockname());
    expect(r.recvmsgSync(1024)).toEqual([MSG, [], 0, ['127.0.0.1', (s.getsockname() as [string, number])[1]]]);
    s.sendtoSync(MSG, r.getsockname());
    const buf = Buffer.alloc(100);
    expect(await r.recvmsgInto([buf])).toEqual([MSG.length, [], 0, s.getsockname()]);

    const [r6, s6] = [udp(AF_INET6), udp(AF_INET6)];
    s6.sendtoSync(MSG, r6.getsockname());
    const [, , , addr6] = await r6.recvmsg(1024);
    expect(addr6).toEqual(['::1', (s6.getsockname() as [string, number])[1], 0, 0]);
  });

  it('a bound AF_UNIX datagram sender gives its path', async () => {
    const r = track(new Socket(AF_UNIX, SOCK_DGRAM));
    const s = track(new Socket(AF_UNIX, SOCK_DGRAM));
    const rp = join(dir, `r${++counter}`);
    const sp = join(dir, `s${++counter}`);
    r.bind(rp);
    s.bind(sp);
    s.sendtoSync(MSG, rp);
    expect(await r.recvmsg(1024)).toEqual([MSG, [], 0, sp]);
  });
});

describe('recvmsg on the other transports of CPython\'s matrix (MSG-41)', () => {
  /** A socket of `proto`, or the reason the kernel refuses to make one. */
  function tryProto(family: number, type: number, proto: number): Socket | string {
    try {
      return track(new Socket(family, type, proto));
    } catch (err) {
      return `${(err as OSError).code ?? String(err)}`;
    }
  }

  it.each([['AF_INET', AF_INET, '127.0.0.1'], ['AF_INET6', AF_INET6, '::1']])('UDPLITE over %s: the same 4-tuple and MSG_TRUNC', async (_n, family, host) => {
    const r = tryProto(family, SOCK_DGRAM, IPPROTO_UDPLITE);
    const s = tryProto(family, SOCK_DGRAM, IPPROTO_UDPLITE);
    if (typeof r === 'string' || typeof s === 'string') {
      expect(r).toMatch(/EPROTONOSUPPORT|ESOCKTNOSUPPORT/); // the kernel has no UDP-Lite
      return;
    }
    r.bind([host, 0]);
    s.bind([host, 0]);
    s.sendtoSync(MSG, r.getsockname());
    expect(await r.recvmsg(1024)).toEqual([MSG, [], 0, s.getsockname()]);
    s.sendtoSync(MSG, r.getsockname());
    const [data, , flags] = r.recvmsgSync(3);
    expect([data, flags & MSG_TRUNC]).toEqual([MSG.subarray(0, 3), MSG_TRUNC]);
  });

  it('SCTP one-to-one where the kernel has it (kmod:sctp); here it is checked to be refused otherwise', async () => {
    const l = tryProto(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
    if (typeof l === 'string') {
      expect(l).toMatch(/EPROTONOSUPPORT|ESOCKTNOSUPPORT/);
      return;
    }
    l.bind(['127.0.0.1', 0]);
    l.listen();
    const c = track(new Socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP));
    const [, [srv]] = await Promise.all([c.connect(l.getsockname()), l.accept()]);
    track(srv);
    c.sendallSync(MSG);
    const [data, anc, , addr] = await srv.recvmsg(1024);
    expect([data, anc]).toEqual([MSG, []]);
    expect(addr === null || Array.isArray(addr)).toBe(true);
  });
});

describe('recvmsg: timeouts in every mode, abort, close (MSG-17)', () => {
  it('timeout mode: Sync raises TimeoutError("timed out") with errno null; Promise rejects the same', async () => {
    const [, b] = pair();
    b.settimeout(0.05);
    const err = expectErrno(() => b.recvmsgSync(1024), null, TimeoutError);
    expect(err.message).toBe('timed out');
    expectErrno(() => b.recvmsgIntoSync([Buffer.alloc(4)]), null, TimeoutError);
    await expectRejectErrno(b.recvmsg(1024), null, TimeoutError);
    await expectRejectErrno(b.recvmsgInto([Buffer.alloc(4)]), null, TimeoutError);
  });

  it('non-blocking mode: Sync raises BlockingIOError at once; Promise waits for the data', async () => {
    const [a, b] = pair();
    b.setblocking(false);
    expectErrno(() => b.recvmsgSync(1024), E.EAGAIN, BlockingIOError);
    expectErrno(() => b.recvmsgIntoSync([Buffer.alloc(4)]), E.EAGAIN, BlockingIOError);
    const p = b.recvmsg(MSG.length);
    const q = b.recvmsgInto([Buffer.alloc(MSG.length)]);
    await sleep(30);
    a.sendallSync(MSG);
    a.sendallSync(MSG);
    expect(await p).toEqual([MSG, [], 0, null]);
    expect(await q).toEqual([MSG.length, [], 0, null]);
  });

  it('blocking mode: Sync waits for data; SO_RCVTIMEO expiring raises BlockingIOError, as the syscall does', async () => {
    const [a, b] = pair();
    b.settimeout(null);
    b.setsockopt(SOL_SOCKET, SO_RCVTIMEO, timeval(0.05));
    expectErrno(() => b.recvmsgSync(1024), E.EAGAIN, BlockingIOError);
    expectErrno(() => b.recvmsgIntoSync([Buffer.alloc(4)]), E.EAGAIN, BlockingIOError);
    // MSG_DONTWAIT never waits, whatever the mode.
    expectErrno(() => b.recvmsgSync(1024, 0, MSG_DONTWAIT), E.EAGAIN, BlockingIOError);
    const p = b.recvmsg(1024);
    await sleep(30);
    a.sendallSync(MSG);
    expect(await p).toEqual([MSG, [], 0, null]);
    a.sendallSync(MSG);
    expect(b.recvmsgSync(1024)[0]).toEqual(MSG);
  });

  it('an AbortSignal rejects a waiting recvmsg with its reason', async () => {
    const [a, b] = pair();
    const ac = new AbortController();
    const p = b.recvmsg(1024, 0, 0, { signal: ac.signal });
    const q = b.recvmsgInto([Buffer.alloc(4)], { signal: ac.signal });
    ac.abort(new Error('stop'));
    expect(((await rejection(p)) as Error).message).toBe('stop');
    expect(((await rejection(q)) as Error).message).toBe('stop');
    // Nothing was consumed: the next message arrives whole.
    a.sendallSync(MSG);
    expect(b.recvmsgSync(1024)[0]).toEqual(MSG);
  });

  it('close() while recvmsg waits rejects it with EBADF; recvmsg on a closed socket raises EBADF', async () => {
    const [, b] = pair();
    const p = b.recvmsg(1024);
    const q = b.recvmsgInto([Buffer.alloc(4)]);
    b.close();
    await expectRejectErrno(p, E.EBADF);
    await expectRejectErrno(q, E.EBADF);
    expectErrno(() => b.recvmsgSync(1024), E.EBADF);
    expectErrno(() => b.recvmsgIntoSync([Buffer.alloc(4)]), E.EBADF);
    await expectRejectErrno(b.recvmsg(1024), E.EBADF);
  });
});

describe('recvmsg: argument errors (MSG-20)', () => {
  it('no arguments → TypeError', async () => {
    const [, b] = pair();
    expect(thrown(() => (b.recvmsgSync as () => unknown)())).toBeInstanceOf(TypeError);
    expect(await rejection((b.recvmsg as () => Promise<unknown>)())).toBeInstanceOf(TypeError);
  });

  it('a negative bufsize → RangeError "negative buffer size in recvmsg()"', async () => {
    const [, b] = pair();
    const err = thrown(() => b.recvmsgSync(-1, 0, 0)) as Error;
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toBe('negative buffer size in recvmsg()');
    expect(((await rejection(b.recvmsg(-1, 0, 0))) as Error).message).toBe('negative buffer size in recvmsg()');
  });

  it('a negative ancbufsize → RangeError "invalid ancillary data buffer length"', async () => {
    const [, b] = pair();
    const err = thrown(() => b.recvmsgSync(MSG.length, -1, 0)) as Error;
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toBe('invalid ancillary data buffer length');
    expect(await rejection(b.recvmsg(MSG.length, -1, 0))).toBeInstanceOf(RangeError);
  });

  it('a buffer as bufsize, and a non-number anywhere → TypeError (the Promise rejects, never throws)', async () => {
    const [, b] = pair();
    const bad: unknown[] = [Buffer.alloc(10), {}, 'x', 1.5];
    for (const v of bad) {
      expect(thrown(() => b.recvmsgSync(v as number))).toBeInstanceOf(TypeError);
      expect(thrown(() => b.recvmsgSync(1024, v as number))).toBeInstanceOf(TypeError);
      expect(thrown(() => b.recvmsgSync(1024, 0, v as number))).toBeInstanceOf(TypeError);
      expect(await rejection(b.recvmsg(v as number))).toBeInstanceOf(TypeError);
    }
    // In the Promise form a plain object in the ancbufsize/flags position is the options object.
    for (const v of ['x', 1.5, Buffer.alloc(1)]) {
      expect(await rejection(b.recvmsg(1024, v as number))).toBeInstanceOf(TypeError);
      expect(await rejection(b.recvmsg(1024, 0, v as number))).toBeInstanceOf(TypeError);
    }
  });
});

describe('recvmsg_into (BUF-11..15)', () => {
  it("reproduces the example of Python's documentation exactly (BUF-12)", async () => {
    for (const sync of [false, true]) {
      const [s1, s2] = pair();
      const b1 = Buffer.from('----');
      const b2 = Buffer.from('0123456789');
      const b3 = Buffer.from('--------------');
      expect(s1.sendSync(Buffer.from('Mary had a little lamb'))).toBe(22);
      // memoryview(b2)[2:9]
      const args = [b1, b2.subarray(2, 9), b3];
      const r = sync ? s2.recvmsgIntoSync(args) : await s2.recvmsgInto(args);
      expect(r).toEqual([22, [], 0, null]);
      expect([b1, b2, b3].map((b) => b.toString())).toEqual(['Mary', '01 had a 9', 'little lamb---']);
    }
  });

  it('fills one buffer: 0 <= nbytes <= len(buf), the data in place (BUF-11)', async () => {
    const [a, b] = pair();
    a.sendallSync(MSG);
    const buf = Buffer.alloc(1024);
    const [n, anc, flags, addr] = await b.recvmsgInto([buf]);
    expect([n, anc, flags, addr]).toEqual([MSG.length, [], 0, null]);
    expect(buf.subarray(0, n)).toEqual(MSG);
  });

  it('takes buffers from a generator, and Uint8Array / DataView / Float64Array views (BUF-13)', async () => {
    const [a, b] = pair();
    const u8 = new Uint8Array(5);
    const dv = new DataView(new ArrayBuffer(16), 4, 6);
    const f64 = new Float64Array(4);
    function* gen(): Generator<ArrayBufferView> {
      yield u8;
      yield dv;
      yield f64;
    }
    a.sendallSync(MSG);
    const [n] = await b.recvmsgInto(gen());
    expect(n).toBe(MSG.length);
    const got = Buffer.concat([
      Buffer.from(u8), Buffer.from(dv.buffer, 4, 6), Buffer.from(f64.buffer),
    ]).subarray(0, n);
    expect(got).toEqual(MSG);
    a.sendallSync(MSG);
    function* gen2(): Generator<ArrayBufferView> {
      yield Buffer.alloc(3);
      yield Buffer.alloc(100);
    }
    expect(b.recvmsgIntoSync(gen2())[0]).toBe(MSG.length);
  });

  it('recvmsg_into([]) returns [0, [], 0, addr] without consuming stream data (BUF-15)', async () => {
    const [a, b] = pair();
    a.sendallSync(MSG);
    expect(b.recvmsgIntoSync([])).toEqual([0, [], 0, null]);
    expect(await b.recvmsgInto([])).toEqual([0, [], 0, null]);
    expect(b.recvmsgSync(1024)[0]).toEqual(MSG);
  });

  it('more buffers than IOV_MAX (1024) → OSError EMSGSIZE, as Python raises', async () => {
    const [a, b] = pair();
    a.sendallSync(MSG);
    const bufs = Array.from({ length: 1025 }, () => Buffer.alloc(1));
    const err = thrown(() => b.recvmsgIntoSync(bufs)) as OSError;
    expect(err).toBeInstanceOf(OSError);
    expect(err.errno).toBe(E.EMSGSIZE);
    const rej = (await rejection(b.recvmsgInto(bufs))) as OSError;
    expect(rej).toBeInstanceOf(OSError);
    expect(rej.errno).toBe(E.EMSGSIZE);
    expect(b.recvmsgIntoSync(bufs.slice(0, 1024))[0]).toBe(MSG.length);
  });

  it('a datagram longer than the buffers sets MSG_TRUNC', async () => {
    const [a, b] = pair(SOCK_DGRAM);
    a.sendSync(MSG);
    const x = Buffer.alloc(2);
    const y = Buffer.alloc(3);
    const [n, , flags] = await b.recvmsgInto([x, y]);
    expect(n).toBe(5);
    expect(Buffer.concat([x, y])).toEqual(MSG.subarray(0, 5));
    expect(flags & MSG_TRUNC).toBe(MSG_TRUNC);
  });

  it('argument errors (BUF-14)', async () => {
    const [, b] = pair();
    const buf = Buffer.alloc(1024);
    const typeErrors: [unknown[], RegExp | null][] = [
      [[], null],
      [[MSG.length], /recvmsg_into\(\) argument 1 must be an iterable/],
      [[buf], /recvmsg_into\(\) argument 1 must be an iterable/],
      [[[{}]], /single-segment read-write buffers/],
      [[['not writable']], /single-segment read-write buffers/],
      [[[buf, {}]], /single-segment read-write buffers/],
      [[[new ArrayBuffer(8)]], /single-segment read-write buffers/],
      [[[buf], {}], null],
      [[[buf], 0, {}], null],
    ];
    for (const [args, message] of typeErrors) {
      const err = thrown(() => (b.recvmsgIntoSync as (...a: unknown[]) => unknown)(...args)) as Error;
      expect(err, JSON.stringify(args)).toBeInstanceOf(TypeError);
      if (message) expect(err.message).toMatch(message);
      if (args.length < 2) {
        const rej = (await rejection((b.recvmsgInto as (...a: unknown[]) => Promise<unknown>)(...args))) as Error;
        expect(rej).toBeInstanceOf(TypeError);
        if (message) expect(rej.message).toMatch(message);
      }
    }
    expect(thrown(() => b.recvmsgIntoSync([buf], -1, 0))).toBeInstanceOf(RangeError);
    expect(await rejection(b.recvmsgInto([buf], -1, 0))).toBeInstanceOf(RangeError);
  });
});

describe('SCM_RIGHTS on the receiving side (MSG-22..31)', () => {
  it('one fd: one item (SOL_SOCKET, SCM_RIGHTS), a new fd number for the same open file (MSG-22)', async () => {
    const [a, b] = pair();
    const fd = tempFile('hello, fd');
    expect(a.sendmsgSync([MSG], [[SOL_SOCKET, SCM_RIGHTS, ints(fd)]])).toBe(MSG.length);
    const [data, anc, flags, addr] = await b.recvmsg(MSG.length, CMSG_SPACE(4));
    expect(data).toEqual(MSG);
    expect(addr).toBeNull();
    expect(flags & MSG_CTRUNC).toBe(0);
    expect(anc).toHaveLength(1);
    const [level, type, payload] = anc[0]!;
    expect([level, type, payload.length % 4]).toEqual([SOL_SOCKET, SCM_RIGHTS, 0]);
    const [got] = receivedFds(anc);
    expect(got).not.toBe(fd);
    expect(target(got!)).toBe(target(fd));
    expect(readAll(got!)).toBe('hello, fd');
    // The same open file description: the file offset is shared.
    expect(readAll(fd, null).slice(0, 100)).toBe('hello, fd');
    expect(readAll(got!, null)).toBe('');
  });

  it('received fds are close-on-exec (MSG_CMSG_CLOEXEC): flagged, and not inherited by a child', () => {
    const [a, b] = pair();
    const fd = tempFile('cloexec');
    a.sendmsgSync([MSG], [[SOL_SOCKET, SCM_RIGHTS, ints(fd, fd)]]);
    const [, anc] = b.recvmsgSync(MSG.length, CMSG_SPACE(8));
    const fds = receivedFds(anc);
    expect(fds).toHaveLength(2);
    for (const f of fds) expect(fdFlags(f) & O_CLOEXEC).toBe(O_CLOEXEC);
    // An exec'd child sees none of them.
    const ls = spawnSync('ls', ['/proc/self/fd'], { encoding: 'utf8' });
    const childFds = ls.stdout.split(/\s+/).filter(Boolean).map(Number);
    for (const f of fds) expect(childFds).not.toContain(f);
  });

  it('MSG_CMSG_CLOEXEC is not echoed in msg_flags unless the caller asked for it', () => {
    const [a, b] = pair();
    const fd = tempFile('x');
    a.sendmsgSync([MSG], [[SOL_SOCKET, SCM_RIGHTS, ints(fd)]]);
    const [, anc, flags] = b.recvmsgSync(MSG.length, CMSG_SPACE(4));
    receivedFds(anc);
    expect(flags).toBe(0);
  });

  it('four fds in one array arrive as one item; CMSG_SPACE(16) is enough (MSG-23)', async () => {
    const [a, b] = pair();
    const files = [tempFile('0'), tempFile('1'), tempFile('2'), tempFile('3')];
    await a.sendmsg([MSG], [[SOL_SOCKET, SCM_RIGHTS, ints(...files)]]);
    const [data, anc, flags] = await b.recvmsg(MSG.length, CMSG_SPACE(16));
    expect(data).toEqual(MSG);
    expect(flags & MSG_CTRUNC).toBe(0);
    expect(anc).toHaveLength(1);
    const fds = receivedFds(anc);
    expect(fds.map((f) => readAll(f))).toEqual(['0', '1', '2', '3']);
  });

  it('ancbufsize CMSG_LEN(4*4) with one fd: the fd arrives (MSG-23)', () => {
    const [a, b] = pair();
    const fd = tempFile('one');
    a.sendmsgSync([MSG], [[SOL_SOCKET, SCM_RIGHTS, ints(fd)]]);
    const [, anc] = b.recvmsgSync(MSG.length, CMSG_LEN(16));
    expect(receivedFds(anc).map((f) => readAll(f))).toEqual(['one']);
  });

  it('two separate SCM_RIGHTS items: Linux merges them into one item of 8 bytes (MSG-24)', async () => {
    for (const anc of [CMSG_SPACE(4) + CMSG_SPACE(4), CMSG_SPACE(4) + CMSG_LEN(4)]) {
      const [a, b] = pair();
      const f1 = tempFile('first');
      const f2 = tempFile('second');
      expect(await a.sendmsg([MSG], [[SOL_SOCKET, SCM_RIGHTS, ints(f1)], [SOL_SOCKET, SCM_RIGHTS, ints(f2)]]))
        .toBe(MSG.length);
      const [, items, flags] = await b.recvmsg(MSG.length, anc);
      expect(items.length).toBeGreaterThanOrEqual(1);
      expect(items.length).toBeLessThanOrEqual(2);
      expect(flags & MSG_CTRUNC).toBe(0);
      expect(receivedFds(items).map((f) => readAll(f))).toEqual(['first', 'second']);
    }
  });

  it('an empty SCM_RIGHTS array: sendmsg succeeds or raises an OSError; no fd arrives (MSG-25)', () => {
    const [a, b] = pair();
    try {
      a.sendmsgSync([MSG], [[SOL_SOCKET, SCM_RIGHTS, Buffer.alloc(0)]]);
    } catch (err) {
      expect(err).toBeInstanceOf(OSError);
      expect(typeof (err as OSError).errno).toBe('number');
      return;
    }
    const [data, anc] = b.recvmsgSync(MSG.length, CMSG_SPACE(4));
    expect(data).toEqual(MSG);
    expect(receivedFds(anc)).toEqual([]);
  });

  it('a partial int (3 bytes) gives at most one item of fewer than 4 bytes (MSG-26)', () => {
    const [a, b] = pair();
    const fd = tempFile('x');
    a.sendmsgSync([MSG], [[SOL_SOCKET, SCM_RIGHTS, ints(fd).subarray(0, 3)]]);
    const [data, anc] = b.recvmsgSync(MSG.length, CMSG_SPACE(4));
    expect(data).toEqual(MSG);
    expect(anc.length).toBeLessThanOrEqual(1);
    for (const [, , d] of anc) expect(d.length).toBeLessThan(4);
  });

  it('a truncated first array with a second one: at most 2 items, every whole fd valid (MSG-26)', () => {
    const [a, b] = pair();
    const f1 = tempFile('a');
    const f2 = tempFile('b');
    try {
      a.sendmsgSync([MSG], [[SOL_SOCKET, SCM_RIGHTS, ints(f1).subarray(0, 3)], [SOL_SOCKET, SCM_RIGHTS, ints(f2)]]);
    } catch (err) {
      expect(err).toBeInstanceOf(OSError);
      return;
    }
    const [, anc] = b.recvmsgSync(MSG.length, CMSG_SPACE(8) + CMSG_SPACE(4));
    expect(anc.length).toBeLessThanOrEqual(2);
    for (const f of receivedFds(anc)) expect(isOpen(f)).toBe(true);
  });

  it('an invalid fd in SCM_RIGHTS: sendmsg raises OSError EBADF (MSG-27)', async () => {
    const [a] = pair();
    expectErrno(() => a.sendmsgSync([MSG], [[SOL_SOCKET, SCM_RIGHTS, ints(-0x5555)]]), E.EBADF);
    await expectRejectErrno(a.sendmsg([MSG], [[SOL_SOCKET, SCM_RIGHTS, ints(-0x5555)]]), E.EBADF);
  });

  it.each([
    ['no ancbufsize', undefined],
    ['0', 0],
    ['1', 1],
    ['2*sizeof(int)', 8],
    ['CMSG_LEN(0)-1', CMSG_LEN(0) - 1],
  ])('a truncated header (ancbufsize %s): [], MSG_CTRUNC set, the data intact, the fd closed (MSG-28)', async (_n, anc) => {
    const before = countOpenFds();
    for (const sync of [false, true]) {
      const [a, b] = pair();
      const fd = openSync('/dev/null', 'r');
      a.sendmsgSync([MSG], [[SOL_SOCKET, SCM_RIGHTS, ints(fd)]]);
      closeSync(fd);
      const [data, items, flags] = sync ? b.recvmsgSync(MSG.length, anc) : await b.recvmsg(MSG.length, anc);
      expect(data).toEqual(MSG);
      expect(items).toEqual([]);
      expect(flags & MSG_CTRUNC).toBe(MSG_CTRUNC);
      closeAll(a, b);
    }
    expect(await settleFdCount(before)).toBe(before);
  });

  it.each([
    ['CMSG_LEN(0)', CMSG_LEN(0), 0],
    ['CMSG_LEN(0)+1', CMSG_LEN(0) + 1, 1],
    ['CMSG_LEN(4)', CMSG_LEN(4), 4],
    ['CMSG_LEN(8)-1', CMSG_LEN(8) - 1, 7],
  ])('a truncated fd array (ancbufsize %s, 2 fds sent): MSG_CTRUNC, whole fds valid, the rest closed (MSG-29)', async (_n, anc, maxBytes) => {
    const before = countOpenFds();
    for (const sync of [false, true]) {
      const [a, b] = pair();
      const f1 = tempFile('one');
      const f2 = tempFile('two');
      a.sendmsgSync([MSG], [[SOL_SOCKET, SCM_RIGHTS, ints(f1, f2)]]);
      const [data, items, flags] = sync ? b.recvmsgSync(MSG.length, anc) : await b.recvmsg(MSG.length, anc);
      expect(data).toEqual(MSG);
      expect(flags & MSG_CTRUNC).toBe(MSG_CTRUNC);
      expect(items.length).toBeLessThanOrEqual(1);
      for (const [, , d] of items) expect(d.length).toBeLessThanOrEqual(maxBytes);
      const got = receivedFds(items);
      expect(got.length).toBe(Math.floor(maxBytes / 4));
      for (const f of got) expect(readAll(f)).toBe('one');
      closeAll(a, b);
      for (const f of [...fdsToClose.splice(0)]) closeSync(f);
    }
    // Nothing the kernel truncated stays open in this process.
    expect(await settleFdCount(before)).toBe(before);
  });

  it('recvmsg_into receives fds too', async () => {
    const [a, b] = pair();
    const fd = tempFile('into');
    await a.sendmsg([MSG], [[SOL_SOCKET, SCM_RIGHTS, ints(fd)]]);
    const buf = Buffer.alloc(MSG.length);
    const [n, anc, flags] = await b.recvmsgInto([buf], CMSG_SPACE(4));
    expect([n, flags]).toEqual([MSG.length, 0]);
    expect(receivedFds(anc).map((f) => readAll(f))).toEqual(['into']);
  });

  describe('fds are closed when recvmsg fails after the syscall returned (MSG-31)', () => {
    let previous: FamilyPlugin | undefined;
    const real = getFamily(AF_UNIX)!;

    beforeAll(() => {
      // An AF_UNIX codec whose decode fails: the address is decoded after the
      // syscall, so every fd received with the message must be closed.
      previous = registerFamily({
        ...real,
        decode(): never {
          throw new Error('decode failed');
        },
      });
    });

    afterAll(() => {
      registerFamily(previous ?? real);
    });

    /** A bound datagram sender (so that an address comes back) and a receiver. */
    function boundPair(): [Socket, Socket, string] {
      const r = track(new Socket(AF_UNIX, SOCK_DGRAM));
      const s = track(new Socket(AF_UNIX, SOCK_DGRAM));
      const rp = join(dir, `r${++counter}`);
      r.bind(rp);
      s.bind(join(dir, `s${++counter}`));
      return [r, s, rp];
    }

    it('Sync and Promise (data already there)', async () => {
      const before = countOpenFds();
      const [r, s, rp] = boundPair();
      const f = tempFile('x');
      const baseline = countOpenFds();
      s.sendmsgSync([MSG], [[SOL_SOCKET, SCM_RIGHTS, ints(f, f, f)]], 0, rp);
      expect(() => r.recvmsgSync(MSG.length, CMSG_SPACE(12))).toThrow('decode failed');
      expect(countOpenFds()).toBe(baseline);
      s.sendmsgSync([MSG], [[SOL_SOCKET, SCM_RIGHTS, ints(f, f, f)]], 0, rp);
      expect(((await rejection(r.recvmsg(MSG.length, CMSG_SPACE(12)))) as Error).message).toBe('decode failed');
      expect(countOpenFds()).toBe(baseline);
      s.sendmsgSync([MSG], [[SOL_SOCKET, SCM_RIGHTS, ints(f)]], 0, rp);
      expect(() => r.recvmsgIntoSync([Buffer.alloc(64)], CMSG_SPACE(4))).toThrow('decode failed');
      expect(countOpenFds()).toBe(baseline);
      closeAll(r, s);
      closeSync(fdsToClose.pop()!);
      expect(await settleFdCount(before)).toBe(before);
    });

    it('Promise that waited for the message: rejects, and the fds are closed', async () => {
      const [r, s, rp] = boundPair();
      const f = tempFile('x');
      const baseline = countOpenFds();
      const p = r.recvmsg(MSG.length, CMSG_SPACE(8));
      await sleep(20);
      s.sendmsgSync([MSG], [[SOL_SOCKET, SCM_RIGHTS, ints(f, f)]], 0, rp);
      const outcome = await Promise.race([
        p.then(() => 'resolved', (e: Error) => e.message),
        sleep(1000).then(() => 'still pending after 1 s'),
      ]);
      expect(outcome).toBe('decode failed');
      expect(countOpenFds()).toBe(baseline);
    });
  });
});
