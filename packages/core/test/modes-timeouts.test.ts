/**
 * The three modes (blocking, non-blocking, timeout): gettimeout/getblocking
 * bookkeeping, the default timeout, how new, paired and accepted sockets
 * pick their mode, and what each Sync form does when it would wait, in
 * each mode.
 *
 * CPython checklist items: TMO-01..TMO-07, TMO-09..TMO-19, TMO-25, TMO-26,
 * MOD-20, PAIR-04, PAIR-06. TMO-08 (the fd's O_NONBLOCK flag following the
 * mode) intentionally differs: bsdsock keeps every fd O_NONBLOCK. TMO-20..24
 * (exceptions raised by signal handlers) cannot happen in Node.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BlockingIOError, MSG_DONTWAIT, OSError, SOCK_DGRAM, SOCK_NONBLOCK, SOCK_STREAM, SOL_SOCKET, SO_RCVTIMEO,
  SO_SNDTIMEO, Socket, TimeoutError, fromfd, getdefaulttimeout, setdefaulttimeout, socketpair,
} from '@bsdsock/core';
import { AF_INET } from '@bsdsock/inet';
import { AF_UNIX } from '@bsdsock/unix';
import { guardFds } from './fixtures/fd-guard.js';
import {
  closeAll, delayedWriterCode, fillSendBuffer, withSaturatedListener, slowDrainerCode, smallSendBuffer, spawnWithFd,
  tcpListener, thrown, timed, timedAsync, timeval,
} from './fixtures/object-helpers.js';

const EAGAIN = 11;
const EINPROGRESS = 115;

/** The timeout the waiting tests use, in seconds. */
const T = 0.2;

guardFds();

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'bsdsock-tmo-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});
afterEach(() => {
  setdefaulttimeout(null);
});

describe('gettimeout / getblocking bookkeeping', () => {
  it('a new socket is blocking: timeout null, getblocking() true (TMO-01)', () => {
    using s = new Socket();
    expect(s.gettimeout()).toBe(null);
    expect(s.getblocking()).toBe(true);
  });

  it('settimeout stores seconds; integers come back as the same number (TMO-02)', () => {
    using s = new Socket();
    s.settimeout(7.345);
    expect(s.gettimeout()).toBe(7.345);
    s.settimeout(3);
    expect(s.gettimeout()).toBe(3);
    s.settimeout(0.05);
    expect(s.gettimeout()).toBe(0.05);
    s.settimeout(null);
    expect(s.gettimeout()).toBe(null);
  });

  it('accepts 0, null and booleans (true is 1 s, false is 0) (TMO-03)', () => {
    using s = new Socket();
    s.settimeout(0);
    expect(s.gettimeout()).toBe(0);
    s.settimeout(true as never);
    expect(s.gettimeout()).toBe(1);
    s.settimeout(false as never);
    expect(s.gettimeout()).toBe(0);
    expect(s.getblocking()).toBe(false);
  });

  it('rejects non-numbers with TypeError (TMO-03)', () => {
    using s = new Socket();
    s.settimeout(4);
    for (const v of ['', '1', [], {}, Buffer.from('1'), 1n, undefined, () => 1]) {
      expect(thrown(() => s.settimeout(v as never)), String(v)).toBeInstanceOf(TypeError);
    }
    expect(s.gettimeout()).toBe(4);
  });

  it('rejects negative, NaN, infinite and too large values with RangeError and Python\'s messages (TMO-04)', () => {
    using s = new Socket();
    for (const v of [-1, -1.0, -1e-10, -Infinity]) {
      const err = thrown(() => s.settimeout(v));
      expect(err, String(v)).toBeInstanceOf(RangeError);
      expect((err as Error).message).toBe('Timeout value out of range');
    }
    const nan = thrown(() => s.settimeout(NaN));
    expect(nan).toBeInstanceOf(RangeError);
    expect((nan as Error).message).toBe('Invalid value NaN (not a number)');
    for (const v of [Infinity, 2 ** 63, 1e300]) {
      expect(thrown(() => s.settimeout(v)), String(v)).toBeInstanceOf(RangeError);
    }
    expect(s.gettimeout()).toBe(null);
  });

  it('-0 is a timeout of 0 (not -0) (TMO-04)', () => {
    using s = new Socket();
    s.settimeout(-0);
    expect(Object.is(s.gettimeout(), 0)).toBe(true);
    expect(s.getblocking()).toBe(false);
  });

  it('rounds up to whole nanoseconds: 1e-10 becomes 1e-9 (TMO-05)', () => {
    using s = new Socket();
    s.settimeout(1e-10);
    expect(s.gettimeout()).toBe(1e-9);
    expect(s.getblocking()).toBe(true);
  });

  it('settimeout and setblocking override each other (TMO-06)', () => {
    using s = new Socket();
    s.settimeout(10);
    s.setblocking(true);
    expect(s.gettimeout()).toBe(null);
    s.setblocking(false);
    expect(s.gettimeout()).toBe(0);
    s.settimeout(1);
    expect(s.gettimeout()).toBe(1);
    s.setblocking(true);
    s.settimeout(1);
    expect(s.gettimeout()).toBe(1);
  });

  it('setblocking looks only at truthiness (TMO-07)', () => {
    using s = new Socket();
    for (const v of [null, undefined, 0, '', false, NaN]) {
      s.setblocking(true);
      s.setblocking(v as never);
      expect(s.gettimeout(), String(v)).toBe(0);
    }
    for (const v of ['x', -1, 2 ** 32, {}, [], true]) {
      s.setblocking(false);
      s.setblocking(v as never);
      expect(s.gettimeout(), String(v)).toBe(null);
    }
  });

  it('getblocking() is true exactly when the timeout is not 0 (TMO-09)', () => {
    using s = new Socket();
    for (const [t, blocking] of [[null, true], [0, false], [0.5, true], [1e-9, true]] as const) {
      s.settimeout(t);
      expect(s.getblocking()).toBe(blocking);
    }
  });
});

