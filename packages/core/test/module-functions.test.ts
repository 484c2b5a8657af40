/**
 * The module functions of core (`socket`, `SocketType`, `socketpair`,
 * `fromfd`, `close`, `getdefaulttimeout` / `setdefaulttimeout`), the
 * `AddressFamily` / `SocketKind` / `MsgFlag` enum objects, and the generic
 * constants, compared with CPython.
 *
 * CPython checklist items: MOD-01, MOD-02, MOD-04..MOD-07, MOD-10, MOD-13,
 * MOD-20..MOD-24, MOD-29, PAIR-01..PAIR-08. MOD-28 (`__slots__`) has no JS
 * equivalent.
 */
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as core from '@bsdsock/core';
import {
  AddressFamily, MsgFlag, SOCK_CLOEXEC, SOCK_DGRAM, SOCK_NONBLOCK, SOCK_RAW, SOCK_RDM, SOCK_SEQPACKET, SOCK_STREAM,
  Socket, SocketKind, SocketType, close, dup, fromfd, getdefaulttimeout, setdefaulttimeout, socket, socketpair,
} from '@bsdsock/core';
import { binding } from '@bsdsock/core/internal';
import { AF_INET, AF_INET6 } from '@bsdsock/inet';
import { AF_UNIX } from '@bsdsock/unix';
import { countOpenFds, hasPython, needsPython, runPythonSync } from '@bsdsock/test-utils';
import { guardFds } from './fixtures/fd-guard.js';
import { closeAll, expectErrno, tcpPair, thrown } from './fixtures/object-helpers.js';

const EBADF = 9;
const EINVAL = 22;
const ENOTSOCK = 88;
const EOPNOTSUPP = 95;

guardFds();

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'bsdsock-mod-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});
afterEach(() => {
  setdefaulttimeout(null);
});

describe('socket() and SocketType (MOD-02)', () => {
  it('SocketType is the Socket class; socket() makes one', () => {
    expect(SocketType).toBe(Socket);
    using s = socket();
    expect(s).toBeInstanceOf(SocketType);
    expect([s.family, s.type, s.proto]).toEqual([AF_INET, SOCK_STREAM, 0]);
    using t = socket(AF_UNIX, SOCK_DGRAM);
    expect([t.family, t.type]).toEqual([AF_UNIX, SOCK_DGRAM]);
  });

  it('socket() adopts a fileno as the constructor does', () => {
    const s = socket(AF_INET, SOCK_DGRAM);
    const fd = s.detach();
    using t = socket(-1, -1, -1, fd);
    expect(t.fileno()).toBe(fd);
    expect(t.type).toBe(SOCK_DGRAM);
  });
});

