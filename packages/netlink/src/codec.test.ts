/**
 * The AF_NETLINK codec: golden bytes both ways (sockaddr_nl on a
 * little-endian host: nl_family `10 00`, nl_pad, nl_pid and nl_groups as
 * host u32s), bad input, and the shared family conformance suite.
 */
import { describe, expect, it } from 'vitest';
import { AF_NETLINK, SOCK_RAW, type AddressContext } from '@bsdsock/core';
import { describeFamilyConformance, thrown } from '@bsdsock/test-utils';
import { netlinkFamily } from './codec.js';

const ctx: AddressContext = { family: AF_NETLINK, type: SOCK_RAW, proto: 0, caller: 'bind' };
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('AF_NETLINK encode and decode', () => {
  it.each([
    [[0, 0], '1000 0000 00000000 00000000'],
    [[1234, 1], '1000 0000 d2040000 01000000'],
    [[0xffffffff, 0x80000001], '1000 0000 ffffffff 01000080'],
  ])('%j ↔ %s', (address, golden) => {
    expect(netlinkFamily.encode(address, ctx)).toEqual(hex(golden));
    expect(netlinkFamily.decode(hex(golden), 12, ctx)).toEqual(address);
  });

  it('reads bytes past the kernel\'s length as zero', () => {
    const scratch = Buffer.alloc(128, 0xff);
    hex('1000 0000 d2040000').copy(scratch);
    expect(netlinkFamily.decode(scratch, 8, ctx)).toEqual([1234, 0]);
    expect(netlinkFamily.decode(scratch, 6, ctx)).toEqual([0x4d2 & 0xffff, 0]);
  });

  it('names the family, the field and the caller in its errors', () => {
    const cases: [unknown, ErrorConstructor | RangeErrorConstructor, string][] = [
      ['x', TypeError, 'bind(): AF_NETLINK address must be [pid: number, groups: number], got "x"'],
      [[1], TypeError, 'bind(): AF_NETLINK address must be [pid: number, groups: number], got [ 1 ]'],
      [[1, 2, 3], TypeError, 'bind(): AF_NETLINK address must be'],
      [['1', 2], TypeError, 'bind(): AF_NETLINK pid must be an integer, got "1"'],
      [[1, 2.5], TypeError, 'bind(): AF_NETLINK groups must be an integer, got 2.5'],
      [[-1, 0], RangeError, 'bind(): AF_NETLINK pid must be 0-4294967295, got -1'],
      [[0, 2 ** 32], RangeError, 'bind(): AF_NETLINK groups must be 0-4294967295, got 4294967296'],
    ];
    for (const [address, cls, message] of cases) {
      const err = thrown(() => netlinkFamily.encode(address, ctx));
      expect(err).toBeInstanceOf(cls);
      expect(err.message).toContain(message);
    }
  });
});

describeFamilyConformance(netlinkFamily, {
  ctx,
  schema: netlinkFamily.schema,
  good: [{ address: [0, 0] }, { address: [4242, 0x11] }, { address: [0xffffffff, 0xffffffff] }, { address: [-0, 1], decoded: [0, 1] }],
  badType: ['x', [1], [1, 2, 3], ['1', 2], [1, null], [1n, 2], [NaN, 0], { 0: 1, 1: 2, length: 2 }, [-1, 'x']],
  badRange: [[-1, 0], [0, -1], [2 ** 32, 0], [0, 2 ** 53]],
});
