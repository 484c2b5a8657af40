/**
 * The Promise forms: they never block the event loop, the socket timeout
 * (> 0) is their deadline and 0 / null set none, AbortSignal, concurrent
 * operations and their order, close() with operations pending, no
 * synchronous throws, and event-loop liveness (an idle socket never holds
 * the process; a pending operation does).
 */
import { getEventListeners } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BlockingIOError, ConnectionError, ConnectionRefusedError, ConnectionResetError, OSError, SOCK_DGRAM,
  SOCK_SEQPACKET, SOCK_STREAM, SOL_SOCKET, SO_LINGER, SO_RCVTIMEO, Socket, TimeoutError, socketpair,
} from '@bsdsock/core';
import { AF_INET } from '@bsdsock/inet';
import { AF_UNIX } from '@bsdsock/unix';
import { guardFds } from './fixtures/fd-guard.js';
import {
  closeAll, expectRejectErrno, fillSendBuffer, runNodeChild, sleep, smallSendBuffer, tcpListener,
  tcpPair, timedAsync, timeval, withSaturatedListener,
} from './fixtures/object-helpers.js';

const EBADF = 9;
const ENOTCONN = 107;
const ECONNRESET = 104;
const ECONNREFUSED = 111;
const EPIPE = 32;
const T = 0.2;

guardFds();

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'bsdsock-async-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** Whether `p` is still pending after `ms`. */
async function pendingAfter(p: Promise<unknown>, ms: number): Promise<boolean> {
  const marker = Symbol('pending');
  const r = await Promise.race([p.then(() => 'settled', () => 'settled'), sleep(ms).then(() => marker)]);
  return r === marker;
}

/** A unix datagram sender connected to a receiver whose queue is full. */
function fullDgram(name: string): { r: Socket; s: Socket; where: string } {
  const where = path.join(tmp, name);
  const r = new Socket(AF_UNIX, SOCK_DGRAM);
  const s = new Socket(AF_UNIX, SOCK_DGRAM);
  r.bind(where);
  s.connectSync(where);
  s.setblocking(false);
  for (let i = 0; i < 10_000; i++) {
    try {
      s.sendtoSync(Buffer.from('x'), where);
    } catch (err) {
      if (err instanceof BlockingIOError) break;
      throw err;
    }
  }
  s.setblocking(true);
  return { r, s, where };
}

describe('the event loop keeps running', () => {
  it('a setInterval keeps ticking while a recv waits', async () => {
    const [a, b] = socketpair();
    try {
      let ticks = 0;
      const iv = setInterval(() => ticks++, 10);
      setTimeout(() => b.sendSync(Buffer.from('done')), 250);
      const d = await a.recv(10);
      clearInterval(iv);
      expect(d.toString()).toBe('done');
      expect(ticks).toBeGreaterThanOrEqual(5);
    } finally {
      closeAll(a, b);
    }
  });

  it('... and while an accept and a send wait, in every mode', async () => {
    for (const timeout of [null, 0, 5]) {
      const l = tcpListener();
      const [a, b] = socketpair();
      try {
        l.settimeout(timeout);
        a.settimeout(timeout);
        smallSendBuffer(a);
        fillSendBuffer(a);
        let ticks = 0;
        const iv = setInterval(() => ticks++, 10);
        const accepting = l.accept();
        const sending = a.send(Buffer.alloc(100));
        await sleep(150);
        expect(ticks).toBeGreaterThanOrEqual(5);
        const c = new Socket();
        await c.connect(l.getsockname());
        const [conn] = await accepting;
        b.setblocking(false);
        while (!(await Promise.race([sending.then(() => true), sleep(5).then(() => false)]))) {
          try {
            b.recvSync(65536);
          } catch {
            // nothing yet
          }
        }
        expect(await sending).toBe(100);
        clearInterval(iv);
        closeAll(c, conn);
      } finally {
        closeAll(l, a, b);
      }
    }
  });
});