describe('socketpair (PAIR)', () => {
  it('defaults to AF_UNIX / SOCK_STREAM / 0, and data flows both ways (PAIR-01, PAIR-02)', async () => {
    const [a, b] = socketpair();
    try {
      for (const s of [a, b]) {
        expect(s).toBeInstanceOf(Socket);
        expect([s.family, s.type, s.proto]).toEqual([AF_UNIX, SOCK_STREAM, 0]);
      }
      expect(a.fileno()).not.toBe(b.fileno());
      await a.sendall(Buffer.from('a to b'));
      expect((await b.recv(100)).toString()).toBe('a to b');
      b.sendallSync(Buffer.from('b to a'));
      expect(a.recvSync(100).toString()).toBe('b to a');
    } finally {
      closeAll(a, b);
    }
  });

  it('family null means AF_UNIX', () => {
    const [a, b] = socketpair(null, SOCK_STREAM, 0);
    using _a = a;
    using _b = b;
    expect(a.family).toBe(AF_UNIX);
  });

  it('SOCK_DGRAM and SOCK_SEQPACKET keep message boundaries (PAIR-04)', async () => {
    for (const type of [SOCK_DGRAM, SOCK_SEQPACKET]) {
      const [a, b] = socketpair(AF_UNIX, type);
      try {
        expect([a.type, b.type]).toEqual([type, type]);
        await a.send(Buffer.from('one'));
        await a.send(Buffer.from('two'));
        expect((await b.recv(100)).toString()).toBe('one');
        expect((await b.recv(100)).toString()).toBe('two');
      } finally {
        closeAll(a, b);
      }
    }
  });

  it('SOCK_NONBLOCK gives non-blocking ends with .type stripped (PAIR-04)', () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC);
    using _a = a;
    using _b = b;
    expect([a.type, b.type]).toEqual([SOCK_STREAM, SOCK_STREAM]);
    expect([a.gettimeout(), b.gettimeout()]).toEqual([0, 0]);
  });

  it('AF_INET and AF_INET6 raise OSError EOPNOTSUPP: no emulation (PAIR-05)', () => {
    const before = countOpenFds();
    expectErrno(() => socketpair(AF_INET), EOPNOTSUPP);
    expectErrno(() => socketpair(AF_INET6), EOPNOTSUPP);
    expect(countOpenFds()).toBe(before);
  });

  it('a bad type raises OSError EINVAL; bad argument types raise TypeError (PAIR-04)', () => {
    expectErrno(() => socketpair(AF_UNIX, 99), EINVAL);
    expect(thrown(() => socketpair('x' as never))).toBeInstanceOf(TypeError);
    expect(thrown(() => socketpair(AF_UNIX, 'x' as never))).toBeInstanceOf(TypeError);
    expect(thrown(() => socketpair(AF_UNIX, SOCK_STREAM, 1.5))).toBeInstanceOf(TypeError);
  });

  it('both ends: getsockname and getpeername are "", recvfrom gives a null address (PAIR-07)', () => {
    const [a, b] = socketpair();
    using _a = a;
    using _b = b;
    for (const s of [a, b]) {
      expect(s.getsockname()).toBe('');
      expect(s.getpeername()).toBe('');
    }
    b.sendSync(Buffer.from('hi'));
    const [data, addr] = a.recvfromSync(10);
    expect(data.toString()).toBe('hi');
    expect(addr).toBe(null);
  });

  it('after one end closes: recv gives an empty Buffer, send BrokenPipeError (PAIR-08)', () => {
    const [a, b] = socketpair();
    using _a = a;
    b.close();
    expect(a.recvSync(10).length).toBe(0);
    expectErrno(() => a.sendSync(Buffer.from('x')), 32, core.BrokenPipeError);
  });
});

describe('fromfd (MOD-24)', () => {
  it('dups the fd: a new fd number, and the original stays usable', async () => {
    const [l, c, srv] = await tcpPair();
    try {
      const f = fromfd(srv.fileno(), AF_INET, SOCK_STREAM);
      expect(f.fileno()).not.toBe(srv.fileno());
      expect([f.family, f.type, f.proto]).toEqual([AF_INET, SOCK_STREAM, 0]);
      expect(f.getInheritable()).toBe(false);
      await c.sendall(Buffer.from('via fromfd'));
      expect((await f.recv(100)).toString()).toBe('via fromfd');
      f.close();
      await c.sendall(Buffer.from('original'));
      expect((await srv.recv(100)).toString()).toBe('original');
    } finally {
      closeAll(l, c, srv);
    }
  });

  it('takes family, type and proto as given (as Python, no detection)', () => {
    using s = new Socket(AF_INET, SOCK_DGRAM);
    using f = fromfd(s.fileno(), AF_INET, SOCK_DGRAM, 17);
    expect(f.proto).toBe(17);
    using g = fromfd(s.fileno(), AF_INET, SOCK_DGRAM);
    expect(g.proto).toBe(0);
  });

  it('raises EBADF for a closed fd, RangeError for a negative one, TypeError for a non-integer', () => {
    const s = new Socket();
    const fd = s.fileno();
    s.close();
    expectErrno(() => fromfd(fd, AF_INET, SOCK_STREAM), EBADF);
    expect(thrown(() => fromfd(-1, AF_INET, SOCK_STREAM))).toBeInstanceOf(RangeError);
    expect(thrown(() => fromfd('3' as never, AF_INET, SOCK_STREAM))).toBeInstanceOf(TypeError);
    expect(thrown(() => fromfd(1.5, AF_INET, SOCK_STREAM))).toBeInstanceOf(TypeError);
  });

  it('a non-socket fd raises ENOTSOCK and the dup it made is closed', () => {
    const file = path.join(tmp, 'plain');
    const fd = openSync(file, 'w+');
    try {
      const before = countOpenFds();
      expectErrno(() => fromfd(fd, AF_INET, SOCK_STREAM), ENOTSOCK);
      expect(countOpenFds()).toBe(before);
    } finally {
      closeSync(fd);
    }
  });
});

