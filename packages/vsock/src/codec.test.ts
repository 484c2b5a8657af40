/**
 * The AF_VSOCK codec: golden bytes both ways, every class of bad input
 * (VSK-05), and the shared family conformance suite.
 *
 * Golden bytes follow Linux's `struct sockaddr_vm` on a little-endian
 * host: svm_family (host u16, `28 00`), svm_reserved1 (u16), svm_port and
 * svm_cid (host u32), svm_flags and svm_zero (zero); 16 bytes, what CPython
 * hands the kernel for the same tuple.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SOCK_STREAM, type AddressContext } from '@bsdsock/core';
import { describeFamilyConformance, thrown } from '@bsdsock/test-utils';
import { vsockFamily } from './codec.js';
import { AF_VSOCK, VMADDR_CID_ANY, VMADDR_CID_HOST, VMADDR_CID_LOCAL, VMADDR_PORT_ANY } from './constants.generated.js';

const ctx: AddressContext = { family: AF_VSOCK, type: SOCK_STREAM, proto: 0, caller: 'connect' };
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ZERO4 = '00000000';

describe('AF_VSOCK encode', () => {
  it.each([
    [[VMADDR_CID_LOCAL, 1234], `2800 0000 d2040000 01000000 ${ZERO4}`],
    [[VMADDR_CID_HOST, 0], `2800 0000 00000000 02000000 ${ZERO4}`],
    [[VMADDR_CID_ANY, VMADDR_PORT_ANY], `2800 0000 ffffffff ffffffff ${ZERO4}`],
    [[3, 0x12345678], `2800 0000 78563412 03000000 ${ZERO4}`],
    [[0, 0], `2800 0000 00000000 00000000 ${ZERO4}`],
    [Object.freeze([0x80000000, 80]), `2800 0000 50000000 00000080 ${ZERO4}`],
  ])('encodes %j', (address, golden) => {
    expect(vsockFamily.encode(address, ctx)).toEqual(hex(golden));
  });

  it('names the family, the field and the caller in its errors (VSK-05)', () => {
    const cases: [unknown, ErrorConstructor | RangeErrorConstructor, string][] = [
      ['1:1234', TypeError, 'connect(): AF_VSOCK address must be [cid: number, port: number], got "1:1234"'],
      [[1], TypeError, 'connect(): AF_VSOCK address must be [cid: number, port: number], got [ 1 ]'],
      [[1, 2, 3], TypeError, 'connect(): AF_VSOCK address must be [cid: number, port: number], got [ 1, 2, 3 ]'],
      [{ 0: 1, 1: 2, length: 2 }, TypeError, 'connect(): AF_VSOCK address must be'],
      [['1', 1234], TypeError, 'connect(): AF_VSOCK cid must be an integer, got "1"'],
      [[1, 1234.5], TypeError, 'connect(): AF_VSOCK port must be an integer, got 1234.5'],
      [[1n, 1234], TypeError, 'connect(): AF_VSOCK cid must be an integer, got 1n'],
      [[1, null], TypeError, 'connect(): AF_VSOCK port must be an integer, got null'],
      [[-1, 1234], RangeError, 'connect(): AF_VSOCK cid must be 0-4294967295, got -1'],
      [[1, 2 ** 32], RangeError, 'connect(): AF_VSOCK port must be 0-4294967295, got 4294967296'],
    ];
    for (const [address, cls, message] of cases) {
      const err = thrown(() => vsockFamily.encode(address, ctx));
      expect(err, inspect(address)).toBeInstanceOf(cls);
      expect(err.message).toContain(message);
    }
  });

  it('checks every type before any range', () => {
    expect(thrown(() => vsockFamily.encode([-1, 'x'], ctx))).toBeInstanceOf(TypeError);
    expect(thrown(() => vsockFamily.encode(['x', 2 ** 32], ctx))).toBeInstanceOf(TypeError);
  });
});

describe('AF_VSOCK decode', () => {
  it.each([
    [`2800 0000 d2040000 01000000 ${ZERO4}`, [VMADDR_CID_LOCAL, 1234]],
    [`2800 0000 ffffffff ffffffff ${ZERO4}`, [VMADDR_CID_ANY, VMADDR_PORT_ANY]],
    [`2800 0000 78563412 03000000 01000000`, [3, 0x12345678]],
  ])('decodes %s', (bytes, address) => {
    const buf = hex(bytes);
    expect(vsockFamily.decode(buf, buf.length, ctx)).toEqual(address);
  });

  it('reads bytes past the kernel\'s length as zero, as CPython\'s zeroed buffer does', () => {
    const scratch = Buffer.alloc(128, 0xff);
    hex('2800 0000 d2040000 01000000').copy(scratch);
    expect(vsockFamily.decode(scratch, 16, ctx)).toEqual([1, 1234]);
    expect(vsockFamily.decode(scratch, 8, ctx)).toEqual([0, 1234]);
    expect(vsockFamily.decode(scratch, 6, ctx)).toEqual([0, 0x04d2]);
    expect(vsockFamily.decode(scratch, 2, ctx)).toEqual([0, 0]);
  });
});

describeFamilyConformance(vsockFamily, {
  ctx,
  schema: vsockFamily.schema,
  good: [
    { address: [VMADDR_CID_LOCAL, 1234] },
    { address: [VMADDR_CID_ANY, VMADDR_PORT_ANY] },
    { address: [VMADDR_CID_HOST, 0] },
    { address: [0, 0xffffffff] },
    { address: [0x7fffffff, 0x80000000] },
  ],
  badType: [
    '1:1234',
    [1],
    [],
    [1, 2, 3],
    ['1', 2],
    [1, '2'],
    [1.5, 2],
    [1, null],
    [1n, 2],
    [-1, 'x'],
    { 0: 1, 1: 2, length: 2 },
  ],
  badRange: [
    [-1, 0],
    [0, -1],
    [2 ** 32, 0],
    [0, 2 ** 53],
    [-(2 ** 53), 2 ** 40],
  ],
});