describe('the socket timeout bounds the Promise forms', () => {
  const readers: Record<string, (s: Socket) => Promise<unknown>> = {
    recv: (s) => s.recv(10),
    recvInto: (s) => s.recvInto(Buffer.alloc(10)),
    recvfrom: (s) => s.recvfrom(10),
    recvfromInto: (s) => s.recvfromInto(Buffer.alloc(10)),
  };
  for (const [name, call] of Object.entries(readers)) {
    it(`${name} rejects with TimeoutError("timed out") when the timeout runs out (TMO-12)`, async () => {
      const [a, b] = socketpair();
      try {
        a.settimeout(T);
        const r = await timedAsync(call(a));
        expect(r.error).toBeInstanceOf(TimeoutError);
        expect((r.error as TimeoutError).errno).toBe(null);
        expect((r.error as TimeoutError).message).toBe('timed out');
        expect(r.seconds).toBeGreaterThanOrEqual(T * 0.8);
        expect(r.seconds).toBeLessThan(T + 2);
        // The timed-out op is gone: the next data goes to the next reader.
        b.sendSync(Buffer.from('next'));
        a.settimeout(null);
        expect((await a.recv(10)).toString()).toBe('next');
      } finally {
        closeAll(a, b);
      }
    });
  }

  it('accept rejects with TimeoutError', async () => {
    const l = tcpListener();
    try {
      l.settimeout(T);
      const r = await timedAsync(l.accept());
      expect(r.error).toBeInstanceOf(TimeoutError);
      expect(r.seconds).toBeGreaterThanOrEqual(T * 0.8);
    } finally {
      l.close();
    }
  });

  it('send and sendall on a full buffer reject with TimeoutError', async () => {
    const [a, b] = socketpair();
    try {
      smallSendBuffer(a);
      fillSendBuffer(a);
      a.settimeout(T);
      const starts = [(): Promise<unknown> => a.send(Buffer.alloc(1000)), (): Promise<unknown> => a.sendall(Buffer.alloc(1000))];
      for (const start of starts) {
        const r = await timedAsync(start());
        expect(r.error).toBeInstanceOf(TimeoutError);
        expect(r.seconds).toBeGreaterThanOrEqual(T * 0.8);
      }
    } finally {
      closeAll(a, b);
    }
  });

  it('sendto to a full datagram receiver rejects with TimeoutError', async () => {
    const { r, s, where } = fullDgram('full-sendto');
    try {
      s.settimeout(T);
      const res = await timedAsync(s.sendto(Buffer.from('y'), where));
      expect(res.error).toBeInstanceOf(TimeoutError);
      expect(res.seconds).toBeGreaterThanOrEqual(T * 0.8);
    } finally {
      closeAll(r, s);
    }
  });

  it('the deadline is per call: a recv started later gets its own full timeout', async () => {
    const [a, b] = socketpair();
    try {
      a.settimeout(0.3);
      const first = timedAsync(a.recv(1));
      await sleep(150);
      const second = timedAsync(a.recv(1));
      const [r1, r2] = await Promise.all([first, second]);
      expect(r1.error).toBeInstanceOf(TimeoutError);
      expect(r2.error).toBeInstanceOf(TimeoutError);
      expect(r2.seconds).toBeGreaterThanOrEqual(0.3 * 0.8);
    } finally {
      closeAll(a, b);
    }
  });

  it('a very large timeout (more than 2**31 ms) does not fire early (TMO-19)', async () => {
    const [a, b] = socketpair();
    try {
      a.settimeout(2 ** 31);
      const p = a.recv(10);
      expect(await pendingAfter(p, 200)).toBe(true);
      b.sendSync(Buffer.from('late'));
      expect((await p).toString()).toBe('late');
    } finally {
      closeAll(a, b);
    }
  });

  it('a timeout set after the call started does not change that call', async () => {
    const [a, b] = socketpair();
    try {
      const p = a.recv(10);
      a.settimeout(0.05);
      expect(await pendingAfter(p, 200)).toBe(true);
      b.sendSync(Buffer.from('ok'));
      expect((await p).toString()).toBe('ok');
    } finally {
      closeAll(a, b);
    }
  });
});