describe('close(fd) (MOD-22)', () => {
  it('closes a raw fd; the Socket that owned it then raises EBADF', () => {
    const s = new Socket();
    s.bind(['127.0.0.1', 0]);
    const fd = s.fileno();
    close(fd);
    expect(binding.getCloexec(fd)).toBe(-EBADF);
    expectErrno(() => s.listen(1), EBADF);
    expectErrno(() => s.close(), EBADF);
  });

  it('close(fd) of a socket with a pending op rejects that op with EBADF; the fd number is reusable', async () => {
    const [a, b] = socketpair();
    try {
      const p = a.recv(10);
      await new Promise((r) => setTimeout(r, 10));
      const fd = a.fileno();
      close(fd);
      const err = await p.then(() => expect.fail('recv resolved'), (e: unknown) => e);
      expect(err).toBeInstanceOf(core.OSError);
      expect((err as core.OSError).errno).toBe(EBADF);
      // A new socket gets the same number and its Promise ops work.
      const [c, d] = socketpair();
      try {
        expect([c.fileno(), d.fileno()]).toContain(fd);
        const mine = c.fileno() === fd ? c : d;
        const peer = mine === c ? d : c;
        const q = mine.recv(10);
        await new Promise((r) => setTimeout(r, 10));
        peer.sendSync(Buffer.from('reused'));
        expect((await q).toString()).toBe('reused');
      } finally {
        closeAll(c, d);
      }
      expectErrno(() => a.close(), EBADF);
    } finally {
      closeAll(a, b);
    }
  });

  it('raises EBADF for -1 and for a closed fd; TypeError for non-integers', () => {
    expectErrno(() => close(-1), EBADF);
    const s = new Socket();
    const fd = s.fileno();
    s.close();
    expectErrno(() => close(fd), EBADF);
    for (const v of [null, undefined, '3', 1.5, {}, 3n]) {
      expect(thrown(() => close(v as never)), String(v)).toBeInstanceOf(TypeError);
    }
  });

  it('closes the fd of a detached socket', () => {
    const s = new Socket();
    const fd = s.detach();
    close(fd);
    expect(binding.getCloexec(fd)).toBe(-EBADF);
  });
});

describe('dup(fd) (MOD-23)', () => {
  it('returns a new fd for the same socket, not inheritable, owned by the caller', async () => {
    const [a, b] = socketpair();
    const fd = dup(a.fileno());
    try {
      expect(typeof fd).toBe('number');
      expect(fd).not.toBe(a.fileno());
      expect(binding.getCloexec(fd)).toBe(1);
      // The same open socket: a Socket adopting the copy talks to b.
      const c = new Socket(undefined, undefined, undefined, fd);
      try {
        expect(c.family).toBe(a.family);
        c.sendSync(Buffer.from('via dup'));
        expect(b.recvSync(16).toString()).toBe('via dup');
        expect(c.getInheritable()).toBe(false);
      } finally {
        c.close();
      }
      // a is unaffected by closing its copy.
      a.sendSync(Buffer.from('still'));
      expect(b.recvSync(16).toString()).toBe('still');
    } finally {
      closeAll(a, b);
    }
  });

  it('raises EBADF for -1 and a closed fd; TypeError for a non-integer, RangeError beyond a C int', () => {
    expectErrno(() => dup(-1), EBADF);
    const s = new Socket();
    const fd = s.fileno();
    s.close();
    expectErrno(() => dup(fd), EBADF);
    for (const v of [null, undefined, '3', 1.5, {}, 3n]) {
      expect(thrown(() => dup(v as never)), String(v)).toBeInstanceOf(TypeError);
    }
    expect(thrown(() => dup(2 ** 40))).toBeInstanceOf(RangeError);
  });
});

