/**
 * The fd's O_NONBLOCK flag: as in CPython, a socket in blocking mode has a
 * blocking fd, so that each blocking Sync call is one syscall; the first
 * Promise form, or another mode, makes it O_NONBLOCK for good (so that no
 * Promise form can block the event loop). A blocking Sync call on an fd
 * made O_NONBLOCK behind the socket's back (through a dup) still waits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  BlockingIOError, OSError, SOCK_NONBLOCK, SOCK_STREAM, SOL_SOCKET, SO_RCVTIMEO, Socket, getdefaulttimeout,
  setdefaulttimeout,
} from '@bsdsock/core';
import { binding } from '@bsdsock/core/internal';
import { AF_INET } from '@bsdsock/inet';
import { closeAll, delayedWriterCode, spawnWithFd, tcpListener, timeval } from './fixtures/object-helpers.js';

const EAGAIN = 11;

/** A connected loopback TCP pair through the Sync API: [listener, client, server side]. */
function syncPair(): [Socket, Socket, Socket] {
  const l = tcpListener();
  const c = new Socket(AF_INET, SOCK_STREAM);
  c.connectSync(l.getsockname());
  const [s] = l.acceptSync();
  return [l, c, s];
}

const nonblock = (s: Socket): number => binding.getNonblock(s.fileno());

describe('the fd follows the mode until a Promise form needs O_NONBLOCK', () => {
  const saved = getdefaulttimeout();
  afterEach(() => setdefaulttimeout(saved));

  it('a new socket in blocking mode has a blocking fd; other modes and SOCK_NONBLOCK do not', () => {
    using a = new Socket(AF_INET, SOCK_STREAM);
    expect(nonblock(a)).toBe(0);
    using b = new Socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK);
    expect(nonblock(b)).toBe(1);
    setdefaulttimeout(5);
    using c = new Socket(AF_INET, SOCK_STREAM);
    expect(nonblock(c)).toBe(1);
  });

  it('settimeout and setblocking(false) set O_NONBLOCK; blocking mode again keeps it', () => {
    using a = new Socket(AF_INET, SOCK_STREAM);
    a.settimeout(1);
    expect(nonblock(a)).toBe(1);
    a.settimeout(null);
    expect(nonblock(a)).toBe(1);
    using b = new Socket(AF_INET, SOCK_STREAM);
    b.setblocking(false);
    expect(nonblock(b)).toBe(1);
  });

  it('a Promise form sets O_NONBLOCK for good', async () => {
    const [l, c, s] = syncPair();
    try {
      expect(nonblock(c)).toBe(0);
      await c.sendall(Buffer.from('x'));
      expect(nonblock(c)).toBe(1);
      expect(s.recvSync(1).toString()).toBe('x');
      c.sendallSync(Buffer.from('y'));
      expect(nonblock(c)).toBe(1);
      expect(s.recvSync(1).toString()).toBe('y');
    } finally {
      closeAll(l, c, s);
    }
  });

  it('acceptSync gives a blocking fd in blocking mode; the Promise accept an O_NONBLOCK one', async () => {
    const l = tcpListener();
    const c1 = new Socket(AF_INET, SOCK_STREAM);
    const c2 = new Socket(AF_INET, SOCK_STREAM);
    try {
      c1.connectSync(l.getsockname());
      const [s1] = l.acceptSync();
      expect(nonblock(s1)).toBe(0);
      expect(s1.gettimeout()).toBe(null);
      c2.connectSync(l.getsockname());
      const [s2] = await l.accept();
      expect(nonblock(s2)).toBe(1);
      expect(s2.gettimeout()).toBe(null);
      closeAll(s1, s2);
    } finally {
      closeAll(l, c1, c2);
    }
  });

  it('SO_RCVTIMEO bounds a blocking recvSync on a blocking fd: BlockingIOError EAGAIN', () => {
    const [l, c, s] = syncPair();
    try {
      expect(nonblock(c)).toBe(0);
      c.setsockopt(SOL_SOCKET, SO_RCVTIMEO, timeval(0.1));
      let err: unknown;
      try {
        c.recvSync(10);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(BlockingIOError);
      expect((err as OSError).errno).toBe(EAGAIN);
      // Nothing was lost: data sent now arrives.
      s.sendallSync(Buffer.from('after'));
      expect(c.recvSync(10).toString()).toBe('after');
    } finally {
      closeAll(l, c, s);
    }
  });

  it('a blocking recvSync waits even when a dup made the shared fd O_NONBLOCK behind its back', async () => {
    const [l, c, s] = syncPair();
    const d = c.dup();
    // The dup shares the open file description, so its Promise form sets
    // O_NONBLOCK for c too, which c does not know.
    await d.sendall(Buffer.from('ping'));
    expect(nonblock(c)).toBe(1);
    expect(s.recvSync(4).toString()).toBe('ping');
    const child = spawnWithFd(s.fileno(), delayedWriterCode(300, 'late'));
    s.close();
    try {
      expect(c.recvSync(10).toString()).toBe('late');
    } finally {
      closeAll(l, c, d);
      child.kill();
      await child;
    }
  });
});