describe('connect and connectEx (Promise) waiting on a saturated listener', () => {
  it('connectEx resolves EAGAIN (11) when the timeout runs out, as Python\'s connect_ex', async (ctx) => {
    await withSaturatedListener(ctx, async (sat, c) => {
      c.settimeout(T);
      const r = await timedAsync(c.connectEx(sat.l.getsockname()));
      expect(r.value).toBe(11);
      expect(r.seconds).toBeGreaterThanOrEqual(T * 0.8);
    });
  });

  it('a connect that had to wait (its SYN dropped) completes once the listener has room, fully connected', async (ctx) => {
    // Here the second connect(2) that bsdsock makes right after EINPROGRESS
    // says EALREADY (the SYN was dropped), so the call waits for
    // writability; the client's SYN retransmit (after about 1 s) then
    // succeeds once the queue has room.
    await withSaturatedListener(ctx, async (sat, c) => {
      c.settimeout(10);
      const p = c.connect(sat.l.getsockname());
      expect(await pendingAfter(p, 100)).toBe(true);
      // Make room: stop the filler still retrying its own SYN, and accept
      // the connection that fills the queue.
      for (const f of sat.fillers) f.close();
      sat.l.settimeout(5);
      const accepted = sat.l.acceptSync()[0];
      try {
        await p;
        expect(c.connectExSync(sat.l.getsockname())).toBe(osConstants.errno.EISCONN);
      } finally {
        accepted.close();
      }
    });
  });

  it('aborting a pending connect rejects it with the reason', async (ctx) => {
    await withSaturatedListener(ctx, async (sat, c) => {
      const ac = new AbortController();
      const p = c.connect(sat.l.getsockname(), { signal: ac.signal });
      expect(await pendingAfter(p, 50)).toBe(true);
      const reason = new Error('give up');
      ac.abort(reason);
      await expect(p).rejects.toBe(reason);
    });
  });
});

describe('timeout 0 or null: no deadline for the Promise forms', () => {
  for (const mode of ['non-blocking', 'blocking'] as const) {
    it(`a ${mode} socket's recv waits for data instead of BlockingIOError`, async () => {
      const [a, b] = socketpair();
      try {
        a.setblocking(mode === 'blocking');
        const p = a.recv(10);
        expect(await pendingAfter(p, 150)).toBe(true);
        b.sendSync(Buffer.from('data'));
        expect((await p).toString()).toBe('data');
      } finally {
        closeAll(a, b);
      }
    });

    it(`a ${mode} listener's accept waits for a connection`, async () => {
      const l = tcpListener();
      const c = new Socket();
      try {
        l.setblocking(mode === 'blocking');
        const p = l.accept();
        expect(await pendingAfter(p, 150)).toBe(true);
        await c.connect(l.getsockname());
        const [conn, addr] = await p;
        expect(addr).toEqual(c.getsockname());
        conn.close();
      } finally {
        closeAll(l, c);
      }
    });

    it(`a ${mode} socket's sendall waits for room and sends everything`, async () => {
      const [a, b] = socketpair();
      try {
        a.setblocking(mode === 'blocking');
        smallSendBuffer(a);
        const data = Buffer.alloc(256 * 1024, 7);
        const p = a.sendall(data);
        let got = 0;
        while (got < data.length) got += (await b.recv(65536)).length;
        await p;
        expect(got).toBe(data.length);
      } finally {
        closeAll(a, b);
      }
    });
  }

  it('SO_RCVTIMEO does not bound a Promise recv in blocking mode (only the socket timeout does)', async () => {
    const [a, b] = socketpair();
    try {
      a.setsockopt(SOL_SOCKET, SO_RCVTIMEO, timeval(0.05));
      const p = a.recv(10);
      expect(await pendingAfter(p, 200)).toBe(true);
      b.sendSync(Buffer.from('x'));
      expect((await p).toString()).toBe('x');
    } finally {
      closeAll(a, b);
    }
  });
});