describe('the Socket methods Python has (MOD-29)', () => {
  it('has every socket method of CPython 3.13 on Linux, in camelCase, with Sync twins for those that wait', () => {
    const waits = ['accept', 'connect', 'connectEx', 'recv', 'recvfrom', 'recvfromInto', 'recvInto', 'recvmsg',
      'recvmsgInto', 'send', 'sendall', 'sendto', 'sendmsg', 'sendfile'];
    const plain = ['bind', 'close', 'detach', 'dup', 'fileno', 'getpeername', 'getsockname', 'getsockopt',
      'setsockopt', 'getblocking', 'setblocking', 'gettimeout', 'settimeout', 'getInheritable', 'setInheritable',
      'listen', 'makefile', 'shutdown'];
    const proto = Socket.prototype as unknown as Record<string, unknown>;
    for (const m of [...waits, ...waits.map((w) => `${w}Sync`), ...plain]) {
      expect(typeof proto[m], m).toBe('function');
    }
  });

  it('has no ioctl, share or fromshare: those are Windows-only in Python', () => {
    const proto = Socket.prototype as unknown as Record<string, unknown>;
    for (const m of ['ioctl', 'share']) expect(proto[m], m).toBeUndefined();
    expect((core as Record<string, unknown>).fromshare).toBeUndefined();
  });
});

describe('getdefaulttimeout / setdefaulttimeout (MOD-20, MOD-21)', () => {
  it('round-trips numbers and null', () => {
    expect(getdefaulttimeout()).toBe(null);
    setdefaulttimeout(10);
    expect(getdefaulttimeout()).toBe(10);
    setdefaulttimeout(0.25);
    expect(getdefaulttimeout()).toBe(0.25);
    setdefaulttimeout(0);
    expect(getdefaulttimeout()).toBe(0);
    setdefaulttimeout(null);
    expect(getdefaulttimeout()).toBe(null);
  });

  it('rejects bad values with Python\'s errors and messages, keeping the old value', () => {
    setdefaulttimeout(3);
    const neg = thrown(() => setdefaulttimeout(-1));
    expect(neg).toBeInstanceOf(RangeError);
    expect((neg as Error).message).toBe('Timeout value out of range');
    expect(thrown(() => setdefaulttimeout('spam' as never))).toBeInstanceOf(TypeError);
    const nan = thrown(() => setdefaulttimeout(NaN));
    expect(nan).toBeInstanceOf(RangeError);
    expect((nan as Error).message).toBe('Invalid value NaN (not a number)');
    expect(thrown(() => setdefaulttimeout(Infinity))).toBeInstanceOf(RangeError);
    expect(getdefaulttimeout()).toBe(3);
  });
});

