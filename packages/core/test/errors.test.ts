/**
 * The error classes: Python's PEP 3151 hierarchy, errno → class exactly as
 * CPython picks it, and the fields (`errno`, `strerror`, `args`, `message`,
 * `code`, `syscall`) of errors from real syscalls.
 *
 * CPython checklist items: MOD-01, ERR-01..ERR-05, PAIR-08.
 */
import { describe, expect, it } from 'vitest';
import * as core from '@bsdsock/core';
import {
  BlockingIOError, BrokenPipeError, ChildProcessError, ConnectionAbortedError, ConnectionError,
  ConnectionRefusedError, ConnectionResetError, FileExistsError, FileNotFoundError, InterruptedError,
  IsADirectoryError, NotADirectoryError, OSError, PermissionError, ProcessLookupError, SOCK_DGRAM, SOCK_STREAM,
  Socket, TimeoutError, error, gaierror, herror, socketpair, timeout,
} from '@bsdsock/core';
import { errorClassFor, fromErrno, strerror } from '@bsdsock/core/internal';
import { AF_INET } from '@bsdsock/inet';
import { hasPython, needsPython, runPythonSync } from '@bsdsock/test-utils';
import { guardFds } from './fixtures/fd-guard.js';
import { closeAll, expectErrno, expectRejectErrno, tcpListener } from './fixtures/object-helpers.js';

/**
 * CPython 3.13.0 on Linux x86-64: `type(OSError(e, 'x')).__name__` for every
 * errno 1..133 that is not plain OSError (generated once with
 * `python3 -c 'import errno; ...'`; the last test re-checks it against python3).
 */
const PYTHON_CLASS: Record<number, string> = {
  1: 'PermissionError',
  2: 'FileNotFoundError',
  3: 'ProcessLookupError',
  4: 'InterruptedError',
  10: 'ChildProcessError',
  11: 'BlockingIOError',
  13: 'PermissionError',
  17: 'FileExistsError',
  20: 'NotADirectoryError',
  21: 'IsADirectoryError',
  32: 'BrokenPipeError',
  103: 'ConnectionAbortedError',
  104: 'ConnectionResetError',
  108: 'BrokenPipeError',
  110: 'TimeoutError',
  111: 'ConnectionRefusedError',
  114: 'BlockingIOError',
  115: 'BlockingIOError',
};

const CLASSES: Record<string, Function> = {
  OSError, BlockingIOError, BrokenPipeError, ChildProcessError, ConnectionAbortedError, ConnectionError,
  ConnectionRefusedError, ConnectionResetError, FileExistsError, FileNotFoundError, InterruptedError,
  IsADirectoryError, NotADirectoryError, PermissionError, ProcessLookupError, TimeoutError,
};

/** The errno names bsdsock must give as `code` for the errnos sockets meet (Node's spelling). */
const SOCKET_CODES: Record<number, string[]> = {
  1: ['EPERM'], 4: ['EINTR'], 9: ['EBADF'], 11: ['EAGAIN'], 13: ['EACCES'], 14: ['EFAULT'], 22: ['EINVAL'],
  24: ['EMFILE'], 32: ['EPIPE'], 71: ['EPROTO'], 88: ['ENOTSOCK'], 89: ['EDESTADDRREQ'], 90: ['EMSGSIZE'],
  91: ['EPROTOTYPE'], 92: ['ENOPROTOOPT'], 93: ['EPROTONOSUPPORT'], 94: ['ESOCKTNOSUPPORT'],
  95: ['EOPNOTSUPP', 'ENOTSUP'], 96: ['EPFNOSUPPORT'], 97: ['EAFNOSUPPORT'], 98: ['EADDRINUSE'],
  99: ['EADDRNOTAVAIL'], 100: ['ENETDOWN'], 101: ['ENETUNREACH'], 102: ['ENETRESET'], 103: ['ECONNABORTED'],
  104: ['ECONNRESET'], 105: ['ENOBUFS'], 106: ['EISCONN'], 107: ['ENOTCONN'], 108: ['ESHUTDOWN'],
  109: ['ETOOMANYREFS'], 110: ['ETIMEDOUT'], 111: ['ECONNREFUSED'], 112: ['EHOSTDOWN'], 113: ['EHOSTUNREACH'],
  114: ['EALREADY'], 115: ['EINPROGRESS'],
};