describe('AbortSignal', () => {
  it('an already aborted signal rejects with its reason and makes no syscall', async () => {
    const [a, b] = socketpair();
    const l = tcpListener();
    const c = new Socket();
    const c2 = new Socket();
    try {
      const reason = { why: 'already' };
      const signal = AbortSignal.abort(reason);
      b.sendSync(Buffer.from('keep me'));
      // recv: the data stays for the next reader.
      await expect(a.recv(100, { signal })).rejects.toBe(reason);
      await expect(a.recv(100, 0, { signal })).rejects.toBe(reason);
      await expect(a.recvInto(Buffer.alloc(10), { signal })).rejects.toBe(reason);
      await expect(a.recvfrom(100, { signal })).rejects.toBe(reason);
      await expect(a.recvfromInto(Buffer.alloc(10), 0, 0, { signal })).rejects.toBe(reason);
      expect((await a.recv(100)).toString()).toBe('keep me');
      // send: nothing reaches the peer.
      await expect(a.send(Buffer.from('no'), { signal })).rejects.toBe(reason);
      await expect(a.sendall(Buffer.from('no'), 0, { signal })).rejects.toBe(reason);
      b.setblocking(false);
      expect(() => b.recvSync(10)).toThrow(BlockingIOError);
      // accept: the pending connection stays queued.
      await c.connect(l.getsockname());
      await expect(l.accept({ signal })).rejects.toBe(reason);
      const [conn] = await l.accept();
      conn.close();
      // connect: no connection is attempted.
      await expect(c2.connect(l.getsockname(), { signal })).rejects.toBe(reason);
      await expect(c2.connectEx(l.getsockname(), { signal })).rejects.toBe(reason);
      expect(() => c2.getpeername()).toThrow(expect.objectContaining({ errno: ENOTCONN }));
    } finally {
      closeAll(a, b, l, c, c2);
    }
  });

  it('sendto with an already aborted signal sends nothing', async () => {
    const r = new Socket(AF_UNIX, SOCK_DGRAM);
    const s = new Socket(AF_UNIX, SOCK_DGRAM);
    const where = path.join(tmp, 'abort-sendto');
    try {
      r.bind(where);
      const reason = new Error('no');
      await expect(s.sendto(Buffer.from('x'), where, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
      await expect(s.sendto(Buffer.from('x'), 0, where, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
      r.setblocking(false);
      expect(() => r.recvSync(10)).toThrow(BlockingIOError);
    } finally {
      closeAll(r, s);
    }
  });

  it('aborting a pending recv rejects it with the reason object; the data then goes to the next recv', async () => {
    const [a, b] = socketpair();
    try {
      const ac = new AbortController();
      const reason = { custom: true };
      const p = a.recv(10, { signal: ac.signal });
      await sleep(20);
      ac.abort(reason);
      await expect(p).rejects.toBe(reason);
      b.sendSync(Buffer.from('next'));
      expect((await a.recv(10)).toString()).toBe('next');
    } finally {
      closeAll(a, b);
    }
  });

  it('abort() without a reason rejects with the signal\'s default AbortError', async () => {
    const [a, b] = socketpair();
    try {
      const ac = new AbortController();
      const p = a.recv(10, { signal: ac.signal });
      ac.abort();
      const err = await p.catch((e: unknown) => e);
      expect(err).toBe(ac.signal.reason);
      expect((err as Error).name).toBe('AbortError');
    } finally {
      closeAll(a, b);
    }
  });

  it('AbortSignal.timeout() rejects with its own TimeoutError DOMException, not bsdsock\'s', async () => {
    const [a, b] = socketpair();
    try {
      const signal = AbortSignal.timeout(50);
      const err = await a.recv(10, { signal }).catch((e: unknown) => e);
      expect(err).toBe(signal.reason);
      expect(err).not.toBeInstanceOf(OSError);
    } finally {
      closeAll(a, b);
    }
  });

  it('aborting one pending op leaves the others', async () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_DGRAM);
    try {
      const ac = new AbortController();
      const p1 = a.recv(10);
      const p2 = a.recv(10, { signal: ac.signal });
      const p3 = a.recv(10);
      ac.abort('second');
      await expect(p2).rejects.toBe('second');
      b.sendSync(Buffer.from('one'));
      b.sendSync(Buffer.from('two'));
      expect((await p1).toString()).toBe('one');
      expect((await p3).toString()).toBe('two');
    } finally {
      closeAll(a, b);
    }
  });

  it('aborting pending accept, send and connect', async () => {
    const l = tcpListener();
    const [a, b] = socketpair();
    try {
      const ac = new AbortController();
      const acc = l.accept({ signal: ac.signal });
      smallSendBuffer(a);
      fillSendBuffer(a);
      const snd = a.sendall(Buffer.alloc(10_000), { signal: ac.signal });
      await sleep(20);
      ac.abort('stop');
      await expect(acc).rejects.toBe('stop');
      await expect(snd).rejects.toBe('stop');
    } finally {
      closeAll(l, a, b);
    }
  });

  it('no abort listener is left on the signal once the op settles', async () => {
    const [a, b] = socketpair();
    try {
      const ac = new AbortController();
      const p = a.recv(10, { signal: ac.signal });
      expect(getEventListeners(ac.signal, 'abort').length).toBe(1);
      b.sendSync(Buffer.from('x'));
      await p;
      expect(getEventListeners(ac.signal, 'abort').length).toBe(0);
      a.settimeout(0.05);
      await a.recv(10, { signal: ac.signal }).catch(() => undefined);
      expect(getEventListeners(ac.signal, 'abort').length).toBe(0);
      ac.abort(); // after everything settled: harmless
    } finally {
      closeAll(a, b);
    }
  });

  it('a bad signal or options value rejects with TypeError', async () => {
    const [a, b] = socketpair();
    try {
      await expect(a.recv(10, { signal: 'x' as never })).rejects.toBeInstanceOf(TypeError);
      await expect(a.recv(10, 0, 5 as never)).rejects.toBeInstanceOf(TypeError);
      await expect(a.accept(5 as never)).rejects.toBeInstanceOf(TypeError);
      await expect(a.send(Buffer.from('x'), 0, { signal: {} } as never)).rejects.toBeInstanceOf(TypeError);
    } finally {
      closeAll(a, b);
    }
  });
});

describe('concurrent operations', () => {
  it('a pending recv and a pending send on one socket at once', async () => {
    const [a, b] = socketpair();
    try {
      smallSendBuffer(a);
      fillSendBuffer(a);
      const r = a.recv(100);
      const s = a.sendall(Buffer.alloc(50_000, 1));
      expect(await pendingAfter(r, 50)).toBe(true);
      expect(await pendingAfter(s, 0)).toBe(true);
      await b.sendall(Buffer.from('reply'));
      expect((await r).toString()).toBe('reply');
      let got = 0;
      const done = s.then(() => true);
      while (!(await Promise.race([done, sleep(1).then(() => false)]))) {
        b.setblocking(false);
        try {
          got += b.recvSync(65536).length;
        } catch {
          // nothing yet
        }
      }
      expect(got).toBeGreaterThan(0);
    } finally {
      closeAll(a, b);
    }
  });

  it('many pending accepts each get their own connection', async () => {
    const l = tcpListener();
    const clients: Socket[] = [];
    try {
      const accepts = Array.from({ length: 8 }, () => l.accept());
      for (let i = 0; i < 8; i++) {
        const c = new Socket();
        clients.push(c);
        await c.connect(l.getsockname());
      }
      const results = await Promise.all(accepts);
      const fds = new Set(results.map(([s]) => s.fileno()));
      expect(fds.size).toBe(8);
      const peers = results.map(([, addr]) => JSON.stringify(addr)).sort();
      expect(peers).toEqual(clients.map((c) => JSON.stringify(c.getsockname())).sort());
      for (const [s] of results) s.close();
    } finally {
      closeAll(l, ...clients);
    }
  });

  for (const type of [SOCK_DGRAM, SOCK_SEQPACKET]) {
    it(`several pending recvs on a ${type === SOCK_DGRAM ? 'SOCK_DGRAM' : 'SOCK_SEQPACKET'} pair complete in start order`, async () => {
      const [a, b] = socketpair(AF_UNIX, type);
      try {
        const order: string[] = [];
        const ps = ['one', 'two', 'three', 'four', 'five'].map(() =>
          a.recv(100).then((d) => {
            order.push(d.toString());
            return d.toString();
          }),
        );
        await sleep(10);
        for (const m of ['one', 'two', 'three', 'four', 'five']) b.sendSync(Buffer.from(m));
        expect(await Promise.all(ps)).toEqual(['one', 'two', 'three', 'four', 'five']);
        expect(order).toEqual(['one', 'two', 'three', 'four', 'five']);
      } finally {
        closeAll(a, b);
      }
    });
  }

  it('more pending recvs than one wake-up handles all complete, in start order', async () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_DGRAM);
    try {
      const N = 300;
      const ps = Array.from({ length: N }, () => a.recv(16));
      await sleep(5);
      for (let i = 0; i < N; i++) {
        // The receive queue is bounded: send in bursts, letting the readers catch up.
        for (;;) {
          try {
            b.setblocking(false);
            b.sendSync(Buffer.from(String(i)));
            break;
          } catch (err) {
            if (!(err instanceof BlockingIOError)) throw err;
            await sleep(1);
          }
        }
      }
      const got = (await Promise.all(ps)).map((d) => Number(d.toString()));
      expect(got).toEqual(Array.from({ length: N }, (_, i) => i));
    } finally {
      closeAll(a, b);
    }
  });

  it('pending recvfrom calls of mixed kinds complete in start order', async () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_DGRAM);
    try {
      const buf = Buffer.alloc(10);
      const p1 = a.recvfrom(10);
      const p2 = a.recvInto(buf);
      const p3 = a.recvfromInto(Buffer.alloc(10));
      const p4 = a.recv(10);
      for (const m of ['1', '22', '333', '4444']) b.sendSync(Buffer.from(m));
      expect((await p1)[0].toString()).toBe('1');
      expect(await p2).toBe(2);
      expect((await p3)[0]).toBe(3);
      expect((await p4).toString()).toBe('4444');
    } finally {
      closeAll(a, b);
    }
  });

  it('pending sendalls deliver their bytes in start order', async () => {
    const [a, b] = socketpair();
    try {
      smallSendBuffer(a);
      const first = Buffer.alloc(100_000, 0x41);
      const second = Buffer.alloc(100_000, 0x42);
      const p1 = a.sendall(first);
      const p2 = a.sendall(second);
      const chunks: Buffer[] = [];
      let got = 0;
      while (got < 200_000) {
        const d = await b.recv(65536);
        chunks.push(d);
        got += d.length;
      }
      await Promise.all([p1, p2]);
      const all = Buffer.concat(chunks);
      expect(all.subarray(0, 100_000).every((x) => x === 0x41)).toBe(true);
      expect(all.subarray(100_000).every((x) => x === 0x42)).toBe(true);
    } finally {
      closeAll(a, b);
    }
  });

  it('a Sync call while Promise ops wait on the same socket still works', async () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_DGRAM);
    try {
      const p = a.recv(10);
      b.sendSync(Buffer.from('first'));
      b.sendSync(Buffer.from('second'));
      expect((await p).toString()).toBe('first');
      a.settimeout(1);
      expect(a.recvSync(10).toString()).toBe('second');
    } finally {
      closeAll(a, b);
    }
  });
});

