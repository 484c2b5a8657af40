/**
 * The AF_TIPC codec: golden bytes both ways, every class of bad input with
 * its message, and the shared family conformance suite (TIPC-04, TIPC-05).
 *
 * Golden bytes follow Linux's `struct sockaddr_tipc` on a little-endian
 * host: family (host u16, `1e 00`), addrtype (u8), scope (s8), then the
 * 12-byte union as host u32s — `nameseq` {type, lower, upper},
 * `name` {{type, instance}, domain} or `id` {ref, node} — what CPython
 * hands the kernel for the same tuple.
 */
import { describe, expect, it } from 'vitest';
import { SOCK_RDM, type AddressContext } from '@bsdsock/core';
import { describeFamilyConformance, thrown } from '@bsdsock/test-utils';
import { tipcFamily } from './codec.js';
import {
  AF_TIPC, TIPC_ADDR_ID, TIPC_ADDR_NAME, TIPC_ADDR_NAMESEQ, TIPC_CLUSTER_SCOPE, TIPC_NODE_SCOPE, TIPC_ZONE_SCOPE,
} from './constants.generated.js';

const ctx: AddressContext = { family: AF_TIPC, type: SOCK_RDM, proto: 0, caller: 'bind' };
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

const SHAPE = 'bind(): AF_TIPC address must be [addr_type: number, v1: number, v2: number, v3: number, scope?: number]';
const TYPES = 'TIPC_ADDR_NAMESEQ (1), TIPC_ADDR_NAME (2) or TIPC_ADDR_ID (3)';

