/**
 * Sockets in worker threads: each worker has its own addon instance and
 * event loop; terminating a worker with operations pending neither crashes
 * the process nor leaks the worker's sockets.
 */
import { existsSync, readlinkSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCK_STREAM, Socket } from '@bsdsock/core';
import { AF_INET } from '@bsdsock/inet';
import { countOpenFds, listOpenFds } from '@bsdsock/test-utils';
import { FIXTURES, closeAll, runNodeChild, sleep } from './fixtures/object-helpers.js';

const SCRIPT = path.join(FIXTURES, 'worker-child.ts');

function startWorker(scenario: string): Worker {
  // tsx compiles the TypeScript; the `source` condition resolves the workspace packages to src/.
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(SCRIPT)});`, {
    eval: true,
    workerData: { scenario },
    execArgv: [...process.execArgv, '--conditions=source'],
  });
}

function nextMessage<T>(w: Worker, timeoutMs = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no message from the worker')), timeoutMs);
    const done = (): void => {
      clearTimeout(t);
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
    };
    const onMessage = (m: T): void => {
      done();
      resolve(m);
    };
    const onError = (e: Error): void => {
      done();
      reject(e);
    };
    const onExit = (code: number): void => {
      done();
      reject(new Error(`the worker exited with ${code}`));
    };
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
  });
}

/** Waits until the open-fd count is back to `n` (fds of an ended worker close asynchronously). */
async function settleFds(n: number, ms = 2000): Promise<number> {
  const end = Date.now() + ms;
  let c = countOpenFds();
  while (c !== n && Date.now() < end) {
    await sleep(20);
    c = countOpenFds();
  }
  return c;
}

let baseline: number;
beforeAll(async () => {
  // Warm up: the first worker loads tsx and opens whatever Node keeps open afterwards.
  const w = startWorker('idle');
  await nextMessage(w);
  await w.terminate();
  await sleep(100);
  baseline = countOpenFds();
});
afterAll(async () => {
  expect(await settleFds(baseline)).toBe(baseline);
});

describe('sockets inside worker threads', () => {
  it('a worker\'s listener serves the main thread\'s Promise-API client', async () => {
    const w = startWorker('echo-server');
    const c = new Socket(AF_INET, SOCK_STREAM);
    try {
      const m = await nextMessage<{ address?: [string, number]; error?: string }>(w);
      expect(m.error).toBeUndefined();
      const finished = nextMessage<{ done?: boolean; error?: string }>(w);
      c.settimeout(10);
      await c.connect(m.address!);
      await c.sendall(Buffer.from('hello from main\n'));
      let got = '';
      for (;;) {
        const d = await c.recv(1024);
        if (d.length === 0) break;
        got += d.toString();
      }
      expect(got).toBe('HELLO FROM MAIN\n');
      expect(await finished).toEqual({ done: true });
    } finally {
      c.close();
      await w.terminate();
    }
  });

  it('several workers serve at once, each on its own loop', async () => {
    const workers = [startWorker('echo-server'), startWorker('echo-server'), startWorker('echo-server')];
    const clients: Socket[] = [];
    try {
      const addrs = await Promise.all(workers.map((w) => nextMessage<{ address: [string, number] }>(w)));
      const finished = workers.map((w) => nextMessage<{ done?: boolean }>(w));
      const replies = await Promise.all(addrs.map(async ({ address }, i) => {
        const c = new Socket(AF_INET, SOCK_STREAM);
        clients.push(c);
        c.settimeout(10);
        await c.connect(address);
        await c.sendall(Buffer.from(`worker ${i}\n`));
        let got = '';
        for (;;) {
          const d = await c.recv(1024);
          if (d.length === 0) break;
          got += d.toString();
        }
        return got;
      }));
      expect(replies).toEqual(['WORKER 0\n', 'WORKER 1\n', 'WORKER 2\n']);
      // Each worker is done with its sockets (and idle) before it is terminated.
      expect(await Promise.all(finished)).toEqual([{ done: true }, { done: true }, { done: true }]);
    } finally {
      closeAll(...clients);
      await Promise.all(workers.map((w) => w.terminate()));
    }
  });

  it('terminating a worker with a pending recv and accept does not crash and closes its sockets', async () => {
    const before = countOpenFds();
    const w = startWorker('pending');
    const m = await nextMessage<{ fds: number[]; address: [string, number] }>(w);
    const targets = new Map(m.fds.map((fd) => [fd, readlinkSync(`/proc/self/fd/${fd}`)]));
    for (const what of targets.values()) expect(what).toMatch(/^socket:/);
    expect(countOpenFds()).toBeGreaterThanOrEqual(before + m.fds.length);
    const code = await w.terminate();
    expect(code).toBe(1);
    expect(await settleFds(before)).toBe(before);
    // Each of the worker's fds is closed (or now names something else).
    const open = listOpenFds();
    for (const [fd, what] of targets) {
      if (open.has(fd)) expect(open.get(fd), `fd ${fd}`).not.toBe(what);
    }
    // The worker's listener is gone: connecting to it is refused.
    const c = new Socket(AF_INET, SOCK_STREAM);
    try {
      expect(await c.connectEx(m.address)).toBe(111);
    } finally {
      c.close();
    }
  });

  it('fds a worker detached outlive it, and the main thread can adopt them', async () => {
    const w = startWorker('detach');
    const m = await nextMessage<{ fd: number; peerFd: number }>(w);
    await w.terminate();
    await sleep(50);
    const a = new Socket(-1, -1, -1, m.fd);
    const b = new Socket(-1, -1, -1, m.peerFd);
    try {
      expect(a.family).toBe(1);
      expect((await a.recv(100)).toString()).toBe('from the worker');
      await a.sendall(Buffer.from('to the main thread'));
      expect((await b.recv(100)).toString()).toBe('to the main thread');
    } finally {
      closeAll(a, b);
    }
  });

  for (const [scenario, what] of [['busy', 'readiness callbacks'], ['resolving', 'resolver callbacks']]) {
    it(`terminating workers with ${what} in flight never crashes the process`, async () => {
      // In a child process, so that a crash shows as a signal exit instead of killing this test file.
      // Each round starts two workers that load TypeScript: slow on a loaded
      // machine, hence a generous bound (the crash showed within a few rounds).
      const r = await runNodeChild('worker-stress-child.ts', { args: ['12', scenario!], timeoutMs: 110_000 });
      const how = r.timedOut ? 'hung' : r.signal ? `was killed by ${r.signal}` : `exited with ${r.code}`;
      expect(r.signal, `the child ${how}; stderr:\n${r.stderr.slice(0, 2000)}`).toBe(null);
      expect(r.code, `the child ${how}; stderr:\n${r.stderr.slice(0, 2000)}`).toBe(0);
      expect(r.stdout.trim()).toBe('ok 12');
    }, 120_000);
  }

  it('terminating workers repeatedly leaks nothing', async () => {
    const before = countOpenFds();
    for (let i = 0; i < 5; i++) {
      const w = startWorker('pending');
      await nextMessage(w);
      await w.terminate();
    }
    expect(await settleFds(before)).toBe(before);
    expect(existsSync('/proc/self/fd')).toBe(true);
  }, 60_000);
});