describe('the default timeout', () => {
  it('is null at first; new sockets take it; null resets (MOD-20, TMO-11)', () => {
    expect(getdefaulttimeout()).toBe(null);
    setdefaulttimeout(10);
    expect(getdefaulttimeout()).toBe(10);
    using a = new Socket();
    expect(a.gettimeout()).toBe(10);
    setdefaulttimeout(0);
    using b = new Socket();
    expect(b.gettimeout()).toBe(0);
    expect(b.getblocking()).toBe(false);
    setdefaulttimeout(2);
    using c = new Socket();
    expect(c.gettimeout()).toBe(2);
    expect(c.getblocking()).toBe(true);
    setdefaulttimeout(null);
    expect(getdefaulttimeout()).toBe(null);
    using d = new Socket();
    expect(d.gettimeout()).toBe(null);
    // Sockets made before keep their own.
    expect(a.gettimeout()).toBe(10);
  });

  it('SOCK_NONBLOCK wins over the default timeout, and later calls still switch modes (TMO-10)', () => {
    setdefaulttimeout(5);
    using s = new Socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK);
    expect(s.type).toBe(SOCK_STREAM);
    expect(s.gettimeout()).toBe(0);
    expect(s.getblocking()).toBe(false);
    s.setblocking(true);
    expect(s.gettimeout()).toBe(null);
    s.settimeout(2);
    expect(s.gettimeout()).toBe(2);
    s.settimeout(null);
    expect(s.getblocking()).toBe(true);
    s.setblocking(false);
    expect(s.gettimeout()).toBe(0);
  });

  it('both socketpair ends take the default timeout; SOCK_NONBLOCK wins (PAIR-04, PAIR-06)', () => {
    setdefaulttimeout(3);
    const [a, b] = socketpair();
    using _a = a;
    using _b = b;
    expect([a.gettimeout(), b.gettimeout()]).toEqual([3, 3]);
    const [c, d] = socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK);
    using _c = c;
    using _d = d;
    expect([c.gettimeout(), d.gettimeout()]).toEqual([0, 0]);
    expect([c.type, d.type]).toEqual([SOCK_STREAM, SOCK_STREAM]);
  });

  it('fromfd and an adopted fileno take the default timeout', () => {
    using s = new Socket();
    setdefaulttimeout(4);
    using f = fromfd(s.fileno(), AF_INET, SOCK_STREAM);
    expect(f.gettimeout()).toBe(4);
    const t = new Socket();
    using adopted = new Socket(-1, -1, -1, t.detach());
    expect(adopted.gettimeout()).toBe(4);
  });

  it('dup copies the socket\'s own timeout, not the default', () => {
    using s = new Socket();
    s.settimeout(1.5);
    setdefaulttimeout(7);
    using d = s.dup();
    expect(d.gettimeout()).toBe(1.5);
  });
});

