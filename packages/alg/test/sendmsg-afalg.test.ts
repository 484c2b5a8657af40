/**
 * `sendmsgAfalg` / `sendmsgAfalgSync` on real sockets of any kernel: the
 * methods that importing the package adds to Socket, the family check
 * (ALG-09), and the argument checks (ALG-08), which run before any
 * syscall.
 *
 * For the argument checks the socket must be AF_ALG, which this kernel may
 * lack; the tests adopt one end of an AF_UNIX SOCK_SEQPACKET socketpair as a
 * Socket that says AF_ALG (the constructor takes family, type and proto as
 * given, as Python's does). A valid call then really goes out through
 * sendmsg(2): AF_UNIX ignores control messages of other levels than
 * SOL_SOCKET, so the peer receives the data. The kernel-lab tests
 * (test/kernel/) exercise the same calls on real AF_ALG sockets.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlockingIOError, MSG_DONTWAIT, OSError, SOCK_SEQPACKET, Socket, socketpair } from '@bsdsock/core';
import {
  AF_ALG, ALG_OP_DECRYPT, ALG_OP_ENCRYPT, installSendmsgAfalg, sendmsgAfalg, sendmsgAfalgSync,
} from '@bsdsock/alg';
import { countOpenFds, listOpenFds, rejection, thrown } from '@bsdsock/test-utils';

const open: Socket[] = [];
let fdsBefore = 0;

beforeEach(() => {
  fdsBefore = countOpenFds();
});
afterEach(() => {
  for (const s of open.splice(0)) s.close();
  expect(countOpenFds(), [...listOpenFds().values()].join(', ')).toBe(fdsBefore);
});

/** [a Socket that says AF_ALG over an AF_UNIX SOCK_SEQPACKET fd, its peer]. */
function disguised(): [Socket, Socket] {
  const [a, b] = socketpair(null, SOCK_SEQPACKET);
  const s = new Socket(AF_ALG, SOCK_SEQPACKET, 0, a.detach());
  a.close();
  open.push(s, b);
  return [s, b];
}

