/**
 * No fd is leaked: a representative mix of operations — successes, errors,
 * timeouts, aborts, close with operations pending — runs a few hundred
 * times and the open-fd count comes back to where it started.
 *
 * `guardFds()` (fixtures/fd-guard.ts) is the file-level check every test
 * file can reuse.
 */
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BlockingIOError, OSError, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM, Socket, TimeoutError, close, fromfd, socketpair,
} from '@bsdsock/core';
import { AF_INET, AF_INET6 } from '@bsdsock/inet';
import { AF_UNIX } from '@bsdsock/unix';
import { countOpenFds, listOpenFds } from '@bsdsock/test-utils';
import { fdDiff, guardFds, settleFdCount } from './fixtures/fd-guard.js';
import { closeAll, fillSendBuffer, smallSendBuffer, tcpListener } from './fixtures/object-helpers.js';

guardFds();

const ROUNDS = 200;

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'bsdsock-leak-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** Runs `body` `rounds` times and asserts the fd count is unchanged afterwards. */
async function noLeak(rounds: number, body: (i: number) => unknown): Promise<void> {
  // One round first: anything opened once for good (a lazily created fd) is not a leak.
  await body(-1);
  const before = countOpenFds();
  const list = listOpenFds();
  for (let i = 0; i < rounds; i++) await body(i);
  const after = await settleFdCount(before);
  expect(after, fdDiff(list, listOpenFds()).join('; ')).toBe(before);
}

async function swallow(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => undefined, (e: unknown) => e);
}

describe('the open-fd count comes back after many rounds of', () => {
  it('creating and closing sockets of each family and type', async () => {
    await noLeak(ROUNDS, () => {
      for (const [f, t] of [[AF_INET, SOCK_STREAM], [AF_INET, SOCK_DGRAM], [AF_INET6, SOCK_STREAM],
        [AF_UNIX, SOCK_STREAM], [AF_UNIX, SOCK_DGRAM], [AF_UNIX, SOCK_SEQPACKET]] as const) {
        new Socket(f, t).close();
      }
      using _s = new Socket();
    });
  });

  it('socket(), socketpair() and fromfd() failing', async () => {
    const file = path.join(tmp, 'plain');
    const fd = openSync(file, 'w+');
    try {
      await noLeak(ROUNDS, () => {
        for (const make of [
          () => new Socket(999),
          () => new Socket(AF_INET, 999),
          () => new Socket(AF_INET, SOCK_DGRAM, 6),
          () => socketpair(AF_INET),
          () => socketpair(AF_UNIX, 99),
          () => new Socket(AF_INET, SOCK_STREAM, 0, fd),
          () => new Socket(-1, -1, -1, fd),
          () => fromfd(fd, AF_INET, SOCK_STREAM),
          () => new Socket('x' as never),
        ]) {
          expect(make).toThrow();
        }
      });
    } finally {
      closeSync(fd);
    }
  });

  it('socketpair, dup, fromfd, detach + close(fd), adoption', async () => {
    await noLeak(ROUNDS, () => {
      const [a, b] = socketpair();
      const d = a.dup();
      const f = fromfd(b.fileno(), AF_UNIX, SOCK_STREAM);
      const raw = d.detach();
      close(raw);
      const t = new Socket();
      const adopted = new Socket(-1, -1, -1, t.detach());
      closeAll(a, b, f, adopted);
    });
  });

  it('accept (Promise and Sync) and the peer closing', async () => {
    const l = tcpListener();
    try {
      await noLeak(ROUNDS, async (i) => {
        const c = new Socket();
        if (i % 2 === 0) {
          const [, [conn]] = await Promise.all([c.connect(l.getsockname()), l.accept()]);
          c.close();
          expect((await conn.recv(10)).length).toBe(0);
          conn.close();
        } else {
          c.connectSync(l.getsockname());
          l.settimeout(5);
          const [conn] = l.acceptSync();
          conn.close();
          c.close();
        }
      });
    } finally {
      l.close();
    }
  });

  it('failed connects (refused), Promise, Sync and connectEx', async () => {
    const gone = tcpListener();
    const addr = gone.getsockname();
    gone.close();
    await noLeak(ROUNDS, async () => {
      const a = new Socket();
      expect(await swallow(a.connect(addr))).toBeInstanceOf(OSError);
      a.close();
      const b = new Socket();
      expect(() => b.connectSync(addr)).toThrow(OSError);
      b.close();
      const c = new Socket();
      expect(c.connectExSync(addr)).toBe(111);
      c.close();
    });
  });

  it('timeouts, Promise and Sync, and non-blocking errors', async () => {
    await noLeak(ROUNDS / 4, async () => {
      const [a, b] = socketpair();
      a.settimeout(0.001);
      expect(await swallow(a.recv(10))).toBeInstanceOf(TimeoutError);
      expect(() => a.recvSync(10)).toThrow(TimeoutError);
      a.setblocking(false);
      expect(() => a.recvSync(10)).toThrow(BlockingIOError);
      closeAll(a, b);
    });
  });

  it('aborted operations (before and while waiting)', async () => {
    await noLeak(ROUNDS, async () => {
      const [a, b] = socketpair();
      expect(await swallow(a.recv(10, { signal: AbortSignal.abort('x') }))).toBe('x');
      const ac = new AbortController();
      const p = a.recv(10, { signal: ac.signal });
      ac.abort('y');
      expect(await swallow(p)).toBe('y');
      closeAll(a, b);
    });
  });

  it('close() with operations pending', async () => {
    await noLeak(ROUNDS, async () => {
      const [a, b] = socketpair();
      smallSendBuffer(a);
      fillSendBuffer(a);
      const ops = [a.recv(10), a.send(Buffer.alloc(1000)), a.sendall(Buffer.alloc(10_000))];
      a.close();
      for (const p of ops) expect(await swallow(p)).toBeInstanceOf(OSError);
      b.close();
    });
  });

  it('errors of bad arguments and of closed sockets', async () => {
    await noLeak(ROUNDS, async () => {
      const s = new Socket();
      expect(await swallow(s.recv(-1))).toBeInstanceOf(RangeError);
      expect(await swallow(s.connect(['127.0.0.1', 70000]))).toBeInstanceOf(RangeError);
      expect(() => s.bind('nope')).toThrow(TypeError);
      s.close();
      expect(() => s.close()).not.toThrow();
      expect(await swallow(s.accept())).toBeInstanceOf(OSError);
    });
  });
});