describe('accepted sockets take the default timeout, not the listener\'s', () => {
  async function acceptOne(configure: (l: Socket) => void, useSync: boolean): Promise<Socket> {
    const l = tcpListener();
    const c = new Socket();
    try {
      configure(l);
      const connecting = c.connect(l.getsockname());
      let conn: Socket;
      if (useSync) {
        await connecting;
        l.settimeout(l.gettimeout() === 0 ? 0 : 2);
        for (;;) {
          try {
            [conn] = l.acceptSync();
            break;
          } catch (err) {
            if (!(err instanceof BlockingIOError)) throw err;
            await new Promise((r) => setTimeout(r, 5));
          }
        }
      } else {
        [[conn]] = await Promise.all([l.accept(), connecting]);
      }
      return conn;
    } finally {
      closeAll(l, c);
    }
  }

  for (const useSync of [true, false]) {
    const form = useSync ? 'acceptSync' : 'accept';
    it(`${form}: listener with a timeout, default null → a blocking socket (TMO-16)`, async () => {
      using conn = await acceptOne((l) => l.settimeout(5), useSync);
      expect(conn.gettimeout()).toBe(null);
      expect(conn.getblocking()).toBe(true);
    });

    it(`${form}: default 20, listener 10 → the accepted socket has 20 (TMO-17)`, async () => {
      setdefaulttimeout(20);
      using conn = await acceptOne((l) => l.settimeout(10), useSync);
      expect(conn.gettimeout()).toBe(20);
    });

    it(`${form}: non-blocking listener, default null → a blocking socket (TMO-18)`, async () => {
      using conn = await acceptOne((l) => l.setblocking(false), useSync);
      expect(conn.gettimeout()).toBe(null);
    });
  }
});

/** What a waiting Sync form must do in each mode. */
function expectNonBlocking(fn: () => unknown): void {
  const r = timed(fn);
  expect(r.error).toBeInstanceOf(BlockingIOError);
  expect((r.error as OSError).errno).toBe(EAGAIN);
  expect((r.error as OSError).args).toEqual([EAGAIN, 'Resource temporarily unavailable']);
  expect(r.seconds).toBeLessThan(T * 0.8);
}

function expectTimeout(fn: () => unknown, seconds = T): void {
  const r = timed(fn);
  expect(r.error).toBeInstanceOf(TimeoutError);
  const err = r.error as TimeoutError;
  expect(err.errno).toBe(null);
  expect(err.message).toBe('timed out');
  expect(err.args).toEqual(['timed out']);
  expect(r.seconds).toBeGreaterThanOrEqual(seconds * 0.8);
  expect(r.seconds).toBeLessThan(seconds + 2);
}

function expectSoTimeo(fn: () => unknown, errno = EAGAIN, seconds = T): void {
  const r = timed(fn);
  expect(r.error).toBeInstanceOf(BlockingIOError);
  expect((r.error as OSError).errno).toBe(errno);
  expect(r.seconds).toBeGreaterThanOrEqual(seconds * 0.8);
  expect(r.seconds).toBeLessThan(seconds + 2);
}

type Mode = 'non-blocking' | 'timeout' | 'blocking+SO_*TIMEO';
const MODES: Mode[] = ['non-blocking', 'timeout', 'blocking+SO_*TIMEO'];

function setMode(s: Socket, mode: Mode, write: boolean): void {
  if (mode === 'non-blocking') s.setblocking(false);
  else if (mode === 'timeout') s.settimeout(T);
  else {
    s.setblocking(true);
    s.setsockopt(SOL_SOCKET, write ? SO_SNDTIMEO : SO_RCVTIMEO, timeval(T));
  }
}