describe('Socket.prototype.sendmsgAfalg', () => {
  it('is installed on import, non-enumerable, and installing again changes nothing', () => {
    const before = Object.getOwnPropertyDescriptor(Socket.prototype, 'sendmsgAfalg');
    const beforeSync = Object.getOwnPropertyDescriptor(Socket.prototype, 'sendmsgAfalgSync');
    expect(typeof before?.value).toBe('function');
    expect(typeof beforeSync?.value).toBe('function');
    expect(before?.enumerable).toBe(false);
    installSendmsgAfalg();
    installSendmsgAfalg();
    expect(Object.getOwnPropertyDescriptor(Socket.prototype, 'sendmsgAfalg')).toEqual(before);
    expect(Object.getOwnPropertyDescriptor(Socket.prototype, 'sendmsgAfalgSync')).toEqual(beforeSync);
  });

  it('on a socket of another family raises OSError "algset is only supported for AF_ALG", errno null (ALG-09)', async () => {
    const [a, b] = socketpair();
    open.push(a, b);
    const sync = thrown(() => a.sendmsgAfalgSync([Buffer.from('x')], { op: ALG_OP_ENCRYPT })) as OSError;
    expect(sync).toBeInstanceOf(OSError);
    expect(sync.message).toBe('algset is only supported for AF_ALG');
    expect(sync.errno).toBeNull();
    const async = (await rejection(a.sendmsgAfalg([Buffer.from('x')], { op: ALG_OP_ENCRYPT }))) as OSError;
    expect(async).toBeInstanceOf(OSError);
    expect([async.message, async.errno]).toEqual(['algset is only supported for AF_ALG', null]);
    // The family check comes first, as in CPython: bad options still give this error.
    expect(thrown(() => a.sendmsgAfalgSync())).toBeInstanceOf(OSError);
    expect(() => b.recvSync(10, MSG_DONTWAIT)).toThrow(BlockingIOError);
  });

  it('sends the data of a valid call through sendmsg(2), in both forms', async () => {
    const [s, peer] = disguised();
    expect(await s.sendmsgAfalg([Buffer.from('ab'), new Uint8Array([0x63])], { op: ALG_OP_ENCRYPT, iv: Buffer.alloc(16) })).toBe(3);
    expect(peer.recvSync(10)).toEqual(Buffer.from('abc'));
    expect(s.sendmsgAfalgSync([Buffer.from('de')], { op: ALG_OP_DECRYPT, assoclen: 0, flags: 0 })).toBe(2);
    expect(peer.recvSync(10)).toEqual(Buffer.from('de'));
    expect(await sendmsgAfalg(s, [Buffer.from('f')], { op: ALG_OP_ENCRYPT })).toBe(1);
    const backing = new Uint8Array([0x78, 0x67, 0x68, 0x78]);
    expect(sendmsgAfalgSync(s, [new DataView(backing.buffer, 1, 2)], { op: ALG_OP_ENCRYPT })).toBe(2);
    expect(peer.recvSync(10)).toEqual(Buffer.from('f'));
    expect(peer.recvSync(10)).toEqual(Buffer.from('gh'));
  });

  it('takes the options alone, with no message, as Python\'s sendmsg_afalg(op=...) (an empty datagram)', async () => {
    const [s, peer] = disguised();
    expect(await s.sendmsgAfalg({ op: ALG_OP_ENCRYPT })).toBe(0);
    expect(s.sendmsgAfalgSync(undefined, { op: ALG_OP_ENCRYPT })).toBe(0);
    expect(s.sendmsgAfalgSync([], { op: ALG_OP_ENCRYPT })).toBe(0);
    for (let i = 0; i < 3; i++) expect(peer.recvSync(10)).toEqual(Buffer.alloc(0));
  });

  it('rejects bad arguments as CPython does, the Promise form by rejecting (ALG-08)', async () => {
    const [s] = disguised();
    const cases: [unknown[], ErrorConstructor | RangeErrorConstructor, string][] = [
      [[], TypeError, "sendmsg_afalg(): Invalid or missing argument 'op'"],
      [[[Buffer.from('x')]], TypeError, "sendmsg_afalg(): Invalid or missing argument 'op'"],
      [[{ op: null }], TypeError, 'sendmsg_afalg(): op must be an integer, got null'],
      [[1], TypeError, 'sendmsg_afalg(): msg must be an iterable of bytes-like objects, got 1'],
      [[[], { op: 1, assoclen: null }], TypeError, 'sendmsg_afalg(): assoclen must be an integer, got null'],
      [[[], { op: 1, assoclen: -1 }], TypeError, 'sendmsg_afalg(): assoclen must be positive, got -1'],
      [[[], { op: 1, assoclen: 2 ** 31 }], RangeError, 'sendmsg_afalg(): assoclen must fit in a C int'],
      [[[], { op: -1 }], TypeError, "sendmsg_afalg(): Invalid or missing argument 'op'"],
      [['abc', { op: 1 }], TypeError, 'sendmsg_afalg(): msg must be an iterable of bytes-like objects, got "abc"'],
      [[['abc'], { op: 1 }], TypeError, 'sendmsg_afalg(): msg must be an iterable of bytes-like objects, got an item "abc"'],
      [[Buffer.from('abc'), { op: 1 }], TypeError, 'got an item 97'],
      [[null, { op: 1 }], TypeError, 'sendmsg_afalg(): msg must be an iterable of bytes-like objects, got null'],
      [[[], { op: 1, iv: 'x' }], TypeError, 'sendmsg_afalg(): iv must be a bytes-like object, got "x"'],
      [[[], { op: 1, flags: 'x' }], TypeError, 'sendmsg_afalg(): flags must be an integer, got "x"'],
      [[[], { op: 1, flags: 2 ** 31 }], RangeError, 'sendmsg_afalg(): flags must fit in a C int, got 2147483648'],
      [[[], { op: 1, mode: 1 }], TypeError, 'sendmsg_afalg(): unexpected option "mode"'],
      [[[], 7], TypeError, 'sendmsg_afalg(): options must be an object'],
    ];
    for (const [args, cls, message] of cases) {
      const sync = thrown(() => (s.sendmsgAfalgSync as (...a: unknown[]) => number)(...args));
      expect(sync, message).toBeInstanceOf(cls);
      expect(sync.message).toContain(message);
      const p = (s.sendmsgAfalg as (...a: unknown[]) => Promise<number>)(...args);
      expect(p).toBeInstanceOf(Promise);
      const async = await rejection(p);
      expect(async, message).toBeInstanceOf(cls);
      expect(async.message).toContain(message);
    }
  });

  it('takes an abort signal in the Promise form only', async () => {
    const [s, peer] = disguised();
    const reason = new Error('stop');
    expect(await rejection(s.sendmsgAfalg([Buffer.from('x')], { op: 1, signal: AbortSignal.abort(reason) }))).toBe(reason);
    const bad = await rejection(s.sendmsgAfalg([Buffer.from('x')], { op: 1, signal: 'no' as never }));
    expect([bad.constructor, bad.message]).toEqual([TypeError, 'sendmsg_afalg(): signal must be an AbortSignal, got "no"']);
    const sync = thrown(() => s.sendmsgAfalgSync([Buffer.from('x')], { op: 1, signal: new AbortController().signal } as never));
    expect(sync.message).toContain('unexpected option "signal"');
    expect(await s.sendmsgAfalg([Buffer.from('y')], { op: 1, signal: new AbortController().signal })).toBe(1);
    expect(peer.recvSync(10)).toEqual(Buffer.from('y'));
  });

  it('the plain functions want a Socket', async () => {
    expect(thrown(() => sendmsgAfalgSync({} as never, { op: 1 })).message).toBe('sendmsg_afalg(): expects a Socket, got {}');
    expect((await rejection(sendmsgAfalg(null as never, { op: 1 }))).constructor).toBe(TypeError);
  });

  it('on a closed socket fails with EBADF', async () => {
    const [s] = disguised();
    s.close();
    expect((thrown(() => s.sendmsgAfalgSync({ op: 1 })) as OSError).errno).toBe(9);
    expect(((await rejection(s.sendmsgAfalg({ op: 1 }))) as OSError).errno).toBe(9);
  });
});
