/**
 * The Socket object itself: construction (with and without `fileno`),
 * close / detach / dup / fileno, inheritability, socket options, listen,
 * shutdown, getsockname, the read-only `timeout`, `util.inspect`, disposal,
 * and every method after `close()`.
 *
 * CPython checklist items: OBJ-01..OBJ-37 (OBJ-38..42 are Python-only:
 * keyword arguments, pickle, ResourceWarning on GC, weakref, free-threading).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AF_NETLINK, BlockingIOError, OSError, SHUT_RDWR, SOCK_CLOEXEC, SOCK_DGRAM, SOCK_NONBLOCK, SOCK_RAW, SOCK_STREAM,
  SOL_SOCKET, SO_ACCEPTCONN, SO_BINDTODEVICE, SO_DOMAIN, SO_ERROR, SO_LINGER, SO_PROTOCOL, SO_RCVBUF, SO_REUSEADDR,
  SO_TYPE, Socket, socket, socketpair,
} from '@bsdsock/core';
import { binding } from '@bsdsock/core/internal';
import { AF_INET, AF_INET6 } from '@bsdsock/inet';
import { AF_UNIX } from '@bsdsock/unix';
import { countOpenFds } from '@bsdsock/test-utils';
import { guardFds } from './fixtures/fd-guard.js';
import { closeAll, expectErrno, expectRejectErrno, tcpListener, tcpPair, thrown } from './fixtures/object-helpers.js';

const EBADF = 9;
const EINVAL = 22;
const EFAULT = 14;
const ENOTSOCK = 88;
const ENOPROTOOPT = 92;
const EPROTONOSUPPORT = 93;
const EAFNOSUPPORT = 97;
const ENOTCONN = 107;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;

guardFds();

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'bsdsock-obj-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('constructor', () => {
  it('defaults to an AF_INET stream socket with proto 0 (OBJ-01)', () => {
    using s = new Socket();
    expect([s.family, s.type, s.proto]).toEqual([AF_INET, SOCK_STREAM, 0]);
    expect(s.fileno()).toBeGreaterThanOrEqual(0);
    expect(s.gettimeout()).toBe(null);
    expect(s.getblocking()).toBe(true);
  });

  it('treats -1 as "the default" for family, type and proto (OBJ-02)', () => {
    using s = new Socket(-1, -1, -1);
    expect([s.family, s.type, s.proto]).toEqual([AF_INET, SOCK_STREAM, 0]);
    using t = socket(-1, -1, -1, null);
    expect([t.family, t.type, t.proto]).toEqual([AF_INET, SOCK_STREAM, 0]);
  });

  it('socket() is the same as new Socket()', () => {
    using s = socket(AF_INET, SOCK_DGRAM);
    expect(s).toBeInstanceOf(Socket);
    expect([s.family, s.type, s.proto]).toEqual([AF_INET, SOCK_DGRAM, 0]);
  });

  it('rejects non-number arguments with TypeError (OBJ-03, OBJ-17)', () => {
    const bad: unknown[][] = [
      ['x'], [AF_INET, 'x'], [AF_INET, SOCK_STREAM, 'x'], [AF_INET, SOCK_STREAM, 0, 'foo'],
      [AF_INET, SOCK_STREAM, 0, 42.5], [1.5], [AF_INET, SOCK_STREAM, 0, {}], [AF_INET, SOCK_STREAM, 0, 3n],
      [null], [AF_INET, SOCK_STREAM, 0, true],
    ];
    const before = countOpenFds();
    for (const args of bad) {
      const err = thrown(() => new (Socket as unknown as new (...a: unknown[]) => Socket)(...args));
      expect(err, JSON.stringify(args, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))).toBeInstanceOf(TypeError);
    }
    expect(countOpenFds()).toBe(before);
  });

  it('raises the kernel errors of socket(2) as OSError (OBJ-03)', () => {
    expectErrno(() => new Socket(999), EAFNOSUPPORT);
    expectErrno(() => new Socket(AF_INET, 999), EINVAL);
    expectErrno(() => new Socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP), EPROTONOSUPPORT);
  });

  it('rejects a negative fileno with RangeError "negative file descriptor" (OBJ-18)', () => {
    for (const fd of [-1, -42]) {
      const err = thrown(() => new Socket(AF_INET, SOCK_STREAM, 0, fd));
      expect(err).toBeInstanceOf(RangeError);
      expect((err as Error).message).toBe('negative file descriptor');
      const err2 = thrown(() => new Socket(-1, -1, -1, fd));
      expect((err2 as Error).message).toBe('negative file descriptor');
    }
  });

  it('strips SOCK_NONBLOCK and SOCK_CLOEXEC from .type, whatever the mode (OBJ-04)', () => {
    using s = new Socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC);
    expect(s.type).toBe(SOCK_STREAM);
    expect(s.gettimeout()).toBe(0);
    s.settimeout(1);
    expect(s.type).toBe(SOCK_STREAM);
    s.settimeout(0);
    s.setblocking(true);
    s.setblocking(false);
    expect(s.type).toBe(SOCK_STREAM);
    using d = new Socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC);
    expect(d.type).toBe(SOCK_DGRAM);
    expect(d.gettimeout()).toBe(null);
    expect(d.getInheritable()).toBe(false);
  });
});

describe('constructor with fileno: adoption', () => {
  function adopt(make: () => Socket): [Socket, Socket, number] {
    const orig = make();
    const fd = orig.detach();
    const s = new Socket(-1, -1, -1, fd);
    return [orig, s, fd];
  }

  it('detects AF_INET / SOCK_STREAM / IPPROTO_TCP and keeps the fd (OBJ-15)', () => {
    const [, s, fd] = adopt(() => {
      const t = new Socket(AF_INET, SOCK_STREAM);
      t.bind(['127.0.0.1', 0]);
      return t;
    });
    using _s = s;
    expect(s.fileno()).toBe(fd);
    expect([s.family, s.type, s.proto]).toEqual([AF_INET, SOCK_STREAM, IPPROTO_TCP]);
    expect((s.getsockname() as [string, number])[0]).toBe('127.0.0.1');
  });

  it('detects AF_INET / SOCK_DGRAM / IPPROTO_UDP (OBJ-15)', () => {
    const [, s] = adopt(() => new Socket(AF_INET, SOCK_DGRAM));
    using _s = s;
    expect([s.family, s.type, s.proto]).toEqual([AF_INET, SOCK_DGRAM, IPPROTO_UDP]);
  });

  it('detects AF_INET6 / SOCK_STREAM (OBJ-15)', () => {
    const [, s] = adopt(() => new Socket(AF_INET6, SOCK_STREAM));
    using _s = s;
    expect([s.family, s.type, s.proto]).toEqual([AF_INET6, SOCK_STREAM, IPPROTO_TCP]);
  });

  it('detects AF_UNIX for a bound and an unbound socket (OBJ-15)', () => {
    const file = path.join(tmp, 'adopt.sock');
    const [, bound] = adopt(() => {
      const t = new Socket(AF_UNIX, SOCK_STREAM);
      t.bind(file);
      return t;
    });
    using _b = bound;
    expect([bound.family, bound.type, bound.proto]).toEqual([AF_UNIX, SOCK_STREAM, 0]);
    expect(bound.getsockname()).toBe(file);
    const [, unbound] = adopt(() => new Socket(AF_UNIX, SOCK_DGRAM));
    using _u = unbound;
    expect([unbound.family, unbound.type, unbound.proto]).toEqual([AF_UNIX, SOCK_DGRAM, 0]);
  });

  it('detects a socketpair end, and the adopted socket still talks to the peer', () => {
    const [a, b] = socketpair();
    using _b = b;
    const [, s] = adopt(() => a);
    using _s = s;
    expect([s.family, s.type]).toEqual([AF_UNIX, SOCK_STREAM]);
    b.sendSync(Buffer.from('ping'));
    expect(s.recvSync(10).toString()).toBe('ping');
  });

  it('trusts explicit family, type and proto without checking them (OBJ-16)', () => {
    const t = new Socket(AF_INET, SOCK_STREAM);
    const fd = t.detach();
    using s = new Socket(9999, 9999, 23, fd);
    expect([s.family, s.type, s.proto]).toEqual([9999, 9999, 23]);
    expect(inspect(s)).toContain('family=9999');
  });

  it('trusts each explicit value and detects only the missing ones', () => {
    const t = new Socket(AF_INET, SOCK_DGRAM);
    const fd = t.detach();
    using s = new Socket(AF_INET, -1, 0, fd);
    expect([s.family, s.type, s.proto]).toEqual([AF_INET, SOCK_DGRAM, 0]);
  });

  it('raises EBADF for a closed fd, with and without family/type (OBJ-19)', () => {
    const t = new Socket();
    const fd = t.fileno();
    t.close();
    expectErrno(() => new Socket(-1, -1, -1, fd), EBADF);
    expectErrno(() => new Socket(AF_INET, SOCK_STREAM, 0, fd), EBADF);
    expectErrno(() => new Socket(AF_INET, SOCK_STREAM, 0, 1_000_000), EBADF);
  });

  it('raises ENOTSOCK for a regular file and for a FIFO, and leaves that fd alone (OBJ-20)', () => {
    const file = path.join(tmp, 'plain');
    const fd = openSync(file, 'w+');
    try {
      expectErrno(() => new Socket(AF_INET, SOCK_STREAM, 0, fd), ENOTSOCK);
      expect(thrown(() => new Socket(-1, -1, -1, fd))).toBeInstanceOf(OSError);
      expect(fstatSync(fd).isFile()).toBe(true);
    } finally {
      closeSync(fd);
    }
    const fifo = path.join(tmp, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const pfd = openSync(fifo, 'r+');
    try {
      expectErrno(() => new Socket(AF_INET, SOCK_STREAM, 0, pfd), ENOTSOCK);
      expect(thrown(() => new Socket(-1, -1, -1, pfd))).toBeInstanceOf(OSError);
      expect(fstatSync(pfd).isFIFO()).toBe(true);
    } finally {
      closeSync(pfd);
    }
  });

  it('the adopted fd is non-blocking at the OS level; the mode follows the default timeout', () => {
    const t = new Socket();
    const fd = t.detach();
    expect(binding.getNonblock(fd)).toBe(0);
    using s = new Socket(-1, -1, -1, fd);
    expect(s.gettimeout()).toBe(null);
    expect(binding.getNonblock(fd)).toBe(1);
  });
});

describe('fileno, close, detach', () => {
  it('fileno() is -1 after close(); family/type/proto stay readable (OBJ-09)', () => {
    const s = new Socket(AF_INET, SOCK_DGRAM);
    expect(s.fileno()).toBeGreaterThanOrEqual(0);
    s.close();
    expect(s.fileno()).toBe(-1);
    expect([s.family, s.type, s.proto]).toEqual([AF_INET, SOCK_DGRAM, 0]);
  });

  it('close() can be called any number of times (OBJ-10)', () => {
    const s = new Socket();
    s.close();
    s.close();
    s.close();
    expect(s.fileno()).toBe(-1);
  });

  it('close() of an fd already closed elsewhere raises EBADF (OBJ-11)', () => {
    const s = new Socket();
    new Socket(-1, -1, -1, s.fileno()).close();
    expectErrno(() => s.close(), EBADF);
    expect(s.fileno()).toBe(-1);
    s.close();
  });

  it('close() actually closes the fd', () => {
    const s = new Socket();
    const fd = s.fileno();
    s.close();
    expect(binding.getCloexec(fd)).toBe(-EBADF);
  });

  it('detach() returns the fd, leaves it open, and a second detach() returns -1 (OBJ-14)', async () => {
    const [l, c, srv] = await tcpPair();
    try {
      const fd = c.detach();
      expect(fd).toBeGreaterThanOrEqual(0);
      expect(c.fileno()).toBe(-1);
      expect(c.detach()).toBe(-1);
      expectErrno(() => c.recvSync(1), EBADF);
      await expectRejectErrno(c.recv(1), EBADF);
      c.close(); // does nothing: the fd is not ours any more
      expect(binding.isSocket(fd)).toBe(1);
      using again = new Socket(AF_INET, SOCK_STREAM, 0, fd);
      expect(again.fileno()).toBe(fd);
      await srv.sendall(Buffer.from('still here'));
      expect((await again.recv(100)).toString()).toBe('still here');
    } finally {
      closeAll(l, c, srv);
    }
  });

  it('detach() in blocking mode leaves the fd blocking; in the other modes, non-blocking', () => {
    const a = new Socket();
    const fdA = a.detach();
    expect(binding.getNonblock(fdA)).toBe(0);
    expect(binding.close(fdA)).toBe(0);

    const b = new Socket();
    b.setblocking(false);
    const fdB = b.detach();
    expect(binding.getNonblock(fdB)).toBe(1);
    expect(binding.close(fdB)).toBe(0);

    const c = new Socket();
    c.settimeout(2.5);
    const fdC = c.detach();
    expect(binding.getNonblock(fdC)).toBe(1);
    expect(binding.close(fdC)).toBe(0);
  });
});

describe('dup', () => {
  it('gives a new fd with the same family, type, proto and timeout; not inheritable (OBJ-22)', () => {
    using s = new Socket(AF_INET, SOCK_DGRAM);
    s.settimeout(2.5);
    using d = s.dup();
    expect(d).toBeInstanceOf(Socket);
    expect(d.fileno()).not.toBe(s.fileno());
    expect([d.family, d.type, d.proto]).toEqual([s.family, s.type, s.proto]);
    expect(d.gettimeout()).toBe(2.5);
    expect(d.getInheritable()).toBe(false);
    s.setblocking(false);
    using d2 = s.dup();
    expect(d2.gettimeout()).toBe(0);
    expect(d2.getblocking()).toBe(false);
  });

  it('shares the connection: data sent to the original is read from the dup (OBJ-22)', async () => {
    const [l, c, srv] = await tcpPair();
    try {
      const d = srv.dup();
      srv.close();
      await c.sendall(Buffer.from('through the dup'));
      expect((await d.recv(100)).toString()).toBe('through the dup');
      await d.sendall(Buffer.from('back'));
      expect((await c.recv(100)).toString()).toBe('back');
      d.close();
    } finally {
      closeAll(l, c, srv);
    }
  });

  it('a dup of a dup shares options with the original', () => {
    using s = new Socket();
    using d = s.dup();
    d.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
    expect(s.getsockopt(SOL_SOCKET, SO_REUSEADDR)).not.toBe(0);
  });
});

describe('subclasses', () => {
  class MySocket extends Socket {}

  it('dup() of a subclass instance is an instance of that subclass (Python: self.__class__)', () => {
    using s = new MySocket();
    using d = s.dup();
    expect(d).toBeInstanceOf(MySocket);
  });

  it('accept() of a subclass listener gives plain Sockets, as Python\'s accept gives socket.socket', async () => {
    const l = new MySocket(AF_INET, SOCK_STREAM);
    const c = new Socket();
    try {
      l.bind(['127.0.0.1', 0]);
      l.listen();
      const [[conn]] = await Promise.all([l.accept(), c.connect(l.getsockname())]);
      expect(conn).toBeInstanceOf(Socket);
      conn.close();
    } finally {
      closeAll(l, c);
    }
  });
});

describe('a socket of a family no package registered', () => {
  it('takes and returns raw [family, Buffer] addresses; detection works for it', () => {
    const s = new Socket(AF_NETLINK, SOCK_RAW, 0);
    try {
      const before = s.getsockname() as unknown as [number, Buffer];
      expect(before[0]).toBe(AF_NETLINK);
      expect(Buffer.isBuffer(before[1])).toBe(true);
      const nl = Buffer.alloc(12);
      nl.writeUInt16LE(AF_NETLINK, 0);
      s.bind([AF_NETLINK, nl]);
      const [fam, raw] = s.getsockname() as unknown as [number, Buffer];
      expect(fam).toBe(AF_NETLINK);
      expect(raw.length).toBe(12);
      expect(raw.readUInt32LE(4)).toBeGreaterThan(0); // the port id the kernel assigned
      expect(thrown(() => s.bind(['x', 1]))).toBeInstanceOf(TypeError);
      expect(thrown(() => s.bind([AF_NETLINK, Buffer.alloc(1000)]))).toBeInstanceOf(RangeError);
      expect(inspect(s)).toContain('family=16');
      const t = new Socket(-1, -1, -1, s.detach());
      expect([t.family, t.type]).toEqual([AF_NETLINK, SOCK_RAW]);
      t.close();
    } finally {
      closeAll(s);
    }
  });
});

describe('inheritable', () => {
  it('new sockets, socketpair ends, dups and accepted sockets are not inheritable (OBJ-23, PAIR-03)', async () => {
    using s = new Socket();
    expect(s.getInheritable()).toBe(false);
    expect(binding.getCloexec(s.fileno())).toBe(1);
    const [a, b] = socketpair();
    using _a = a;
    using _b = b;
    expect(a.getInheritable()).toBe(false);
    expect(b.getInheritable()).toBe(false);
    using d = s.dup();
    expect(d.getInheritable()).toBe(false);
    const [l, c, srv] = await tcpPair();
    try {
      expect(srv.getInheritable()).toBe(false);
      expect(c.getInheritable()).toBe(false);
    } finally {
      closeAll(l, c, srv);
    }
  });

  it('setInheritable() toggles FD_CLOEXEC; clearing FD_CLOEXEC elsewhere shows (OBJ-23)', () => {
    using s = new Socket();
    s.setInheritable(true);
    expect(s.getInheritable()).toBe(true);
    expect(binding.getCloexec(s.fileno())).toBe(0);
    s.setInheritable(false);
    expect(s.getInheritable()).toBe(false);
    expect(binding.getCloexec(s.fileno())).toBe(1);
    binding.setCloexec(s.fileno(), false);
    expect(s.getInheritable()).toBe(true);
  });
});

describe('getsockopt / setsockopt', () => {
  it('reads and writes int options; booleans count as ints (OBJ-24, OBJ-27)', () => {
    using s = new Socket();
    expect(s.getsockopt(SOL_SOCKET, SO_REUSEADDR)).toBe(0);
    s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
    expect(s.getsockopt(SOL_SOCKET, SO_REUSEADDR)).not.toBe(0);
    s.setsockopt(SOL_SOCKET, SO_REUSEADDR, false);
    expect(s.getsockopt(SOL_SOCKET, SO_REUSEADDR)).toBe(0);
    s.setsockopt(SOL_SOCKET, SO_REUSEADDR, true);
    expect(s.getsockopt(SOL_SOCKET, SO_REUSEADDR)).not.toBe(0);
  });

  it('reads SO_TYPE, SO_DOMAIN, SO_PROTOCOL, SO_ERROR (OBJ-31)', () => {
    using s = new Socket();
    expect(s.getsockopt(SOL_SOCKET, SO_TYPE)).toBe(SOCK_STREAM);
    expect(s.getsockopt(SOL_SOCKET, SO_DOMAIN)).toBe(AF_INET);
    expect(s.getsockopt(SOL_SOCKET, SO_PROTOCOL)).toBe(IPPROTO_TCP);
    expect(s.getsockopt(SOL_SOCKET, SO_ERROR)).toBe(0);
  });

  it('with buflen returns a Buffer cut to the length the kernel wrote (OBJ-25)', () => {
    using s = new Socket();
    const t = s.getsockopt(SOL_SOCKET, SO_TYPE, 1024);
    expect(Buffer.isBuffer(t)).toBe(true);
    expect(t.length).toBe(4);
    expect(t.readInt32LE(0)).toBe(SOCK_STREAM);
    const linger = s.getsockopt(SOL_SOCKET, SO_LINGER, 8);
    expect(linger).toEqual(Buffer.alloc(8));
    // buflen 0 means "an int", as in Python.
    expect(s.getsockopt(SOL_SOCKET, SO_TYPE, 0)).toBe(SOCK_STREAM);
  });

  it('sets a struct option from any bytes-like value and reads it back (OBJ-27)', () => {
    using s = new Socket();
    const linger = (onoff: number, secs: number): Buffer => {
      const b = Buffer.alloc(8);
      b.writeInt32LE(onoff, 0);
      b.writeInt32LE(secs, 4);
      return b;
    };
    s.setsockopt(SOL_SOCKET, SO_LINGER, linger(1, 5));
    expect(s.getsockopt(SOL_SOCKET, SO_LINGER, 8)).toEqual(linger(1, 5));
    s.setsockopt(SOL_SOCKET, SO_LINGER, new Uint8Array(linger(1, 7)));
    expect(s.getsockopt(SOL_SOCKET, SO_LINGER, 8)).toEqual(linger(1, 7));
    const l9 = linger(1, 9);
    s.setsockopt(SOL_SOCKET, SO_LINGER, new DataView(l9.buffer, l9.byteOffset, 8));
    expect(s.getsockopt(SOL_SOCKET, SO_LINGER, 8)).toEqual(l9);
    s.setsockopt(SOL_SOCKET, SO_LINGER, new Uint8Array(linger(1, 11)).buffer);
    expect(s.getsockopt(SOL_SOCKET, SO_LINGER, 8)).toEqual(linger(1, 11));
    // A window into a larger buffer: only the window is passed.
    const big = Buffer.alloc(20, 0xff);
    linger(1, 13).copy(big, 6);
    s.setsockopt(SOL_SOCKET, SO_LINGER, big.subarray(6, 14));
    expect(s.getsockopt(SOL_SOCKET, SO_LINGER, 8)).toEqual(linger(1, 13));
    s.setsockopt(SOL_SOCKET, SO_LINGER, new Int32Array([0, 0]));
    expect(s.getsockopt(SOL_SOCKET, SO_LINGER, 8).readInt32LE(0)).toBe(0);
  });

  it('null with optlen passes a NULL optval of that length (OBJ-27)', () => {
    using s = new Socket();
    // SO_BINDTODEVICE with a NULL, 0-length value unbinds: allowed unprivileged.
    s.setsockopt(SOL_SOCKET, SO_BINDTODEVICE, null, 0);
    // A NULL where the kernel must read an int: EFAULT proves NULL was passed.
    expectErrno(() => s.setsockopt(SOL_SOCKET, SO_REUSEADDR, null, 4), EFAULT);
    expect(thrown(() => s.setsockopt(SOL_SOCKET, SO_REUSEADDR, null, -1))).toBeInstanceOf(RangeError);
    expect(thrown(() => s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1 as never, 4))).toBeInstanceOf(TypeError);
  });

  it('buflen outside 0-1024 raises OSError "getsockopt buflen out of range" without errno (OBJ-26, ERR-04)', () => {
    using s = new Socket();
    for (const buflen of [-1, 1025, 100_000]) {
      const err = expectErrno(() => s.getsockopt(SOL_SOCKET, SO_TYPE, buflen), null);
      expect(err.message).toBe('getsockopt buflen out of range');
      expect(err.args).toEqual(['getsockopt buflen out of range']);
      expect(err.strerror).toBe(null);
    }
  });

  it('an int value outside C int raises TypeError (OBJ-28); other bad values TypeError', () => {
    using s = new Socket();
    for (const v of [2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1.5, NaN, Infinity, 'x', null, undefined, {}, [1], 1n]) {
      expect(thrown(() => s.setsockopt(SOL_SOCKET, SO_REUSEADDR, v as never)), String(v)).toBeInstanceOf(TypeError);
    }
    // The edges of C int are fine (the kernel may still refuse them).
    s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 2 ** 31 - 1);
    s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 0);
  });

  it('bad level / optname / buflen types raise TypeError', () => {
    using s = new Socket();
    expect(thrown(() => s.getsockopt('1' as never, SO_TYPE))).toBeInstanceOf(TypeError);
    expect(thrown(() => s.getsockopt(SOL_SOCKET, null as never))).toBeInstanceOf(TypeError);
    expect(thrown(() => s.getsockopt(SOL_SOCKET, SO_TYPE, '4' as never))).toBeInstanceOf(TypeError);
    expect(thrown(() => s.setsockopt('1' as never, SO_REUSEADDR, 1))).toBeInstanceOf(TypeError);
    expect(thrown(() => s.setsockopt(SOL_SOCKET, 2.5, 1))).toBeInstanceOf(TypeError);
  });

  it('an unknown option raises ENOPROTOOPT from both (OBJ-29)', () => {
    using s = new Socket();
    expectErrno(() => s.setsockopt(SOL_SOCKET, 9999, 1), ENOPROTOOPT);
    expectErrno(() => s.getsockopt(SOL_SOCKET, 9999), ENOPROTOOPT);
    expectErrno(() => s.getsockopt(SOL_SOCKET, 9999, 16), ENOPROTOOPT);
  });

  it('SO_RCVBUF reads back doubled, as Linux does (OBJ-30)', () => {
    using s = new Socket();
    s.setsockopt(SOL_SOCKET, SO_RCVBUF, 16384);
    expect(s.getsockopt(SOL_SOCKET, SO_RCVBUF)).toBe(32768);
  });
});

describe('listen, shutdown, getsockname, getpeername', () => {
  it('listen() with no argument, 0, and a negative backlog (OBJ-32)', () => {
    for (const backlog of [undefined, 0, -1, 5]) {
      using s = new Socket();
      s.bind(['127.0.0.1', 0]);
      s.listen(backlog);
      expect(s.getsockopt(SOL_SOCKET, SO_ACCEPTCONN)).toBe(1);
    }
  });

  it('listen() rejects a non-integer backlog (TypeError) and one outside C int (RangeError) (OBJ-32, OBJ-33)', () => {
    using s = new Socket();
    expect(thrown(() => s.listen('x' as never))).toBeInstanceOf(TypeError);
    expect(thrown(() => s.listen(1.5))).toBeInstanceOf(TypeError);
    expect(thrown(() => s.listen(2 ** 31))).toBeInstanceOf(RangeError);
    expect(s.getsockopt(SOL_SOCKET, SO_ACCEPTCONN)).toBe(0);
  });

  it('shutdown(): works connected, EINVAL for a bad how, ENOTCONN unconnected (OBJ-34, OBJ-35)', async () => {
    const [a, b] = socketpair();
    try {
      expectErrno(() => a.shutdown(3), EINVAL);
      expectErrno(() => a.shutdown(-1), EINVAL);
      expect(thrown(() => a.shutdown('x' as never))).toBeInstanceOf(TypeError);
      expect(thrown(() => a.shutdown(2 + 2 ** 32))).toBeInstanceOf(RangeError);
      expect(thrown(() => a.shutdown(2 ** 31))).toBeInstanceOf(RangeError);
      a.shutdown(SHUT_RDWR);
      expect((await b.recv(10)).length).toBe(0);
    } finally {
      closeAll(a, b);
    }
    using t = new Socket();
    expectErrno(() => t.shutdown(SHUT_RDWR), ENOTCONN);
    expectErrno(() => t.getpeername(), ENOTCONN);
  });

  it('getsockname() of an unbound AF_INET socket is ["0.0.0.0", 0]; after bind, the bound address (OBJ-36)', () => {
    using s = new Socket();
    expect(s.getsockname()).toEqual(['0.0.0.0', 0]);
    s.bind(['127.0.0.1', 0]);
    const [host, port] = s.getsockname() as [string, number];
    expect(host).toBe('127.0.0.1');
    expect(port).toBeGreaterThan(0);
  });

  it('getsockname() and getpeername() of both socketpair ends are "" (PAIR-07)', () => {
    const [a, b] = socketpair();
    using _a = a;
    using _b = b;
    expect(a.getsockname()).toBe('');
    expect(a.getpeername()).toBe('');
    expect(b.getsockname()).toBe('');
    expect(b.getpeername()).toBe('');
  });
});

describe('timeout property, inspect, disposal', () => {
  it('`timeout` equals gettimeout() and is read-only (OBJ-37)', () => {
    using s = new Socket();
    expect(s.timeout).toBe(null);
    s.settimeout(3);
    expect(s.timeout).toBe(3);
    const err = thrown(() => {
      (s as unknown as { timeout: number }).timeout = 5;
    });
    expect(err).toBeInstanceOf(TypeError);
    expect(s.gettimeout()).toBe(3);
  });

  it('inspect() of an unbound AF_INET socket: fd, family, type, proto, laddr; no raddr (OBJ-06)', () => {
    using s = new Socket();
    const text = inspect(s);
    expect(text).toMatch(new RegExp(`^<Socket fd=${s.fileno()}, family=2, type=1, proto=0, laddr=.*>$`));
    expect(text).toContain("'0.0.0.0'");
    expect(text).not.toContain('raddr');
    expect(text).not.toContain('[closed]');
  });

  it('inspect() of a connected socket shows laddr and raddr (OBJ-06)', async () => {
    const [l, c, srv] = await tcpPair();
    try {
      const text = inspect(c);
      const lport = (c.getsockname() as [string, number])[1];
      const rport = (l.getsockname() as [string, number])[1];
      expect(text).toContain('laddr=');
      expect(text).toContain(String(lport));
      expect(text).toContain('raddr=');
      expect(text).toContain(String(rport));
      expect(text.indexOf('laddr=')).toBeLessThan(text.indexOf('raddr='));
    } finally {
      closeAll(l, c, srv);
    }
  });

  it('inspect() of a closed socket: [closed], fd=-1, no addresses (OBJ-07)', () => {
    const s = new Socket();
    s.close();
    expect(inspect(s)).toBe('<Socket [closed] fd=-1, family=2, type=1, proto=0>');
  });

  it('inspect() of an unbound AF_UNIX socket shows no laddr (OBJ-06)', () => {
    using s = new Socket(AF_UNIX, SOCK_STREAM);
    expect(inspect(s)).toBe(`<Socket fd=${s.fileno()}, family=1, type=1, proto=0>`);
  });

  it('inspect() of a socketpair end shows no laddr and no raddr, as Python\'s repr (OBJ-06)', () => {
    const [a, b] = socketpair();
    using _a = a;
    using _b = b;
    // Python: '<socket.socket fd=3, family=1, type=1, proto=0>': an empty address is falsy.
    expect(inspect(a)).toBe(`<Socket fd=${a.fileno()}, family=1, type=1, proto=0>`);
  });

  it('`using` closes the socket at the end of the block, also on an exception (OBJ-21)', () => {
    let kept: Socket | undefined;
    {
      using s = new Socket();
      kept = s;
      expect(s.fileno()).toBeGreaterThanOrEqual(0);
    }
    expect(kept.fileno()).toBe(-1);
    expect(() => {
      using s = new Socket();
      kept = s;
      throw new Error('boom');
    }).toThrow('boom');
    expect(kept.fileno()).toBe(-1);
    {
      // Closed inside the block: disposal is still fine.
      using s = new Socket();
      s.close();
      kept = s;
    }
    expect(kept.fileno()).toBe(-1);
  });

  it('[Symbol.dispose]() and [Symbol.asyncDispose]() close, and are idempotent', async () => {
    const s = new Socket();
    s[Symbol.dispose]();
    expect(s.fileno()).toBe(-1);
    s[Symbol.dispose]();
    const t = new Socket();
    const p = t[Symbol.asyncDispose]();
    expect(p).toBeInstanceOf(Promise);
    expect(t.fileno()).toBe(-1);
    await expect(p).resolves.toBeUndefined();
    await expect(t[Symbol.asyncDispose]()).resolves.toBeUndefined();
  });

  it('`await using` closes the socket', async () => {
    let kept: Socket | undefined;
    {
      await using s = new Socket();
      kept = s;
    }
    expect(kept.fileno()).toBe(-1);
  });

  it('[Symbol.asyncDispose]() rejects (never throws) when close() fails', async () => {
    const s = new Socket();
    new Socket(-1, -1, -1, s.fileno()).close();
    let p: Promise<void> | undefined;
    expect(() => {
      p = s[Symbol.asyncDispose]();
    }).not.toThrow();
    await expectRejectErrno(p!, EBADF);
  });
});

describe('every method after close()', () => {
  type Call = (s: Socket) => unknown;
  const addr: [string, number] = ['127.0.0.1', 9];
  const buf = (): Buffer => Buffer.alloc(8);
  // name -> how to call it with otherwise valid arguments.
  const syncCalls: Record<string, Call> = {
    bind: (s) => s.bind(['127.0.0.1', 0]),
    listen: (s) => s.listen(),
    dup: (s) => s.dup(),
    getInheritable: (s) => s.getInheritable(),
    setInheritable: (s) => s.setInheritable(true),
    getsockname: (s) => s.getsockname(),
    getpeername: (s) => s.getpeername(),
    getsockopt: (s) => s.getsockopt(SOL_SOCKET, SO_TYPE),
    'getsockopt(buflen)': (s) => s.getsockopt(SOL_SOCKET, SO_LINGER, 8),
    setsockopt: (s) => s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1),
    'setsockopt(bytes)': (s) => s.setsockopt(SOL_SOCKET, SO_LINGER, Buffer.alloc(8)),
    'setsockopt(null)': (s) => s.setsockopt(SOL_SOCKET, SO_BINDTODEVICE, null, 0),
    shutdown: (s) => s.shutdown(SHUT_RDWR),
    setblocking: (s) => s.setblocking(true),
    settimeout: (s) => s.settimeout(1),
    'settimeout(null)': (s) => s.settimeout(null),
    acceptSync: (s) => s.acceptSync(),
    connectSync: (s) => s.connectSync(addr),
    recvSync: (s) => s.recvSync(8),
    recvIntoSync: (s) => s.recvIntoSync(buf()),
    recvfromSync: (s) => s.recvfromSync(8),
    'recvfromSync(0)': (s) => s.recvfromSync(0),
    recvfromIntoSync: (s) => s.recvfromIntoSync(buf()),
    sendSync: (s) => s.sendSync(buf()),
    'sendSync(empty)': (s) => s.sendSync(Buffer.alloc(0)),
    sendallSync: (s) => s.sendallSync(buf()),
    'sendallSync(empty)': (s) => s.sendallSync(Buffer.alloc(0)),
    sendtoSync: (s) => s.sendtoSync(buf(), addr),
    'sendtoSync(flags)': (s) => s.sendtoSync(buf(), 0, addr),
    recvmsgSync: (s) => s.recvmsgSync(8),
    recvmsgIntoSync: (s) => s.recvmsgIntoSync([buf()]),
    sendmsgSync: (s) => s.sendmsgSync([buf()]),
    sendfileSync: (s) => s.sendfileSync(0),
    sendmmsgSync: (s) => s.sendmmsgSync([[buf(), addr]]),
    recvmmsgSync: (s) => s.recvmmsgSync(4, 8),
    makefile: (s) => s.makefile('rb'),
  };
  const asyncCalls: Record<string, (s: Socket) => Promise<unknown>> = {
    accept: (s) => s.accept(),
    connect: (s) => s.connect(addr),
    recv: (s) => s.recv(8),
    recvInto: (s) => s.recvInto(buf()),
    recvfrom: (s) => s.recvfrom(8),
    recvfromInto: (s) => s.recvfromInto(buf()),
    send: (s) => s.send(buf()),
    sendall: (s) => s.sendall(buf()),
    'sendall(empty)': (s) => s.sendall(Buffer.alloc(0)),
    sendto: (s) => s.sendto(buf(), addr),
    'sendto(flags)': (s) => s.sendto(buf(), 0, addr),
    recvmsg: (s) => s.recvmsg(8),
    recvmsgInto: (s) => s.recvmsgInto([buf()]),
    sendmsg: (s) => s.sendmsg([buf()]),
    sendfile: (s) => s.sendfile(0),
    sendmmsg: (s) => s.sendmmsg([[buf(), addr]]),
    recvmmsg: (s) => s.recvmmsg(4, 8),
  };
  // Methods that do not raise after close, and what they return.
  const harmless: Record<string, Call> = {
    fileno: (s) => expect(s.fileno()).toBe(-1),
    close: (s) => expect(s.close()).toBeUndefined(),
    detach: (s) => expect(s.detach()).toBe(-1),
    getblocking: (s) => expect(s.getblocking()).toBe(true),
    gettimeout: (s) => expect(s.gettimeout()).toBe(null),
    // As CPython: a zero-size recv / recv_into returns before looking at the fd.
    'recvSync(0)': (s) => expect(s.recvSync(0).length).toBe(0),
    'recvIntoSync(empty)': (s) => expect(s.recvIntoSync(Buffer.alloc(0))).toBe(0),
  };
  // connect_ex reports errors as a number, EBADF included (Python: s.connect_ex(addr) == 9 after close).
  const exCalls: Record<string, Call> = {
    connectExSync: (s) => expect(s.connectExSync(addr)).toBe(EBADF),
  };
  const exAsync: Record<string, (s: Socket) => Promise<unknown>> = {
    connectEx: async (s) => expect(await s.connectEx(addr)).toBe(EBADF),
    'recv(0)': async (s) => expect((await s.recv(0)).length).toBe(0),
    'recvInto(empty)': async (s) => expect(await s.recvInto(Buffer.alloc(0))).toBe(0),
  };

  it('the tables below cover every method of Socket', () => {
    const names = Object.getOwnPropertyNames(Socket.prototype).filter(
      (n) => n !== 'constructor' && typeof Object.getOwnPropertyDescriptor(Socket.prototype, n)!.value === 'function',
    );
    const covered = new Set(
      [...Object.keys(syncCalls), ...Object.keys(asyncCalls), ...Object.keys(harmless), ...Object.keys(exCalls),
        ...Object.keys(exAsync)].map((k) => k.replace(/\(.*\)$/, '')),
    );
    const missing = names.filter((n) => !covered.has(n));
    expect(missing).toEqual([]);
  });

  for (const [name, call] of Object.entries(syncCalls)) {
    it(`${name} throws OSError EBADF (OBJ-12, OBJ-13)`, () => {
      for (const timeout of [null, 0, 0.5]) {
        const s = new Socket(AF_INET, SOCK_STREAM);
        s.settimeout(timeout);
        s.close();
        const err = expectErrno(() => call(s), EBADF);
        expect(err.code).toBe('EBADF');
      }
    });
  }

  for (const [name, call] of Object.entries(asyncCalls)) {
    it(`${name} returns a promise rejected with OSError EBADF, never throws (OBJ-12)`, async () => {
      for (const timeout of [null, 0, 0.5]) {
        const s = new Socket();
        s.settimeout(timeout);
        s.close();
        let p: Promise<unknown> | undefined;
        expect(() => {
          p = call(s);
        }).not.toThrow();
        expect(p).toBeInstanceOf(Promise);
        await expectRejectErrno(p!, EBADF);
      }
    });
  }

  for (const [name, call] of Object.entries(harmless)) {
    it(`${name} does not raise after close`, () => {
      const s = new Socket();
      s.close();
      call(s);
    });
  }

  for (const [name, call] of Object.entries(exCalls)) {
    it(`${name} returns EBADF after close, as Python's connect_ex does`, () => {
      const s = new Socket();
      s.close();
      call(s);
    });
  }

  for (const [name, call] of Object.entries(exAsync)) {
    it(`${name} resolves after close, as in Python (connect_ex: EBADF; a zero size: empty)`, async () => {
      const s = new Socket();
      s.close();
      await call(s);
    });
  }

  it('a detached socket behaves as a closed one', async () => {
    const s = new Socket();
    const fd = s.detach();
    try {
      expectErrno(() => s.getsockname(), EBADF);
      expectErrno(() => s.settimeout(1), EBADF);
      await expectRejectErrno(s.recv(1), EBADF);
    } finally {
      binding.close(fd);
    }
  });

  it('BlockingIOError is not what a closed socket raises, even in non-blocking mode', () => {
    const s = new Socket();
    s.setblocking(false);
    s.close();
    const err = thrown(() => s.recvSync(1));
    expect(err).not.toBeInstanceOf(BlockingIOError);
    expect((err as OSError).errno).toBe(EBADF);
  });
});

describe('listener helper sanity', () => {
  it('a listener accepts a connection through the Sync API', () => {
    const l = tcpListener();
    const c = new Socket();
    try {
      c.connectSync(l.getsockname());
      const [conn, peer] = l.acceptSync();
      expect(peer).toEqual(c.getsockname());
      conn.close();
    } finally {
      closeAll(l, c);
    }
  });
});