function expectMode(mode: Mode, fn: () => unknown): void {
  if (mode === 'non-blocking') expectNonBlocking(fn);
  else if (mode === 'timeout') expectTimeout(fn);
  else expectSoTimeo(fn);
}

describe('SO_RCVTIMEO set where this Socket object cannot see it still bounds a blocking Sync recv', () => {
  // A socket bsdsock created reads SO_RCVTIMEO / SO_SNDTIMEO only when the
  // options may have been set: these are the ways they can be set behind
  // its back.
  it('set through a dup() of the socket', () => {
    const [a, b] = socketpair();
    const copy = a.dup();
    try {
      copy.setsockopt(SOL_SOCKET, SO_RCVTIMEO, timeval(T));
      expectSoTimeo(() => a.recvSync(10));
    } finally {
      closeAll(a, b, copy);
    }
  });

  it('set through another Socket on the fd that fileno() gave out', () => {
    const [a, b] = socketpair();
    try {
      const other = new Socket(undefined, undefined, undefined, a.fileno());
      other.setsockopt(SOL_SOCKET, SO_RCVTIMEO, timeval(T));
      other.detach();
      expectSoTimeo(() => a.recvSync(10));
    } finally {
      closeAll(a, b);
    }
  });

  it('inherited by a TCP socket accepted from a listener that has it', () => {
    const srv = new Socket(AF_INET, SOCK_STREAM);
    try {
      srv.bind(['127.0.0.1', 0]);
      srv.listen(1);
      srv.setsockopt(SOL_SOCKET, SO_RCVTIMEO, timeval(T));
      const c = new Socket(AF_INET, SOCK_STREAM);
      try {
        c.connectSync(srv.getsockname());
        const [conn] = srv.acceptSync();
        try {
          // The kernel copied the option (checked first, so that a kernel
          // that did not would fail here instead of blocking for ever).
          expect(conn.getsockopt(SOL_SOCKET, SO_RCVTIMEO, 16)).toEqual(srv.getsockopt(SOL_SOCKET, SO_RCVTIMEO, 16));
          expectSoTimeo(() => conn.recvSync(10));
        } finally {
          conn.close();
        }
      } finally {
        c.close();
      }
    } finally {
      srv.close();
    }
  });
});

