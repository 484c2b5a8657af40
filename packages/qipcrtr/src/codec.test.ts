/**
 * The AF_QIPCRTR codec: golden bytes both ways (sockaddr_qrtr on a
 * little-endian host: sq_family `2a 00`, two bytes of padding, sq_node and
 * sq_port as host u32s), every class of bad input with its message, and
 * the shared family conformance suite.
 */
import { describe, expect, it } from 'vitest';
import { AF_QIPCRTR, SOCK_DGRAM, type AddressContext } from '@bsdsock/core';
import { describeFamilyConformance, thrown } from '@bsdsock/test-utils';
import { qrtrFamily } from './codec.js';
import { QRTR_NODE_BCAST, QRTR_PORT_CTRL } from './constants.js';

const ctx: AddressContext = { family: AF_QIPCRTR, type: SOCK_DGRAM, proto: 0, caller: 'bind' };
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('AF_QIPCRTR encode and decode', () => {
  it.each([
    [[1, 0], '2a00 0000 01000000 00000000'],
    [[1, 16384], '2a00 0000 01000000 00400000'],
    [[123, 123], '2a00 0000 7b000000 7b000000'],
    [[QRTR_NODE_BCAST, QRTR_PORT_CTRL], '2a00 0000 ffffffff feffffff'],
  ])('%j ↔ %s', (address, golden) => {
    expect(qrtrFamily.encode(address, ctx)).toEqual(hex(golden));
    expect(qrtrFamily.decode(hex(golden), 12, ctx)).toEqual(address);
  });

  it('reads bytes past the kernel\'s length as zero, and ignores the padding', () => {
    const scratch = Buffer.alloc(128, 0xff);
    hex('2a00 ffff 01000000 0040').copy(scratch);
    expect(qrtrFamily.decode(scratch, 12, ctx)).toEqual([1, 0xffff4000]);
    expect(qrtrFamily.decode(scratch, 10, ctx)).toEqual([1, 0x4000]);
    expect(qrtrFamily.decode(scratch, 2, ctx)).toEqual([0, 0]);
  });

  it('names the family, the field and the caller in its errors', () => {
    const cases: [unknown, ErrorConstructor | RangeErrorConstructor, string][] = [
      ['x', TypeError, 'bind(): AF_QIPCRTR address must be [node: number, port: number], got "x"'],
      [[1], TypeError, 'bind(): AF_QIPCRTR address must be [node: number, port: number], got [ 1 ]'],
      [[1, 2, 3], TypeError, 'bind(): AF_QIPCRTR address must be'],
      [['1', 2], TypeError, 'bind(): AF_QIPCRTR node must be an integer, got "1"'],
      [[1, 2.5], TypeError, 'bind(): AF_QIPCRTR port must be an integer, got 2.5'],
      [[1n, 2], TypeError, 'bind(): AF_QIPCRTR node must be an integer, got 1n'],
      // OTH-01 binds node -2, which CPython's unsigned parsing turns into 0xfffffffe for the kernel to refuse.
      [[-2, 0], RangeError, 'bind(): AF_QIPCRTR node must be 0-4294967295, got -2'],
      [[0, 2 ** 32], RangeError, 'bind(): AF_QIPCRTR port must be 0-4294967295, got 4294967296'],
    ];
    for (const [address, cls, message] of cases) {
      const err = thrown(() => qrtrFamily.encode(address, ctx));
      expect(err).toBeInstanceOf(cls);
      expect(err.message).toContain(message);
    }
  });
});

describeFamilyConformance(qrtrFamily, {
  ctx,
  schema: qrtrFamily.schema,
  good: [
    { address: [1, 0] },
    { address: [1, 16385] },
    { address: [QRTR_NODE_BCAST, QRTR_PORT_CTRL] },
    { address: [-0, 1], decoded: [0, 1] },
  ],
  badType: ['x', [1], [1, 2, 3], ['1', 2], [1, null], [1n, 2], [NaN, 0], [Infinity, 0], { 0: 1, 1: 2, length: 2 }, [-1, 'x']],
  badRange: [[-1, 0], [0, -1], [-2, 0], [2 ** 32, 0], [0, 2 ** 53]],
});