describe('socket errors while an op waits surface as the socket error (POLLERR)', () => {
  function rstClose(s: Socket): void {
    const linger = Buffer.alloc(8);
    linger.writeInt32LE(1, 0);
    linger.writeInt32LE(0, 4);
    s.setsockopt(SOL_SOCKET, SO_LINGER, linger);
    s.close();
  }

  it('a pending recv when the peer resets rejects with ConnectionResetError, not EBADF', async () => {
    const [l, c, srv] = await tcpPair();
    try {
      const p = c.recv(10);
      expect(await pendingAfter(p, 20)).toBe(true);
      rstClose(srv);
      await expectRejectErrno(p, ECONNRESET, ConnectionResetError);
    } finally {
      closeAll(l, c, srv);
    }
  });

  it('a pending sendall when the peer resets rejects with a ConnectionError, not EBADF', async () => {
    const [l, c, srv] = await tcpPair();
    try {
      smallSendBuffer(c);
      fillSendBuffer(c);
      const p = c.sendall(Buffer.alloc(1024 * 1024));
      expect(await pendingAfter(p, 20)).toBe(true);
      rstClose(srv);
      const err = await p.then(() => expect.fail('sendall succeeded'), (e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectionError);
      expect([ECONNRESET, EPIPE]).toContain((err as OSError).errno);
    } finally {
      closeAll(l, c, srv);
    }
  });

  it('a pending recv on a connected UDP socket gets ConnectionRefusedError from the ICMP error', async () => {
    const target = new Socket(AF_INET, SOCK_DGRAM);
    target.bind(['127.0.0.1', 0]);
    const addr = target.getsockname();
    target.close();
    using s = new Socket(AF_INET, SOCK_DGRAM);
    await s.connect(addr);
    s.settimeout(2);
    const p = s.recv(10);
    await sleep(10);
    await s.send(Buffer.from('x'));
    await expectRejectErrno(p, ECONNREFUSED, ConnectionRefusedError);
  });

  it('a Promise connect to a closed port rejects with ConnectionRefusedError, not EBADF', async () => {
    const l = tcpListener();
    const addr = l.getsockname();
    l.close();
    using c = new Socket();
    const err = await expectRejectErrno(c.connect(addr), ECONNREFUSED, ConnectionRefusedError);
    expect(err.syscall).toBe('connect');
    using d = new Socket();
    expect(await d.connectEx(addr)).toBe(ECONNREFUSED);
  });
});

describe('two Socket objects on one fd (adopted without dup, as Python allows)', () => {
  it('both can wait at once; each gets a datagram; nothing is left unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    const [a, b] = socketpair(AF_UNIX, SOCK_DGRAM);
    const twin = new Socket(-1, -1, -1, a.fileno());
    try {
      twin.settimeout(0.5);
      const p1 = a.recv(10);
      const p2 = twin.recv(10);
      await sleep(20);
      b.sendSync(Buffer.from('one'));
      b.sendSync(Buffer.from('two'));
      const got = (await Promise.all([p1, p2])).map(String).sort();
      expect(got).toEqual(['one', 'two']);
      await sleep(600);
    } finally {
      twin.detach();
      closeAll(a, b);
      await sleep(10);
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });

  it('an error starting the wait rejects the call, and no timer fires later', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    const [a, b] = socketpair();
    const twin = new Socket(-1, -1, -1, a.fileno());
    try {
      twin.settimeout(0.1);
      const p1 = a.recv(10);
      const r = await timedAsync(twin.recv(10));
      // Either it waited (and timed out) or it failed as an OSError: never a bare Error.
      expect(r.error).toBeInstanceOf(OSError);
      await sleep(300);
      b.sendSync(Buffer.from('x'));
      expect((await p1).toString()).toBe('x');
    } finally {
      twin.detach();
      closeAll(a, b);
      await sleep(10);
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).toEqual([]);
  });
});

