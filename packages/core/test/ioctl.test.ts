/**
 * binding.ioctlInt: the one ioctl(2) core offers, for the requests whose
 * argument is a single int the kernel writes (the socket queue sizes, the
 * urgent mark, vsock's local CID). @bsdsock/vsock's localCid() is built on
 * it. Any other request must be refused without reaching the kernel, since
 * an arbitrary request could write past the int.
 */
import { constants as osConstants } from 'node:os';
import { describe, expect, it } from 'vitest';
import { socketpair } from '@bsdsock/core';
import { aux, binding } from '@bsdsock/core/internal';
import { guardFds } from './fixtures/fd-guard.js';

guardFds();

const E = osConstants.errno;
const C = binding.constants as Record<string, number | bigint | undefined>;
const SIOCINQ = C.SIOCINQ as number;
const SIOCOUTQ = C.SIOCOUTQ as number;

describe('binding.ioctlInt', () => {
  it('SIOCINQ gives the bytes waiting to be read, SIOCOUTQ the bytes not yet sent', () => {
    expect(typeof SIOCINQ).toBe('number');
    const [a, b] = socketpair(); // AF_UNIX, SOCK_STREAM
    try {
      expect(binding.ioctlInt(b.fileno(), SIOCINQ)).toBe(0);
      expect(aux[0]).toBe(0);
      a.sendSync(Buffer.from('hello'));
      expect(binding.ioctlInt(b.fileno(), SIOCINQ)).toBe(0);
      expect(aux[0]).toBe(5);
      // On a socketpair the bytes sit in the peer's receive queue at once,
      // and AF_UNIX reports its unsent queue (skb memory) through SIOCOUTQ.
      expect(binding.ioctlInt(a.fileno(), SIOCOUTQ)).toBe(0);
      expect(aux[0]).toBeGreaterThanOrEqual(0);
      b.recvSync(5);
      expect(binding.ioctlInt(b.fileno(), SIOCINQ)).toBe(0);
      expect(aux[0]).toBe(0);
    } finally {
      a.close();
      b.close();
    }
  });

  it('refuses a request outside its list with -ENOTTY, without calling the kernel', () => {
    const [a, b] = socketpair();
    try {
      // TIOCGWINSZ would write a struct winsize (8 bytes): not an int request.
      expect(binding.ioctlInt(a.fileno(), 0x5413)).toBe(-E.ENOTTY);
      expect(binding.ioctlInt(a.fileno(), 0)).toBe(-E.ENOTTY);
      expect(binding.ioctlInt(a.fileno(), -1)).toBe(-E.ENOTTY);
    } finally {
      a.close();
      b.close();
    }
  });

  it('reports the kernel\'s errors: EBADF for a closed fd', () => {
    expect(binding.ioctlInt(-1, SIOCINQ)).toBe(-E.EBADF);
  });

  it('rejects non-numbers and non-integers with TypeError/RangeError', () => {
    expect(() => binding.ioctlInt('3' as unknown as number, SIOCINQ)).toThrow(TypeError);
    expect(() => binding.ioctlInt(3, 1.5)).toThrow(RangeError);
  });
});