describe('Sync forms that would wait, in each mode (TMO-12, TMO-13, TMO-14)', () => {
  const receivers: Record<string, (s: Socket) => unknown> = {
    recvSync: (s) => s.recvSync(10),
    recvIntoSync: (s) => s.recvIntoSync(Buffer.alloc(10)),
    recvfromSync: (s) => s.recvfromSync(10),
    recvfromIntoSync: (s) => s.recvfromIntoSync(Buffer.alloc(10)),
  };

  for (const mode of MODES) {
    for (const [name, call] of Object.entries(receivers)) {
      for (const type of [SOCK_STREAM, SOCK_DGRAM]) {
        it(`${name} on an empty ${type === SOCK_STREAM ? 'stream' : 'datagram'} socketpair, ${mode}`, () => {
          const [a, b] = socketpair(AF_UNIX, type);
          try {
            setMode(a, mode, false);
            expectMode(mode, () => call(a));
            // Nothing was consumed or broken: data sent now arrives.
            b.sendSync(Buffer.from('after'));
            a.setblocking(true);
            a.setsockopt(SOL_SOCKET, SO_RCVTIMEO, timeval(0));
            expect(a.recvSync(10).toString()).toBe('after');
          } finally {
            closeAll(a, b);
          }
        });
      }
    }

    it(`acceptSync with nothing pending, ${mode}`, () => {
      const l = tcpListener();
      try {
        setMode(l, mode, false);
        expectMode(mode, () => l.acceptSync());
      } finally {
        l.close();
      }
    });

    it(`sendSync and sendallSync with a full send buffer, ${mode}`, () => {
      const [a, b] = socketpair();
      try {
        smallSendBuffer(a);
        expect(fillSendBuffer(a)).toBeGreaterThan(0);
        setMode(a, mode, true);
        expectMode(mode, () => a.sendSync(Buffer.alloc(4096)));
        expectMode(mode, () => a.sendallSync(Buffer.alloc(4096)));
      } finally {
        closeAll(a, b);
      }
    });

    it(`sendtoSync to a full AF_UNIX datagram receiver, ${mode}`, () => {
      const where = path.join(tmp, `dgram-${mode.replace(/\W/g, '')}`);
      const r = new Socket(AF_UNIX, SOCK_DGRAM);
      const s = new Socket(AF_UNIX, SOCK_DGRAM);
      try {
        r.bind(where);
        s.connectSync(where);
        s.setblocking(false);
        let queued = 0;
        for (; queued < 10_000; queued++) {
          try {
            s.sendtoSync(Buffer.from('x'), where);
          } catch (err) {
            if (err instanceof BlockingIOError) break;
            throw err;
          }
        }
        expect(queued).toBeGreaterThan(0);
        setMode(s, mode, true);
        expectMode(mode, () => s.sendtoSync(Buffer.from('y'), where));
        expectMode(mode, () => s.sendtoSync(Buffer.from('y'), 0, where));
      } finally {
        closeAll(r, s);
      }
    });
  }

  it('a timeout error is TimeoutError("timed out") with errno null, an OSError (TMO-12, ERR-05)', () => {
    const [a, b] = socketpair();
    try {
      a.settimeout(0.05);
      const err = thrown(() => a.recvSync(1)) as TimeoutError;
      expect(err).toBeInstanceOf(TimeoutError);
      expect(err).toBeInstanceOf(OSError);
      expect(err.name).toBe('TimeoutError');
      expect(err.errno).toBe(null);
      expect(err.strerror).toBe(null);
      expect(err.message).toBe('timed out');
    } finally {
      closeAll(a, b);
    }
  });

  it('non-blocking mode never gives TimeoutError, and returns at once (TMO-13)', () => {
    const [a, b] = socketpair();
    try {
      a.setblocking(false);
      for (let i = 0; i < 50; i++) expectNonBlocking(() => a.recvSync(1));
    } finally {
      closeAll(a, b);
    }
  });

  it('MSG_DONTWAIT makes a blocking-mode recvSync raise BlockingIOError at once', () => {
    const [a, b] = socketpair();
    try {
      // Python: the blocking recv(2) with MSG_DONTWAIT returns EAGAIN at once,
      // whatever SO_RCVTIMEO says.
      a.setsockopt(SOL_SOCKET, SO_RCVTIMEO, timeval(1));
      const r = timed(() => a.recvSync(10, MSG_DONTWAIT));
      expect(r.error).toBeInstanceOf(BlockingIOError);
      expect(r.seconds).toBeLessThan(0.5);
    } finally {
      closeAll(a, b);
    }
  });

  it('SO_RCVTIMEO set through another Socket on the same file (a fromfd dup) bounds a blocking recvSync', async () => {
    const [a, b] = socketpair();
    // A blocking recvSync that has already waited once (SO_RCVTIMEO: none).
    b.sendSync(Buffer.from('x'));
    expect(a.recvSync(1).toString()).toBe('x');
    // b lives on only in the child, which writes after 2.5 s: if recvSync ignores
    // the new SO_RCVTIMEO it returns that data instead of timing out.
    const child = spawnWithFd(b.fileno(), delayedWriterCode(2500, 'late'));
    b.close();
    try {
      const d = fromfd(a.fileno(), AF_UNIX, SOCK_STREAM);
      d.setsockopt(SOL_SOCKET, SO_RCVTIMEO, timeval(T));
      d.close();
      expectSoTimeo(() => a.recvSync(10));
    } finally {
      a.close();
      child.kill();
      await child;
    }
  });

  it('SO_RCVTIMEO set through a dup() bounds a blocking recvSync on the original', async () => {
    const [a, b] = socketpair();
    b.sendSync(Buffer.from('x'));
    expect(a.recvSync(1).toString()).toBe('x');
    const child = spawnWithFd(b.fileno(), delayedWriterCode(2500, 'late'));
    b.close();
    const d = a.dup();
    try {
      d.setsockopt(SOL_SOCKET, SO_RCVTIMEO, timeval(T));
      expectSoTimeo(() => a.recvSync(10));
    } finally {
      closeAll(a, d);
      child.kill();
      await child;
    }
  });

  it('SO_RCVTIMEO of 0 means no limit again after a limit', async () => {
    const [a, b] = socketpair();
    const child = spawnWithFd(b.fileno(), delayedWriterCode(400, 'late'));
    b.close();
    try {
      a.setsockopt(SOL_SOCKET, SO_RCVTIMEO, timeval(0.1));
      expectSoTimeo(() => a.recvSync(10), EAGAIN, 0.1);
      a.setsockopt(SOL_SOCKET, SO_RCVTIMEO, timeval(0));
      const r = timed(() => a.recvSync(10));
      expect(r.error).toBeUndefined();
      expect(r.value!.toString()).toBe('late');
    } finally {
      a.close();
      await child;
    }
  });
});