describe('close() with operations pending', () => {
  it('rejects each pending op with OSError EBADF', async () => {
    const [a, b] = socketpair();
    const l = tcpListener();
    try {
      smallSendBuffer(a);
      fillSendBuffer(a);
      const ops = [a.recv(10), a.recvInto(Buffer.alloc(4)), a.recvfrom(10), a.recvfromInto(Buffer.alloc(4)),
        a.send(Buffer.alloc(1000)), a.sendall(Buffer.alloc(100_000))];
      const acc = [l.accept(), l.accept()];
      await sleep(20);
      a.close();
      l.close();
      for (const p of [...ops, ...acc]) {
        const err = await expectRejectErrno(p, EBADF);
        expect(err.code).toBe('EBADF');
      }
    } finally {
      closeAll(a, b, l);
    }
  });

  it('rejects a pending connect with EBADF', async (ctx) => {
    await withSaturatedListener(ctx, async (sat, c) => {
      const p = c.connect(sat.l.getsockname());
      expect(await pendingAfter(p, 100)).toBe(true);
      c.close();
      await expectRejectErrno(p, EBADF);
    });
  });

  it('rejects ops that were aborted-able and timed with EBADF, and their timers do not fire later', async () => {
    const [a, b] = socketpair();
    try {
      a.settimeout(0.1);
      const ac = new AbortController();
      const p = a.recv(10, { signal: ac.signal });
      a.close();
      await expectRejectErrno(p, EBADF);
      ac.abort();
      await sleep(150);
    } finally {
      closeAll(a, b);
    }
  });
});

