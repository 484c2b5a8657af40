/**
 * The AF_RDS codec on its own (no AF_INET family registered in this file):
 * golden bytes both ways (sockaddr_in on a little-endian host: sin_family
 * AF_INET `02 00`, the port and the address in network order, 8 zero
 * bytes — what CPython hands the kernel for an RDS address, RDS-02), every
 * class of bad input with its message, names refused without a resolver,
 * and the shared family conformance suite.
 */
import { describe, expect, it } from 'vitest';
import { AF_RDS, OSError, SOCK_SEQPACKET, getFamily, type AddressContext } from '@bsdsock/core';
import { describeFamilyConformance, thrown } from '@bsdsock/test-utils';
import { rdsFamily } from './codec.js';

const ctx: AddressContext = { family: AF_RDS, type: SOCK_SEQPACKET, proto: 0, caller: 'bind' };
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const PAD = '0000000000000000';

describe('AF_RDS encode (RDS-02)', () => {
  it.each([
    [['127.0.0.1', 4000], `0200 0fa0 7f000001 ${PAD}`],
    [['127.0.0.2', 0], `0200 0000 7f000002 ${PAD}`],
    [['', 0], `0200 0000 00000000 ${PAD}`],
    [['<broadcast>', 9], `0200 0009 ffffffff ${PAD}`],
    [['255.255.255.255', 65535], `0200 ffff ffffffff ${PAD}`],
    [['0.0.0.0', 1], `0200 0001 00000000 ${PAD}`],
    [[Buffer.from('10.0.0.1'), 1], `0200 0001 0a000001 ${PAD}`],
    [[new Uint8Array(Buffer.from('192.168.1.254')), 80], `0200 0050 c0a801fe ${PAD}`],
    [[Buffer.from('').buffer.slice(0, 0), 7], `0200 0007 00000000 ${PAD}`],
  ])('encodes %j', (address, golden) => {
    expect(rdsFamily.encode(address, ctx)).toEqual(hex(golden));
    expect(rdsFamily.encodeAsync!(address, ctx)).toEqual(hex(golden));
  });

  it('names the family, the field and the caller in its errors', () => {
    const cases: [unknown, ErrorConstructor | RangeErrorConstructor, string][] = [
      ['127.0.0.1:80', TypeError, 'bind(): AF_RDS address must be [host: string, port: number], got "127.0.0.1:80"'],
      [['127.0.0.1'], TypeError, 'bind(): AF_RDS address must be [host: string, port: number], got [ \'127.0.0.1\' ]'],
      [['127.0.0.1', 1, 2], TypeError, 'bind(): AF_RDS address must be'],
      [[0x7f000001, 1], TypeError, 'bind(): AF_RDS host must be a string or bytes-like object, got 2130706433'],
      [[null, 1], TypeError, 'bind(): AF_RDS host must be a string or bytes-like object, got null'],
      [['127.0.0.1\0', 1], TypeError, 'bind(): AF_RDS host name must not contain null character'],
      [[Buffer.from([0x31, 0]), 1], TypeError, 'bind(): AF_RDS host name must not contain null character'],
      [['127.0.0.1', '80'], TypeError, 'bind(): AF_RDS port must be an integer, got "80"'],
      [['127.0.0.1', 1.5], TypeError, 'bind(): AF_RDS port must be an integer, got 1.5'],
      [['127.0.0.1', 70000], RangeError, 'bind(): AF_RDS port must be 0-65535, got 70000'],
      [['127.0.0.1', -1], RangeError, 'bind(): AF_RDS port must be 0-65535, got -1'],
    ];
    for (const [address, cls, message] of cases) {
      const err = thrown(() => rdsFamily.encode(address, ctx));
      expect(err, String(address)).toBeInstanceOf(cls);
      expect(err.message).toContain(message);
    }
  });

  it('refuses a name with OSError while no AF_INET family is registered to resolve it', async () => {
    expect(getFamily(2)).toBeUndefined();
    for (const host of ['localhost', '127.1', '1.2.3.04', Buffer.from('localhost')]) {
      const err = thrown(() => rdsFamily.encode([host, 1], ctx));
      expect(err).toBeInstanceOf(OSError);
      expect(err.message).toBe(
        `bind(): AF_RDS host ${JSON.stringify(host.toString())} is a name; resolving it needs the AF_INET family: import '@bsdsock/inet' (or 'bsdsock')`,
      );
      expect(() => rdsFamily.encodeAsync!([host, 1], ctx)).toThrow(err.message);
    }
  });
});

describe('AF_RDS decode', () => {
  it.each([
    [`0200 0fa0 7f000001 ${PAD}`, ['127.0.0.1', 4000]],
    [`0200 ffff ffffffff ${PAD}`, ['255.255.255.255', 65535]],
    [`0200 0000 00000000 ffffffffffffffff`, ['0.0.0.0', 0]],
    // An unbound socket's getsockname: AF_UNSPEC, which CPython returns as (0, sa_data).
    [`0000 0000 00000000 ${PAD}`, [0, Buffer.alloc(14)]],
    [`1500 0102 03040506 0708090a0b0c0d0e`, [21, hex('0102030405060708090a0b0c0d0e')]],
  ])('decodes %s', (bytes, address) => {
    const buf = hex(bytes);
    expect(rdsFamily.decode(buf, buf.length, ctx)).toEqual(address);
  });

  it('reads bytes past the kernel\'s length as zero, and returns a copy', () => {
    const scratch = Buffer.alloc(128, 0xff);
    hex('0200 0fa0 7f00').copy(scratch);
    expect(rdsFamily.decode(scratch, 6, ctx)).toEqual(['127.0.0.0', 4000]);
    expect(rdsFamily.decode(scratch, 1, ctx)).toEqual(['0.0.0.0', 0]);
    scratch[0] = 0;
    const [, data] = rdsFamily.decode(scratch, 16, ctx) as readonly [number, Buffer];
    expect(data).toEqual(hex(`0fa0 7f00 ${'ff'.repeat(10)}`));
    scratch.fill(0);
    expect(data[0]).toBe(0x0f);
  });
});

describeFamilyConformance(rdsFamily, {
  ctx,
  schema: rdsFamily.schema,
  good: [
    { address: ['127.0.0.1', 4000] },
    { address: ['10.20.30.40', 65535] },
    { address: ['', 0], decoded: ['0.0.0.0', 0] },
    { address: ['<broadcast>', 1], decoded: ['255.255.255.255', 1] },
    { address: [Buffer.from('127.0.0.2'), 80], decoded: ['127.0.0.2', 80] },
    { address: ['127.0.0.1', -0], decoded: ['127.0.0.1', 0] },
  ],
  badType: [
    'x', [], ['127.0.0.1'], ['127.0.0.1', 1, 2], [1, 1], [null, 1], ['127.0.0.1', '1'], ['a\0b', 1], ['127.0.0.1', 1.5],
    ['127.0.0.1', NaN], ['127.0.0.1', 1n], [{}, 70000], { 0: '127.0.0.1', 1: 80, length: 2 },
  ],
  badRange: [['127.0.0.1', 70000], ['127.0.0.1', -1], ['', 2 ** 53], [Buffer.from('1.2.3.4'), 65536]],
});