describe('the enum objects (MOD-10, MOD-13)', () => {
  /** CPython 3.13.0 on Linux: `{m.name: m.value for m in socket.AddressFamily}` (canonical members). */
  const PY_AF: Record<string, number> = {
    AF_UNSPEC: 0, AF_UNIX: 1, AF_INET: 2, AF_AX25: 3, AF_IPX: 4, AF_APPLETALK: 5, AF_NETROM: 6, AF_BRIDGE: 7,
    AF_ATMPVC: 8, AF_X25: 9, AF_INET6: 10, AF_ROSE: 11, AF_NETBEUI: 13, AF_SECURITY: 14, AF_KEY: 15,
    AF_NETLINK: 16, AF_PACKET: 17, AF_ASH: 18, AF_ECONET: 19, AF_ATMSVC: 20, AF_RDS: 21, AF_SNA: 22,
    AF_IRDA: 23, AF_PPPOX: 24, AF_WANPIPE: 25, AF_LLC: 26, AF_CAN: 29, AF_TIPC: 30, AF_ALG: 38, AF_VSOCK: 40,
    AF_QIPCRTR: 42,
  };
  /** Aliases (`AddressFamily.__members__` beyond the canonical names). */
  const PY_AF_ALIASES: Record<string, number> = { AF_ROUTE: 16 };
  /**
   * Members bsdsock has that this CPython build lacks: the python3 used here
   * was built without <bluetooth/bluetooth.h>, so it has no AF_BLUETOOTH.
   */
  const BUILD_EXTRAS = new Set(['AF_BLUETOOTH']);

  const PY_KIND: Record<string, number> = {
    SOCK_STREAM: 1, SOCK_DGRAM: 2, SOCK_RAW: 3, SOCK_RDM: 4, SOCK_SEQPACKET: 5, SOCK_NONBLOCK: 2048,
    SOCK_CLOEXEC: 524288,
  };
  const PY_MSG: Record<string, number> = {
    MSG_OOB: 1, MSG_PEEK: 2, MSG_DONTROUTE: 4, MSG_CTRUNC: 8, MSG_TRUNC: 32, MSG_DONTWAIT: 64, MSG_EOR: 128,
    MSG_WAITALL: 256, MSG_CONFIRM: 2048, MSG_ERRQUEUE: 8192, MSG_NOSIGNAL: 16384, MSG_MORE: 32768,
    MSG_FASTOPEN: 536870912, MSG_CMSG_CLOEXEC: 1073741824,
  };

  function names(e: Readonly<Record<string | number, string | number>>): Record<string, number> {
    return Object.fromEntries(Object.entries(e).filter(([k, v]) => /^[A-Z]/.test(k) && typeof v === 'number')) as
      Record<string, number>;
  }

  it('AddressFamily maps names to numbers like CPython\'s, AF_INET included', () => {
    const got = names(AddressFamily as never);
    for (const [k, v] of Object.entries({ ...PY_AF, ...PY_AF_ALIASES })) expect(got[k], k).toBe(v);
    const extra = Object.keys(got).filter((k) => !(k in PY_AF) && !(k in PY_AF_ALIASES) && !BUILD_EXTRAS.has(k));
    expect(extra).toEqual([]);
    expect(AddressFamily.AF_INET).toBe(AF_INET);
    expect(AddressFamily.AF_INET6).toBe(AF_INET6);
    expect(AddressFamily.AF_UNIX).toBe(AF_UNIX);
  });

  it('AddressFamily maps numbers back to the canonical name', () => {
    const back = AddressFamily as unknown as Record<number, string>;
    for (const [k, v] of Object.entries(PY_AF)) expect(back[v], String(v)).toBe(k);
    expect(back[16]).toBe('AF_NETLINK');
    expect(back[AF_INET]).toBe('AF_INET');
    expect(back[9999]).toBe(undefined);
  });

  it('SocketKind and MsgFlag are exactly CPython\'s, both ways', () => {
    expect(names(SocketKind as never)).toEqual(PY_KIND);
    expect(names(MsgFlag as never)).toEqual(PY_MSG);
    for (const [k, v] of Object.entries(PY_KIND)) expect((SocketKind as unknown as Record<number, string>)[v]).toBe(k);
    for (const [k, v] of Object.entries(PY_MSG)) expect((MsgFlag as unknown as Record<number, string>)[v]).toBe(k);
    expect(SocketKind.SOCK_STREAM).toBe(SOCK_STREAM);
  });

  it('the enum objects are frozen; family/type/proto stay plain numbers', () => {
    expect(Object.isFrozen(AddressFamily)).toBe(true);
    expect(Object.isFrozen(SocketKind)).toBe(true);
    expect(Object.isFrozen(MsgFlag)).toBe(true);
    using s = new Socket();
    expect(typeof s.family).toBe('number');
    expect(typeof s.type).toBe('number');
  });
});