describe('Promise forms never throw synchronously', () => {
  const cases: [string, (s: Socket) => Promise<unknown>, Function][] = [
    ['recv("x")', (s) => s.recv('x' as never), TypeError],
    ['recv(-1)', (s) => s.recv(-1), RangeError],
    ['recv(1.5)', (s) => s.recv(1.5), TypeError],
    ['recv(10, "x")', (s) => s.recv(10, 'x' as never), TypeError],
    ['recvInto("x")', (s) => s.recvInto('x' as never), TypeError],
    ['recvInto(buf, 100)', (s) => s.recvInto(Buffer.alloc(4), 100), RangeError],
    ['recvInto(buf, -1)', (s) => s.recvInto(Buffer.alloc(4), -1), RangeError],
    ['recvfrom(null)', (s) => s.recvfrom(null as never), TypeError],
    ['recvfromInto(ArrayBuffer)', (s) => s.recvfromInto(new ArrayBuffer(4) as never), TypeError],
    ['recvfromInto(buf, 100)', (s) => s.recvfromInto(Buffer.alloc(4), 100), RangeError],
    ['send("str")', (s) => s.send('str' as never), TypeError],
    ['send([1,2])', (s) => s.send([1, 2] as never), TypeError],
    ['sendall(123)', (s) => s.sendall(123 as never), TypeError],
    ['sendall(buf, "x")', (s) => s.sendall(Buffer.alloc(1), 'x' as never), TypeError],
    ['sendto(buf)', (s) => (s.sendto as (...a: unknown[]) => Promise<number>)(Buffer.alloc(1)), TypeError],
    ['sendto(buf, "x:1")', (s) => s.sendto(Buffer.alloc(1), 'x:1'), TypeError],
    ['sendto(buf, port 70000)', (s) => s.sendto(Buffer.alloc(1), ['127.0.0.1', 70000]), RangeError],
    ['connect("host:80")', (s) => s.connect('host:80'), TypeError],
    ['connect(port 70000)', (s) => s.connect(['127.0.0.1', 70000]), RangeError],
    ['connect(null)', (s) => s.connect(null), TypeError],
    ['connectEx(null)', (s) => s.connectEx(null), TypeError],
    ['connectEx(port -1)', (s) => s.connectEx(['127.0.0.1', -1]), RangeError],
  ];
  for (const [name, call, cls] of cases) {
    it(`${name} returns a rejected promise (${cls.name})`, async () => {
      using s = new Socket(AF_INET, SOCK_STREAM);
      let p: Promise<unknown> | undefined;
      expect(() => {
        p = call(s);
      }).not.toThrow();
      expect(p).toBeInstanceOf(Promise);
      await expect(p).rejects.toBeInstanceOf(cls);
    });
  }

  it('... and neither do they on a closed socket with bad arguments', async () => {
    const s = new Socket();
    s.close();
    for (const [, call] of cases) {
      let p: Promise<unknown> | undefined;
      expect(() => {
        p = call(s);
      }).not.toThrow();
      await expect(p).rejects.toBeInstanceOf(Error);
    }
  });
});