describe('blocking mode waits as long as it takes', () => {
  it('recvSync waits for data that comes later', async () => {
    const [a, b] = socketpair();
    const child = spawnWithFd(b.fileno(), delayedWriterCode(150, 'later'));
    b.close();
    try {
      expect(a.gettimeout()).toBe(null);
      const r = timed(() => a.recvSync(10));
      expect(r.error).toBeUndefined();
      expect(r.value!.toString()).toBe('later');
      expect(r.seconds).toBeGreaterThanOrEqual(0.1);
    } finally {
      a.close();
      expect((await child).code).toBe(0);
    }
  });

  it('acceptSync waits for a connection that comes later', async () => {
    const l = tcpListener();
    const [host, port] = l.getsockname() as [string, number];
    const child = spawnWithFd(
      0,
      `setTimeout(() => { const s = require('net').connect(${port}, ${JSON.stringify(host)}); s.on('connect', () => s.end()); }, 150);`,
    );
    try {
      const r = timed(() => l.acceptSync());
      expect(r.error).toBeUndefined();
      expect(r.seconds).toBeGreaterThanOrEqual(0.1);
      r.value![0].close();
    } finally {
      l.close();
      await child;
    }
  });

  it('a timeout longer than the wait does not fire: recvSync returns the data', async () => {
    const [a, b] = socketpair();
    const child = spawnWithFd(b.fileno(), delayedWriterCode(150, 'in time'));
    b.close();
    try {
      a.settimeout(5);
      expect(a.recvSync(10).toString()).toBe('in time');
    } finally {
      a.close();
      await child;
    }
  });

  it('accepts a very large timeout (2**31 s) and still works (TMO-19)', () => {
    const [a, b] = socketpair();
    try {
      a.settimeout(2 ** 31);
      expect(a.gettimeout()).toBe(2 ** 31);
      b.sendallSync(Buffer.from('big timeout'));
      expect(a.recvSync(100).toString()).toBe('big timeout');
      a.sendallSync(Buffer.from('back'));
      expect(b.recvSync(100).toString()).toBe('back');
    } finally {
      closeAll(a, b);
    }
  });
});