describe('constants (MOD-04..MOD-07)', () => {
  it('have CPython\'s values on Linux x86-64', () => {
    const c = core as unknown as Record<string, number>;
    const want: Record<string, number> = {
      AF_UNSPEC: 0, AF_NETLINK: 16, AF_ROUTE: 16, AF_RDS: 21, AF_QIPCRTR: 42,
      SOCK_STREAM: 1, SOCK_DGRAM: 2, SOCK_RAW: 3, SOCK_RDM: 4, SOCK_SEQPACKET: 5, SOCK_NONBLOCK: 2048,
      SOCK_CLOEXEC: 524288, MSG_OOB: 1, MSG_PEEK: 2, MSG_DONTROUTE: 4, MSG_CTRUNC: 8, MSG_TRUNC: 0x20,
      MSG_DONTWAIT: 0x40, MSG_EOR: 0x80, MSG_WAITALL: 0x100, MSG_CONFIRM: 0x800, MSG_ERRQUEUE: 0x2000,
      MSG_NOSIGNAL: 0x4000, MSG_MORE: 0x8000, MSG_FASTOPEN: 0x20000000, MSG_CMSG_CLOEXEC: 0x40000000,
      SOL_SOCKET: 1, SO_REUSEADDR: 2, SO_TYPE: 3, SO_ERROR: 4, SO_BROADCAST: 6, SO_SNDBUF: 7, SO_RCVBUF: 8,
      SO_KEEPALIVE: 9, SO_LINGER: 13, SO_REUSEPORT: 15, SO_PASSCRED: 16, SO_PEERCRED: 17, SO_RCVTIMEO: 20,
      SO_SNDTIMEO: 21, SO_BINDTODEVICE: 25, SO_PROTOCOL: 38, SO_DOMAIN: 39, SCM_RIGHTS: 1, SHUT_RD: 0,
      SHUT_WR: 1, SHUT_RDWR: 2,
    };
    for (const [k, v] of Object.entries(want)) expect(c[k], k).toBe(v);
    expect([128, 4096]).toContain(c.SOMAXCONN);
    expect(SOCK_RAW + SOCK_RDM).toBe(7);
  });

  it('names the platform lacks are really absent', () => {
    for (const name of ['AF_HYPERV', 'SO_EXCLUSIVEADDRUSE', 'SIO_RCVALL', 'AF_LINK', 'AF_SYSTEM', 'SO_USELOOPBACK',
      'MSG_NOTIFICATION', 'MSG_BCAST', 'MSG_MCAST', 'SO_SETFIB', 'LOCAL_PEERCRED', 'MSG_EOF', 'SCM_CREDS',
      'SO_REUSEPORT_LB']) {
      expect(name in core, name).toBe(false);
    }
  });

  it('the family constants live in their packages, not in core', () => {
    for (const name of ['AF_INET', 'AF_INET6', 'AF_UNIX']) expect(name in core, name).toBe(false);
  });

  describe.skipIf(!hasPython())(needsPython('compared with python3 at run time'), () => {
    /**
     * Constants bsdsock core exports that this CPython build lacks: the RDS
     * options come from <linux/rds.h>, which the python3 used here was built without.
     */
    const BUILD_EXTRAS = /^RDS_/;
    /** Python's constants that belong to a family package, not to core. */
    const FAMILY_OWNED = new Set(['AF_INET', 'AF_INET6', 'AF_UNIX', 'AF_CAN', 'AF_PACKET', 'AF_ALG', 'AF_VSOCK',
      'AF_TIPC', 'AF_BLUETOOTH', 'PF_CAN', 'PF_PACKET']);

    const r = runPythonSync(`
import json, socket
print(json.dumps({n: getattr(socket, n) for n in dir(socket)
                  if n[:1].isupper() and type(getattr(socket, n)) in (int, socket.AddressFamily, socket.SocketKind, socket.MsgFlag)}))
`);
    const py = r.code === 0 ? (JSON.parse(r.stdout) as Record<string, number>) : {};

    it('every constant core exports has CPython\'s value', () => {
      expect(r.code, r.stderr).toBe(0);
      const wrong: string[] = [];
      for (const [k, v] of Object.entries(core)) {
        if (typeof v !== 'number' || !/^[A-Z][A-Za-z0-9_]*$/.test(k)) continue;
        if (!(k in py)) {
          if (!BUILD_EXTRAS.test(k)) wrong.push(`${k}: CPython has no such constant`);
        } else if (py[k] !== v) {
          wrong.push(`${k}: ${v}, CPython ${py[k]}`);
        }
      }
      expect(wrong).toEqual([]);
    });

    it('every generic CPython constant is in core (SOCK_*, SO_*, MSG_*, SHUT_*, SOL_SOCKET, SCM_RIGHTS, SOMAXCONN, AF_*)', () => {
      const generic = /^(SOCK_|SO_(?!VM_|J1939_)|MSG_|SHUT_|SOL_SOCKET$|SCM_RIGHTS$|SOMAXCONN$|AF_)/;
      const missing = Object.keys(py).filter((k) => generic.test(k) && !FAMILY_OWNED.has(k) && !(k in core));
      expect(missing).toEqual([]);
    });
  });
});