describe('AF_TIPC encode', () => {
  it.each([
    // CPython's test_socket addresses: the server's range, the client's name (TIPC-02).
    [[TIPC_ADDR_NAMESEQ, 2000, 200, 210], '1e00 01 02 d0070000 c8000000 d2000000'],
    [[TIPC_ADDR_NAME, 2000, 205, 0], '1e00 02 02 d0070000 cd000000 00000000'],
    // v3 of a name is parsed and dropped: the domain stays 0, as in getsockaddrarg().
    [[TIPC_ADDR_NAME, 18888, 17, 0xffffffff], '1e00 02 02 c8490000 11000000 00000000'],
    // An id is {ref, node} in the struct: v1 (node) lands after v2 (ref).
    [[TIPC_ADDR_ID, 0x01001001, 0x12345678, 0], '1e00 03 02 78563412 01100001 00000000'],
    [[TIPC_ADDR_ID, 0, 1, 7], '1e00 03 02 01000000 00000000 00000000'],
    [[TIPC_ADDR_NAMESEQ, 0xffffffff, 0, 0xffffffff, TIPC_NODE_SCOPE], '1e00 01 03 ffffffff 00000000 ffffffff'],
    [[TIPC_ADDR_NAMESEQ, 1, 2, 3, TIPC_ZONE_SCOPE], '1e00 01 01 01000000 02000000 03000000'],
    // A negative scope withdraws a binding: the signed char as the kernel reads it.
    [[TIPC_ADDR_NAMESEQ, 2000, 200, 210, -TIPC_CLUSTER_SCOPE], '1e00 01 fe d0070000 c8000000 d2000000'],
    [[TIPC_ADDR_NAMESEQ, 1, 1, 1, -128], '1e00 01 80 01000000 01000000 01000000'],
    [[TIPC_ADDR_NAMESEQ, 1, 1, 1, 127], '1e00 01 7f 01000000 01000000 01000000'],
    [[TIPC_ADDR_NAMESEQ, 1, 1, 1, undefined], '1e00 01 02 01000000 01000000 01000000'],
    [Object.freeze([TIPC_ADDR_NAME, 1, 2, 3]), '1e00 02 02 01000000 02000000 00000000'],
  ])('encodes %j', (address, golden) => {
    expect(tipcFamily.encode(address, ctx)).toEqual(hex(golden));
  });

  it('names the family, the field and the caller in its errors (TIPC-04)', () => {
    const cases: [unknown, ErrorConstructor | RangeErrorConstructor, string][] = [
      ['x', TypeError, `${SHAPE}, got "x"`],
      [[TIPC_ADDR_NAME, 1, 2], TypeError, `${SHAPE}, got [ 2, 1, 2 ]`],
      [[TIPC_ADDR_NAME, 1, 2, 3, 2, 0], TypeError, SHAPE],
      [{ 0: 2, 1: 1, 2: 2, 3: 3, length: 4 }, TypeError, SHAPE],
      [['2', 1, 2, 3], TypeError, 'bind(): AF_TIPC addr_type must be an integer, got "2"'],
      [[0, 1, 2, 3], TypeError, `bind(): AF_TIPC addr_type must be ${TYPES}, got 0`],
      [[4, 1, 2, 3], TypeError, `bind(): AF_TIPC addr_type must be ${TYPES}, got 4`],
      [[-1, 1, 2, 3], TypeError, `bind(): AF_TIPC addr_type must be ${TYPES}, got -1`],
      [[TIPC_ADDR_NAMESEQ, 1.5, 2, 3], TypeError, 'bind(): AF_TIPC type must be an integer, got 1.5'],
      [[TIPC_ADDR_NAMESEQ, 1, null, 3], TypeError, 'bind(): AF_TIPC lower must be an integer, got null'],
      [[TIPC_ADDR_NAMESEQ, 1, 2, 3n], TypeError, 'bind(): AF_TIPC upper must be an integer, got 3n'],
      [[TIPC_ADDR_NAME, 1, '2', 3], TypeError, 'bind(): AF_TIPC instance must be an integer, got "2"'],
      [[TIPC_ADDR_NAME, 1, 2, NaN], TypeError, 'bind(): AF_TIPC v3 must be an integer, got NaN'],
      [[TIPC_ADDR_ID, true, 2, 3], TypeError, 'bind(): AF_TIPC node must be an integer, got true'],
      [[TIPC_ADDR_ID, 1, {}, 3], TypeError, 'bind(): AF_TIPC ref must be an integer, got {}'],
      [[TIPC_ADDR_ID, 1, 2, 3, 'node'], TypeError, 'bind(): AF_TIPC scope must be an integer, got "node"'],
      [[TIPC_ADDR_ID, 1, 2, 3, 'n'.repeat(100)], TypeError, `bind(): AF_TIPC scope must be an integer, got "${'n'.repeat(80)}…"`],
      [[TIPC_ADDR_NAMESEQ, -1, 2, 3], RangeError, 'bind(): AF_TIPC type must be 0-4294967295, got -1'],
      [[TIPC_ADDR_NAMESEQ, 1, 2 ** 32, 3], RangeError, 'bind(): AF_TIPC lower must be 0-4294967295, got 4294967296'],
      [[TIPC_ADDR_NAME, 1, 2, -3], RangeError, 'bind(): AF_TIPC v3 must be 0-4294967295, got -3'],
      [[TIPC_ADDR_ID, 2 ** 53, 2, 3], RangeError, 'bind(): AF_TIPC node must be 0-4294967295, got 9007199254740992'],
      [[TIPC_ADDR_NAMESEQ, 1, 2, 3, 128], RangeError, 'bind(): AF_TIPC scope must be -128-127, got 128'],
      [[TIPC_ADDR_NAMESEQ, 1, 2, 3, -129], RangeError, 'bind(): AF_TIPC scope must be -128-127, got -129'],
    ];
    for (const [address, cls, message] of cases) {
      const err = thrown(() => tipcFamily.encode(address, ctx));
      expect(err, JSON.stringify(address, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).toBeInstanceOf(cls);
      expect(err.message).toContain(message);
    }
  });

  it('checks every type before any range', () => {
    expect(thrown(() => tipcFamily.encode([TIPC_ADDR_NAMESEQ, -1, 'x', 3], ctx))).toBeInstanceOf(TypeError);
    expect(thrown(() => tipcFamily.encode([TIPC_ADDR_NAMESEQ, -1, 2, 3, 'x'], ctx))).toBeInstanceOf(TypeError);
    expect(thrown(() => tipcFamily.encode([7, -1, 2, 3], ctx))).toBeInstanceOf(TypeError);
  });
});

describe('AF_TIPC decode (TIPC-05)', () => {
  it.each([
    ['1e00 01 02 d0070000 c8000000 d2000000', [TIPC_ADDR_NAMESEQ, 2000, 200, 210, TIPC_CLUSTER_SCOPE]],
    // A name comes back with its instance twice; the domain is not returned.
    ['1e00 02 03 d0070000 cd000000 01100001', [TIPC_ADDR_NAME, 2000, 205, 205, TIPC_NODE_SCOPE]],
    // An id: [node, ref, 0], node read from after ref.
    ['1e00 03 00 78563412 01100001 00000000', [TIPC_ADDR_ID, 0x01001001, 0x12345678, 0, 0]],
    ['1e00 03 00 ffffffff ffffffff ffffffff', [TIPC_ADDR_ID, 0xffffffff, 0xffffffff, 0, 0]],
    ['1e00 01 fe 01000000 02000000 03000000', [TIPC_ADDR_NAMESEQ, 1, 2, 3, -2]],
  ])('decodes %s', (bytes, address) => {
    const buf = hex(bytes);
    expect(tipcFamily.decode(buf, buf.length, ctx)).toEqual(address);
  });

  it('raises a RangeError for an addrtype it does not know, as CPython raises ValueError', () => {
    for (const addrtype of ['00', '04', 'ff']) {
      const err = thrown(() => tipcFamily.decode(hex(`1e00 ${addrtype} 00 ${'00'.repeat(12)}`), 16, ctx));
      expect(err).toBeInstanceOf(RangeError);
      expect(err.message).toBe(`AF_TIPC address type must be ${TYPES}, got ${parseInt(addrtype, 16)}`);
    }
  });

  it('reads bytes past the kernel\'s length as zero, as CPython\'s zeroed buffer does', () => {
    const scratch = Buffer.alloc(128, 0xff);
    hex('1e00 03 00 2a000000 07000000').copy(scratch);
    expect(tipcFamily.decode(scratch, 16, ctx)).toEqual([TIPC_ADDR_ID, 7, 42, 0, 0]);
    expect(tipcFamily.decode(scratch, 8, ctx)).toEqual([TIPC_ADDR_ID, 0, 42, 0, 0]);
    scratch[2] = TIPC_ADDR_NAMESEQ;
    expect(tipcFamily.decode(scratch, 10, ctx)).toEqual([TIPC_ADDR_NAMESEQ, 42, 7, 0, 0]);
    expect(tipcFamily.decode(scratch, 3, ctx)).toEqual([TIPC_ADDR_NAMESEQ, 0, 0, 0, 0]);
    expect(() => tipcFamily.decode(scratch, 2, ctx)).toThrow(RangeError);
  });
});

describeFamilyConformance(tipcFamily, {
  ctx,
  schema: tipcFamily.schema,
  good: [
    { address: [TIPC_ADDR_NAMESEQ, 2000, 200, 210], decoded: [TIPC_ADDR_NAMESEQ, 2000, 200, 210, TIPC_CLUSTER_SCOPE] },
    { address: [TIPC_ADDR_NAMESEQ, 0xffffffff, 0, 0xffffffff, TIPC_NODE_SCOPE] },
    { address: [TIPC_ADDR_NAMESEQ, 64, 1, 1, -TIPC_NODE_SCOPE] },
    { address: [TIPC_ADDR_NAME, 2000, 205, 0], decoded: [TIPC_ADDR_NAME, 2000, 205, 205, TIPC_CLUSTER_SCOPE] },
    { address: [TIPC_ADDR_NAME, 18888, 17, 17, TIPC_ZONE_SCOPE] },
    { address: [TIPC_ADDR_ID, 0, 1234, 0, 0] },
    { address: [TIPC_ADDR_ID, 0x01001001, 0xffffffff, 99], decoded: [TIPC_ADDR_ID, 0x01001001, 0xffffffff, 0, TIPC_CLUSTER_SCOPE] },
    { address: [TIPC_ADDR_ID, -0, 1, 0, -0], decoded: [TIPC_ADDR_ID, 0, 1, 0, 0] },
  ],
  badType: [
    'x',
    [],
    [TIPC_ADDR_NAME, 1, 2],
    [TIPC_ADDR_NAME, 1, 2, 3, 2, 0],
    [0, 1, 2, 3],
    [4, 1, 2, 3],
    ['1', 1, 2, 3],
    [TIPC_ADDR_NAMESEQ, 1, 2, '3'],
    [TIPC_ADDR_NAMESEQ, 1, 2, 3, null],
    [TIPC_ADDR_NAMESEQ, 1.5, 2, 3],
    [TIPC_ADDR_NAMESEQ, -1, 2, 3, 'x'],
    [9, -1, 2, 3],
    { 0: 1, 1: 1, 2: 2, 3: 3, length: 4 },
  ],
  badRange: [
    [TIPC_ADDR_NAMESEQ, -1, 2, 3],
    [TIPC_ADDR_NAMESEQ, 1, 2 ** 32, 3],
    [TIPC_ADDR_NAMESEQ, 1, 2, 2 ** 53],
    [TIPC_ADDR_NAME, 1, 2, -1],
    [TIPC_ADDR_ID, 1, -2, 0],
    [TIPC_ADDR_NAMESEQ, 1, 2, 3, 128],
    [TIPC_ADDR_NAMESEQ, 1, 2, 3, -129],
    [TIPC_ADDR_NAMESEQ, -1, 2, 3, 300],
  ],
});