describe('sendall: one deadline for the whole call (TMO-15)', () => {
  const TOTAL = 8 * 1024 * 1024;

  it('sendallSync that makes slow progress still times out at about the timeout', async () => {
    const [a, b] = socketpair();
    smallSendBuffer(a);
    const sndbuf = a.getsockopt(SOL_SOCKET, 7);
    // The child reads 2 KiB every 5 ms; b lives on only in the child.
    const child = spawnWithFd(b.fileno(), slowDrainerCode(2048, 5), 15_000);
    b.close();
    let drained = 0;
    try {
      // Wait until the child drains (a node start can take seconds on a
      // loaded machine): fill the buffer, then wait for room again.
      a.setblocking(false);
      try {
        for (;;) a.sendSync(Buffer.alloc(4096));
      } catch {
        // full
      }
      a.settimeout(10);
      await a.send(Buffer.alloc(1));
      a.settimeout(0.5);
      const r = timed(() => a.sendallSync(Buffer.alloc(TOTAL)));
      expect(r.error).toBeInstanceOf(TimeoutError);
      expect(r.seconds).toBeGreaterThanOrEqual(0.4);
      expect(r.seconds).toBeLessThan(2.5);
    } finally {
      a.close();
      const res = await child;
      drained = Number(res.stdout);
    }
    // The peer did make progress during the call: more than several buffers' worth.
    expect(drained).toBeGreaterThan(3 * sndbuf);
  });

  it('the Promise sendall that makes slow progress also times out at about the timeout', async () => {
    const [a, b] = socketpair();
    smallSendBuffer(a);
    const sndbuf = a.getsockopt(SOL_SOCKET, 7);
    b.setblocking(false);
    let drained = 0;
    const drain = setInterval(() => {
      try {
        drained += b.recvSync(2048).length;
      } catch {
        // nothing yet
      }
    }, 5);
    try {
      a.settimeout(0.5);
      const r = await timedAsync(a.sendall(Buffer.alloc(TOTAL)));
      expect(r.error).toBeInstanceOf(TimeoutError);
      expect(r.seconds).toBeGreaterThanOrEqual(0.4);
      expect(r.seconds).toBeLessThan(2.5);
      expect(drained).toBeGreaterThan(3 * sndbuf);
    } finally {
      clearInterval(drain);
      closeAll(a, b);
    }
  });

  it('non-blocking sendallSync sends what fits, then raises BlockingIOError', () => {
    const [a, b] = socketpair();
    try {
      smallSendBuffer(a);
      a.setblocking(false);
      expectNonBlocking(() => a.sendallSync(Buffer.alloc(1024 * 1024)));
      b.setblocking(false);
      expect(b.recvSync(65536).length).toBeGreaterThan(0);
    } finally {
      closeAll(a, b);
    }
  });
});

describe('connect in each mode (TMO-25, TMO-26)', () => {
  it('non-blocking connectSync raises BlockingIOError EINPROGRESS; connectExSync returns 115', () => {
    const l = tcpListener();
    const c = new Socket();
    const d = new Socket();
    try {
      c.setblocking(false);
      const err = thrown(() => c.connectSync(l.getsockname()));
      expect(err).toBeInstanceOf(BlockingIOError);
      expect((err as OSError).errno).toBe(EINPROGRESS);
      d.setblocking(false);
      expect(d.connectExSync(l.getsockname())).toBe(EINPROGRESS);
    } finally {
      closeAll(l, c, d);
    }
  });

  it('timeout mode: connectSync to a saturated listener raises TimeoutError; connectExSync returns EAGAIN', async (ctx) => {
    await withSaturatedListener(ctx, async (sat, c) => {
      const d = new Socket();
      try {
        c.settimeout(T);
        expectTimeout(() => c.connectSync(sat.l.getsockname()));
        d.settimeout(T);
        const r = timed(() => d.connectExSync(sat.l.getsockname()));
        expect(r.value).toBe(EAGAIN);
        expect(r.seconds).toBeGreaterThanOrEqual(T * 0.8);
      } finally {
        d.close();
      }
    });
  });

  it('blocking mode with SO_SNDTIMEO: connectSync raises BlockingIOError EINPROGRESS after it', async (ctx) => {
    await withSaturatedListener(ctx, async (sat, c) => {
      c.setsockopt(SOL_SOCKET, SO_SNDTIMEO, timeval(T));
      expectSoTimeo(() => c.connectSync(sat.l.getsockname()), EINPROGRESS);
    });
  });

  it('timeout mode: the Promise connect to a saturated listener rejects with TimeoutError', async (ctx) => {
    await withSaturatedListener(ctx, async (sat, c) => {
      c.settimeout(T);
      const r = await timedAsync(c.connect(sat.l.getsockname()));
      expect(r.error).toBeInstanceOf(TimeoutError);
      expect(r.seconds).toBeGreaterThanOrEqual(T * 0.8);
    });
  });

  it('timeout mode: a connect that can complete does, and the socket keeps its timeout', () => {
    const l = tcpListener();
    const c = new Socket();
    try {
      c.settimeout(1);
      c.connectSync(l.getsockname());
      expect(c.gettimeout()).toBe(1);
      expect(c.getpeername()).toEqual(l.getsockname());
    } finally {
      closeAll(l, c);
    }
  });
});
