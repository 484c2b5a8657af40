/**
 * ERR-07: argument and address checks happen before any system call, and a
 * bad argument is a TypeError or RangeError (Python's TypeError, ValueError,
 * OverflowError), never an OSError carrying an errno. The socket is left as
 * it was: still unbound and unconnected.
 */
import { describe, expect, it } from 'vitest';
import { OSError, SOCK_DGRAM, Socket } from '@bsdsock/core';
import { AF_INET } from '@bsdsock/inet';
import { guardFds } from '../../core/test/fixtures/fd-guard.js';

guardFds();

const BAD: [unknown, typeof TypeError | typeof RangeError][] = [
  ['127.0.0.1:80', TypeError],
  [['127.0.0.1'], TypeError],
  [['127.0.0.1', 80, 1], TypeError],
  [[80, '127.0.0.1'], TypeError],
  [['127.0.0.1', '80'], TypeError],
  [['127.0.0.1', 1.5], TypeError],
  [['127.0.0.1', 70000], RangeError],
  [['127.0.0.1', -1], RangeError],
  [['127.0.0.1\0', 80], TypeError],
  [[null, 80], TypeError],
];

async function caught(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('bad addresses fail before the system call (ERR-07)', () => {
  it.each(BAD)('%j → %o, in every method that takes an address, Sync and Promise', async (address, cls) => {
    using s = new Socket(AF_INET, SOCK_DGRAM);
    const a = address as never;
    const calls: [string, () => unknown][] = [
      ['bind', () => s.bind(a)],
      ['connectSync', () => s.connectSync(a)],
      ['connect', () => s.connect(a)],
      ['connectExSync', () => s.connectExSync(a)],
      ['connect_ex', () => s.connectEx(a)],
      ['sendtoSync', () => s.sendtoSync(Buffer.from('x'), a)],
      ['sendto', () => s.sendto(Buffer.from('x'), a)],
      ['sendmsgSync', () => s.sendmsgSync([Buffer.from('x')], [], 0, a)],
    ];
    for (const [name, call] of calls) {
      const err = await caught(call);
      expect(err, name).toBeInstanceOf(cls);
      expect(err, name).not.toBeInstanceOf(OSError);
    }
    // Nothing reached the kernel: the socket is still unbound and unconnected.
    expect(s.getsockname()).toEqual(['0.0.0.0', 0]);
    expect(() => s.getpeername()).toThrow(OSError);
  });
});