guardFds();

describe('the hierarchy (MOD-01)', () => {
  it('error is OSError and timeout is TimeoutError', () => {
    expect(error).toBe(OSError);
    expect(timeout).toBe(TimeoutError);
    expect(core.error).toBe(core.OSError);
  });

  it('every class extends OSError, which extends Error', () => {
    expect(new OSError(1)).toBeInstanceOf(Error);
    for (const [name, cls] of Object.entries(CLASSES)) {
      expect(cls.prototype instanceof OSError || cls === OSError, name).toBe(true);
    }
    for (const cls of [herror, gaierror]) expect(cls.prototype).toBeInstanceOf(OSError);
  });

  it('the connection errors extend ConnectionError', () => {
    for (const cls of [BrokenPipeError, ConnectionAbortedError, ConnectionRefusedError, ConnectionResetError]) {
      expect(Object.getPrototypeOf(cls)).toBe(ConnectionError);
    }
    expect(Object.getPrototypeOf(ConnectionError)).toBe(OSError);
    for (const cls of [BlockingIOError, ChildProcessError, FileExistsError, FileNotFoundError, InterruptedError,
      IsADirectoryError, NotADirectoryError, PermissionError, ProcessLookupError, TimeoutError, herror, gaierror]) {
      expect(Object.getPrototypeOf(cls), cls.name).toBe(OSError);
    }
  });

  it('each error\'s name is its class name', () => {
    for (const [name, cls] of Object.entries(CLASSES)) {
      const e = new (cls as new (n: number) => OSError)(5);
      expect(e.name).toBe(name);
      expect(String(e)).toBe(`${name}: [Errno 5] Input/output error`);
      expect(e.stack).toContain(name);
    }
    expect(new gaierror(-2).name).toBe('gaierror');
    expect(new herror(1, 'Unknown host').name).toBe('herror');
  });
});