describe('event-loop liveness (child processes)', () => {
  for (const scenario of ['never-used', 'idle-after-recv', 'idle-after-send', 'idle-after-accept', 'after-timeout',
    'after-abort', 'after-refused', 'after-close-pending', 'idle-after-pingpong']) {
    it(`a process whose sockets are idle (${scenario}) exits on its own`, async () => {
      const r = await runNodeChild('keepalive-child.ts', { args: [scenario], timeoutMs: 10_000 });
      expect(r.timedOut, `the child did not exit; stderr:\n${r.stderr}`).toBe(false);
      expect(r.code, r.stderr).toBe(0);
      const outcome = /^(created|got x|sent|accepted|pingpong done|rejected (TimeoutError|stop|ConnectionRefusedError|OSError))\n$/;
      expect(r.stdout).toMatch(outcome);
    });
  }

  it('a pending recv keeps the process alive until data arrives', async () => {
    const r = await runNodeChild('keepalive-child.ts', { args: ['pending-recv'], timeoutMs: 10_000 });
    expect(r.code, r.stderr).toBe(0);
    const m = /^got late after ([\d.]+)\n$/.exec(r.stdout);
    expect(m, r.stdout).not.toBe(null);
    expect(Number(m![1])).toBeGreaterThanOrEqual(0.45);
  });

  it('a recv started inside the readiness callback of the one before keeps the process alive', async () => {
    const r = await runNodeChild('keepalive-child.ts', { args: ['pending-recv-after-callback'], timeoutMs: 10_000 });
    expect(r.code, r.stderr).toBe(0);
    const m = /^got late after ([\d.]+)\n$/.exec(r.stdout);
    expect(m, r.stdout).not.toBe(null);
    expect(Number(m![1])).toBeGreaterThanOrEqual(0.5);
  });

  it('a pending accept keeps the process alive until a connection arrives', async () => {
    const r = await runNodeChild('keepalive-child.ts', { args: ['pending-accept'], timeoutMs: 10_000 });
    expect(r.code, r.stderr).toBe(0);
    const m = /^accepted after ([\d.]+)\n$/.exec(r.stdout);
    expect(m, r.stdout).not.toBe(null);
    expect(Number(m![1])).toBeGreaterThanOrEqual(0.45);
  });
});