describe('errno → class, exactly as CPython (ERR-01, ERR-02)', () => {
  it('maps every errno 1..133 to CPython\'s class', () => {
    const wrong: string[] = [];
    for (let e = 1; e <= 133; e++) {
      const want = PYTHON_CLASS[e] ?? 'OSError';
      const got = errorClassFor(e).name;
      const made = fromErrno(e, 'test');
      if (got !== want || made.constructor.name !== want || made.errno !== e) {
        wrong.push(`${e}: want ${want}, got ${got}/${made.constructor.name}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the socket errnos of ERR-01 and ERR-02 by name', () => {
    const cases: [number, Function][] = [
      [11, BlockingIOError], [115, BlockingIOError], [114, BlockingIOError], [32, BrokenPipeError],
      [108, BrokenPipeError], [111, ConnectionRefusedError], [104, ConnectionResetError],
      [103, ConnectionAbortedError], [2, FileNotFoundError], [13, PermissionError], [1, PermissionError],
      [4, InterruptedError], [110, TimeoutError],
      [98, OSError], [99, OSError], [107, OSError], [106, OSError], [22, OSError], [9, OSError], [88, OSError],
      [90, OSError], [89, OSError], [97, OSError], [95, OSError], [92, OSError], [19, OSError],
    ];
    for (const [e, cls] of cases) expect(fromErrno(e).constructor, String(e)).toBe(cls);
  });

  it('message, args and strerror follow Python: "[Errno 111] Connection refused" (ERR-03)', () => {
    const e = fromErrno(111, 'connect');
    expect(e.message).toBe('[Errno 111] Connection refused');
    expect(e.args).toEqual([111, 'Connection refused']);
    expect(e.errno).toBe(111);
    expect(e.strerror).toBe('Connection refused');
    expect(e.code).toBe('ECONNREFUSED');
    expect(e.syscall).toBe('connect');
    expect(strerror(111)).toBe('Connection refused');
  });

  it('code names every errno a socket can meet (the POSIX name; Node\'s spelling where Node has one)', () => {
    const wrong: string[] = [];
    for (const [e, names] of Object.entries(SOCKET_CODES)) {
      const code = fromErrno(Number(e)).code;
      if (code === undefined || !names.includes(code)) wrong.push(`${e}: want ${names.join('|')}, got ${code}`);
    }
    expect(wrong).toEqual([]);
  });

  it('an OSError with only a message has errno, strerror and code null/undefined (ERR-04)', () => {
    const e = new OSError('only a message');
    expect(e.errno).toBe(null);
    expect(e.strerror).toBe(null);
    expect(e.code).toBe(undefined);
    expect(e.args).toEqual(['only a message']);
    expect(e.message).toBe('only a message');
    expect(e.syscall).toBe(undefined);
  });

  it('new OSError(errno) / new X(errno, strerror, syscall) build the Python fields', () => {
    const e = new OSError(98);
    expect(e.message).toBe('[Errno 98] Address already in use');
    expect(e.code).toBe('EADDRINUSE');
    const f = new ConnectionResetError(104, 'custom text', 'recv');
    expect(f.message).toBe('[Errno 104] custom text');
    expect(f.args).toEqual([104, 'custom text']);
    expect(f.syscall).toBe('recv');
  });

  it('a socket timeout is TimeoutError("timed out") without errno; a kernel ETIMEDOUT has errno 110 (ERR-05)', async () => {
    const [a, b] = socketpair();
    try {
      a.settimeout(0.02);
      const t = await expectRejectErrno(a.recv(1), null, TimeoutError);
      expect(t.message).toBe('timed out');
      expect(t.args).toEqual(['timed out']);
      expect(t.code).toBe(undefined);
      const k = fromErrno(110);
      expect(k).toBeInstanceOf(TimeoutError);
      expect(k.message).toBe('[Errno 110] Connection timed out');
    } finally {
      closeAll(a, b);
    }
  });

  it('gaierror and herror carry their own numbers (ERR-06)', () => {
    const g = new gaierror(-2);
    expect(g).toBeInstanceOf(OSError);
    expect(g.errno).toBe(-2);
    expect(g.message).toBe('[Errno -2] Name or service not known');
    expect(g.code).toBe('EAI_NONAME');
    const g2 = new gaierror('a message');
    expect(g2.errno).toBe(null);
    const h = new herror(1, 'Unknown host');
    expect(h).toBeInstanceOf(OSError);
    expect(h.message).toBe('[Errno 1] Unknown host');
    expect(h.args).toEqual([1, 'Unknown host']);
  });
});

describe('errors from real syscalls', () => {
  /** A loopback port with nothing listening. */
  function closedPort(): [string, number] {
    const l = tcpListener();
    const addr = l.getsockname() as [string, number];
    l.close();
    return addr;
  }

  it('connect to a closed port: ConnectionRefusedError with every field (Promise form)', async () => {
    using c = new Socket(AF_INET, SOCK_STREAM);
    const e = await expectRejectErrno(c.connect(closedPort()), 111, ConnectionRefusedError);
    expect(e).toBeInstanceOf(ConnectionError);
    expect(e.message).toBe('[Errno 111] Connection refused');
    expect(e.args).toEqual([111, 'Connection refused']);
    expect(e.strerror).toBe('Connection refused');
    expect(e.code).toBe('ECONNREFUSED');
    expect(e.syscall).toBe('connect');
    expect(e.name).toBe('ConnectionRefusedError');
  });

  it('connect to a closed port: the Sync form and connectEx agree', async () => {
    using c = new Socket(AF_INET, SOCK_STREAM);
    const e = expectErrno(() => c.connectSync(closedPort()), 111, ConnectionRefusedError);
    expect(e.syscall).toBe('connect');
    using d = new Socket(AF_INET, SOCK_STREAM);
    expect(d.connectExSync(closedPort())).toBe(111);
    using f = new Socket(AF_INET, SOCK_STREAM);
    expect(await f.connectEx(closedPort())).toBe(111);
  });

  it('bind to a port in use: plain OSError EADDRINUSE with syscall "bind"', () => {
    const l = tcpListener();
    using s = new Socket(AF_INET, SOCK_STREAM);
    try {
      const e = expectErrno(() => s.bind(l.getsockname()), 98);
      expect(e.constructor).toBe(OSError);
      expect(e.code).toBe('EADDRINUSE');
      expect(e.syscall).toBe('bind');
      expect(e.message).toBe('[Errno 98] Address already in use');
    } finally {
      l.close();
    }
  });

  it('send after the peer closed: BrokenPipeError EPIPE; recv gives an empty Buffer (PAIR-08)', async () => {
    const [a, b] = socketpair();
    try {
      b.close();
      expect((await a.recv(10)).length).toBe(0);
      expect(a.recvSync(10).length).toBe(0);
      const e = expectErrno(() => a.sendSync(Buffer.from('x')), 32, BrokenPipeError);
      expect(e.code).toBe('EPIPE');
      expect(e.syscall).toBe('send');
      await expectRejectErrno(a.send(Buffer.from('x')), 32, BrokenPipeError);
      await expectRejectErrno(a.sendall(Buffer.from('x')), 32, BrokenPipeError);
    } finally {
      closeAll(a, b);
    }
  });

  it('a datagram to a port nobody listens on: ConnectionRefusedError on the next recv', async () => {
    using s = new Socket(AF_INET, SOCK_DGRAM);
    const target = new Socket(AF_INET, SOCK_DGRAM);
    target.bind(['127.0.0.1', 0]);
    const addr = target.getsockname();
    target.close();
    await s.connect(addr);
    await s.send(Buffer.from('x'));
    s.settimeout(1);
    await expectRejectErrno(s.recv(10), 111, ConnectionRefusedError);
  });

  it('getpeername unconnected: OSError ENOTCONN; shutdown on a closed socket: EBADF', () => {
    const s = new Socket();
    const e = expectErrno(() => s.getpeername(), 107);
    expect(e.constructor).toBe(OSError);
    expect(e.code).toBe('ENOTCONN');
    expect(e.syscall).toBe('getpeername');
    s.close();
    const f = expectErrno(() => s.shutdown(2), 9);
    expect(f.code).toBe('EBADF');
  });

  it('a non-blocking recv with nothing to read: BlockingIOError with args (11, ...) (TMO-13)', () => {
    const [a, b] = socketpair();
    try {
      a.setblocking(false);
      const e = expectErrno(() => a.recvSync(1), 11, BlockingIOError);
      expect(e.args).toEqual([11, 'Resource temporarily unavailable']);
      expect(e.code).toBe('EAGAIN');
      expect(e.syscall).toBe('recv');
    } finally {
      closeAll(a, b);
    }
  });

  it('errors keep a stack trace that points at the caller', () => {
    using s = new Socket();
    let e: unknown;
    try {
      s.getpeername();
    } catch (err) {
      e = err;
    }
    expect((e as Error).stack).toContain('errors.test.ts');
  });
});

describe.skipIf(!hasPython())(needsPython('compared with python3 at run time'), () => {
  it('class, message and args of every errno 1..133 match CPython', () => {
    const r = runPythonSync(`
import json, os
rows = []
for e in range(1, 134):
    err = OSError(e, os.strerror(e))
    rows.append([e, type(err).__name__, str(err), list(err.args)])
print(json.dumps(rows))
`);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as [number, string, string, unknown[]][];
    const wrong: string[] = [];
    for (const [e, cls, msg, args] of rows) {
      expect(PYTHON_CLASS[e] ?? 'OSError').toBe(cls);
      const made = fromErrno(e);
      if (made.constructor.name !== cls) wrong.push(`${e}: class ${made.constructor.name} != ${cls}`);
      if (made.message !== msg) wrong.push(`${e}: message ${made.message} != ${msg}`);
      if (JSON.stringify(made.args) !== JSON.stringify(args)) wrong.push(`${e}: args differ`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('new OSError(errno) picks the subclass, as Python does', () => {
  it('OSError(111) is a ConnectionRefusedError; OSError(98) stays OSError; a message stays OSError', async () => {
    const core = await import('@bsdsock/core');
    const e = new core.OSError(111, undefined, 'connect');
    expect(e).toBeInstanceOf(core.ConnectionRefusedError);
    expect(e.errno).toBe(111);
    expect(e.syscall).toBe('connect');
    expect(e.message).toBe('[Errno 111] Connection refused');
    expect(new core.OSError(1)).toBeInstanceOf(core.PermissionError);
    expect(new core.OSError(98).constructor).toBe(core.OSError);
    expect(new core.OSError('only a message').errno).toBeNull();
    // A subclass constructed directly keeps its class.
    expect(new core.BlockingIOError(111).constructor).toBe(core.BlockingIOError);
  });
});
