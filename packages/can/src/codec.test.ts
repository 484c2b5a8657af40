/**
 * The AF_CAN codec: golden bytes both ways for each protocol's address,
 * every class of bad input with its message, and the shared family
 * conformance suite once per protocol (CAN-04, CAN-05, CAN-13 at the codec
 * level; the kernel tests repeat them on real sockets).
 *
 * Golden bytes follow Linux's `struct sockaddr_can` on a little-endian
 * host: can_family (host u16, `1d00`), 2 bytes of padding, can_ifindex
 * (host i32), then the 16-byte `can_addr` union: zero for CAN_RAW/CAN_BCM;
 * `tp.rx_id`, `tp.tx_id` (host u32) for CAN_ISOTP; `j1939.name` (host u64),
 * `j1939.pgn` (host u32), `j1939.addr` (u8) and 3 bytes of padding for
 * CAN_J1939 — what CPython hands the kernel for the same tuple.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OSError, SOCK_DGRAM, SOCK_RAW, type AddressContext } from '@bsdsock/core';
import { describeFamilyConformance, thrown } from '@bsdsock/test-utils';
import { canFamily } from './codec.js';
import {
  AF_CAN, CAN_BCM, CAN_EFF_FLAG, CAN_ISOTP, CAN_J1939, CAN_RAW, J1939_NO_ADDR, J1939_NO_NAME, J1939_NO_PGN,
  J1939_PGN_REQUEST, PF_CAN,
} from './constants.generated.js';
import { canAddressSchema, canIsotpAddressSchema, canJ1939AddressSchema, canRawAddressSchema } from './schema.js';
import { expectErrors, hex, le32, le64, type ErrorCase } from '../test/helpers.js';

const ctxOf = (proto: number, caller = 'bind'): AddressContext => ({
  family: AF_CAN, type: proto === CAN_RAW ? SOCK_RAW : SOCK_DGRAM, proto, caller,
});
const RAW = ctxOf(CAN_RAW);
const BCM = ctxOf(CAN_BCM, 'connect');
const ISOTP = ctxOf(CAN_ISOTP);
const J1939 = ctxOf(CAN_J1939, 'sendto');
/** CAN_TP16, CAN_TP20 and CAN_MCNET (<linux/can.h>): protocols with no address form in CPython. */
const UNSUPPORTED = [3, 4, 5, 0, 99];

const LO = Number(readFileSync('/sys/class/net/lo/ifindex', 'utf8'));
/** An ifindex that names no interface. */
const NO_IFINDEX = 0x7ffffff0;

const ZERO16 = '00'.repeat(16);

describe('AF_CAN encode', () => {
  it('PF_CAN is AF_CAN (29)', () => {
    expect([AF_CAN, PF_CAN]).toEqual([29, 29]);
  });

  it.each([
    [RAW, ['lo'], `1d00 0000 ${le32(LO)} ${ZERO16}`],
    [RAW, [''], `1d00 0000 00000000 ${ZERO16}`],
    [BCM, ['lo'], `1d00 0000 ${le32(LO)} ${ZERO16}`],
    [RAW, Object.freeze(['']), `1d00 0000 00000000 ${ZERO16}`],
    [ISOTP, ['lo', 0x123, 0x456], `1d00 0000 ${le32(LO)} 23010000 56040000 ${'00'.repeat(8)}`],
    [ISOTP, ['', 0, 0xffffffff], `1d00 0000 00000000 00000000 ffffffff ${'00'.repeat(8)}`],
    [ISOTP, ['lo', 0x18da00f1 | CAN_EFF_FLAG, 0x7e0], `1d00 0000 ${le32(LO)} f100da98 e0070000 ${'00'.repeat(8)}`],
    [J1939, ['lo', J1939_NO_NAME, J1939_NO_PGN, J1939_NO_ADDR], `1d00 0000 ${le32(LO)} ${le64(0n)} 00000400 ff 000000`],
    [J1939, ['lo', 0x0123456789abcdefn, J1939_PGN_REQUEST, 0x20], `1d00 0000 ${le32(LO)} efcdab8967452301 00ea0000 20 000000`],
    [J1939, ['', 0xffff_ffff_ffff_ffffn, 0xffffffff, 0], `1d00 0000 00000000 ffffffffffffffff ffffffff 00 000000`],
  ])('%# encodes %j', (ctx, address, golden) => {
    expect(canFamily.encode(address, ctx)).toEqual(hex(golden));
  });

  it('is sizeof(struct sockaddr_can) long: the addrlen CPython passes', () => {
    for (const [ctx, address] of [[RAW, ['']], [ISOTP, ['', 1, 2]], [J1939, ['', 0n, 0, 0]]] as const) {
      expect(canFamily.encode(address, ctx).length).toBe(24);
    }
  });

  it('raises OSError ENODEV for an interface that does not exist, as CPython\'s ioctl does (CAN-05)', () => {
    for (const [ctx, address] of [[RAW, ['bsdsock-none']], [ISOTP, ['bsdsock-none', 1, 2]], [J1939, ['nope', 0n, 0, 0]]] as const) {
      const err = thrown(() => canFamily.encode(address, ctx)) as OSError;
      expect(err).toBeInstanceOf(OSError);
      expect([err.errno, err.code]).toEqual([19, 'ENODEV']);
    }
  });

  it('raises OSError "AF_CAN interface name too long" for a name of 16 bytes or more, before any lookup (CAN-04)', () => {
    const cases = [
      [RAW, ['x'.repeat(1024)]],
      [ISOTP, ['x'.repeat(1024), 1, 2]],
      [J1939, ['x'.repeat(16), 0n, 0, 0]],
      [RAW, ['é'.repeat(8)]],
    ] as const;
    for (const [ctx, address] of cases) {
      const err = thrown(() => canFamily.encode(address, ctx)) as OSError;
      expect(err).toBeInstanceOf(OSError);
      expect(err.message).toMatch(/interface name too long/);
      expect(err.message).toContain(`${ctx.caller}(): AF_CAN`);
      expect(err.errno).toBeNull();
    }
    const fifteen = thrown(() => canFamily.encode(['x'.repeat(15)], RAW)) as OSError;
    expect(fifteen.errno).toBe(19);
  });

  it('raises OSError "unsupported CAN protocol" for a protocol CPython has no address for, whatever the address (CAN-05)', () => {
    for (const proto of UNSUPPORTED) {
      const err = thrown(() => canFamily.encode(['lo'], ctxOf(proto)));
      expect(err).toBeInstanceOf(OSError);
      expect(err.message).toBe('bind(): unsupported CAN protocol');
      expect(thrown(() => canFamily.encode('lo', ctxOf(proto)))).toBeInstanceOf(OSError);
    }
  });

  it('names the caller, the family and the field in its errors (CAN-05)', () => {
    const cases: [AddressContext, unknown, ErrorConstructor | RangeErrorConstructor, string][] = [
      [RAW, 'vcan0', TypeError, 'bind(): AF_CAN address must be [interface: string] for CAN_RAW, got "vcan0"'],
      [RAW, [], TypeError, 'bind(): AF_CAN address must be [interface: string] for CAN_RAW, got []'],
      [RAW, ['vcan0', 1], TypeError, 'bind(): AF_CAN address must be [interface: string] for CAN_RAW, got [ \'vcan0\', 1 ]'],
      [BCM, ['vcan0', 1], TypeError, 'connect(): AF_CAN address must be [interface: string] for CAN_BCM'],
      [RAW, [5], TypeError, 'bind(): AF_CAN interface must be a string, got 5'],
      [RAW, [Buffer.from('lo')], TypeError, 'bind(): AF_CAN interface must be a string, got <Buffer 6c 6f>'],
      [RAW, ['lo\0'], TypeError, 'bind(): AF_CAN interface must not contain a NUL character'],
      [RAW, ['\ud800'], TypeError, 'bind(): AF_CAN interface must not contain a lone surrogate'],
      [ISOTP, ['lo', 1], TypeError, 'bind(): AF_CAN address must be [interface: string, rx_addr: number, tx_addr: number] for CAN_ISOTP, got'],
      [ISOTP, 'lo', TypeError, 'bind(): AF_CAN address must be [interface: string, rx_addr: number, tx_addr: number] for CAN_ISOTP'],
      [ISOTP, ['lo', '1', 2], TypeError, 'bind(): AF_CAN rx_addr must be an integer, got "1"'],
      [ISOTP, ['lo', 1, 2.5], TypeError, 'bind(): AF_CAN tx_addr must be an integer, got 2.5'],
      [ISOTP, ['lo', 1n, 2], TypeError, 'bind(): AF_CAN rx_addr must be an integer, got 1n'],
      [ISOTP, ['lo', -(2 ** 31) - 1, 2], RangeError, 'bind(): AF_CAN rx_addr must be 0-4294967295 (or the int32 that id | CAN_EFF_FLAG gives), got -2147483649'],
      [ISOTP, ['lo', 1, 2 ** 32], RangeError, 'bind(): AF_CAN tx_addr must be 0-4294967295 (or the int32 that id | CAN_EFF_FLAG gives), got 4294967296'],
      [J1939, ['lo', 0n, 0], TypeError, 'sendto(): AF_CAN address must be [interface: string, name: bigint, pgn: number, addr: number] for CAN_J1939'],
      [J1939, ['lo', 0, 0, 0], TypeError, 'sendto(): AF_CAN name must be a bigint, got 0'],
      [J1939, ['lo', 0n, null, 0], TypeError, 'sendto(): AF_CAN pgn must be an integer, got null'],
      [J1939, ['lo', 0n, 0, '1'], TypeError, 'sendto(): AF_CAN addr must be an integer, got "1"'],
      [J1939, ['lo', -1n, 0, 0], RangeError, 'sendto(): AF_CAN name must be 0n-18446744073709551615n, got -1n'],
      [J1939, ['lo', 2n ** 64n, 0, 0], RangeError, 'sendto(): AF_CAN name must be 0n-18446744073709551615n, got 18446744073709551616n'],
      [J1939, ['lo', 0n, -1, 0], RangeError, 'sendto(): AF_CAN pgn must be 0-4294967295, got -1'],
      [J1939, ['lo', 0n, 0, 256], RangeError, 'sendto(): AF_CAN addr must be 0-255, got 256'],
    ];
    const encode = (input: unknown): Buffer => {
      const [ctx, address] = input as [AddressContext, unknown];
      return canFamily.encode(address, ctx);
    };
    expectErrors(encode, cases.map(([ctx, address, cls, message]): ErrorCase => [[ctx, address], cls, message]));
  });

  it('checks every type before any range, and the address before the interface', () => {
    expect(thrown(() => canFamily.encode(['lo', 2 ** 32, 'x'], ISOTP))).toBeInstanceOf(TypeError);
    expect(thrown(() => canFamily.encode(['lo', -1n, 0, 'x'], J1939))).toBeInstanceOf(TypeError);
    expect(thrown(() => canFamily.encode(['bsdsock-none', 2 ** 32, 0], ISOTP))).toBeInstanceOf(RangeError);
    expect(thrown(() => canFamily.encode(['x'.repeat(99), 0n, 0, 256], J1939))).toBeInstanceOf(RangeError);
  });
});

describe('AF_CAN decode', () => {
  it.each([
    [RAW, `1d00 0000 ${le32(LO)} ${ZERO16}`, ['lo']],
    [RAW, `1d00 0000 00000000 ${ZERO16}`, ['']],
    [BCM, `1d00 0000 ${le32(LO)} ${'ff'.repeat(16)}`, ['lo']],
    [RAW, `1d00 0000 ${le32(NO_IFINDEX)} ${ZERO16}`, ['']],
    [RAW, `1d00 0000 ${le32(-3)} ${ZERO16}`, ['']],
    [ISOTP, `1d00 0000 ${le32(LO)} 23010000 56040000 ${'00'.repeat(8)}`, ['lo', 0x123, 0x456]],
    [ISOTP, `1d00 0000 00000000 ffffffff 00000080 ${'ee'.repeat(8)}`, ['', 0xffffffff, 0x80000000]],
    [J1939, `1d00 0000 ${le32(LO)} ${le64(0n)} 00000400 ff 000000`, ['lo', 0n, J1939_NO_PGN, J1939_NO_ADDR]],
    [J1939, `1d00 0000 ${le32(LO)} efcdab8967452301 00ea0000 20 ffffff`, ['lo', 0x0123456789abcdefn, J1939_PGN_REQUEST, 0x20]],
    [J1939, `1d00 0000 00000000 ffffffffffffffff ffffffff fe 000000`, ['', 0xffff_ffff_ffff_ffffn, 0xffffffff, 0xfe]],
  ])('%# decodes %s', (ctx, bytes, address) => {
    const buf = hex(bytes);
    expect(canFamily.decode(buf, buf.length, ctx)).toEqual(address);
  });

  it('returns the form of the socket\'s protocol: [interface] for any protocol but ISOTP and J1939 (CAN-13)', () => {
    const buf = hex(`1d00 0000 ${le32(LO)} 01000000 02000000 03 ${'00'.repeat(7)}`);
    for (const proto of [CAN_RAW, CAN_BCM, ...UNSUPPORTED]) expect(canFamily.decode(buf, 24, ctxOf(proto))).toEqual(['lo']);
    expect(canFamily.decode(buf, 24, ISOTP)).toEqual(['lo', 1, 2]);
    expect(canFamily.decode(buf, 24, J1939)).toEqual(['lo', 0x200000001n, 3, 0]);
    expect(typeof canFamily.decode(buf, 24, J1939)[1]).toBe('bigint');
  });

  it('reads bytes past the kernel\'s length as zero, as CPython\'s zeroed buffer does (CAN_RAW recvfrom writes 8)', () => {
    const scratch = Buffer.alloc(128, 0xff);
    hex(`1d00 0000 ${le32(LO)}`).copy(scratch);
    expect(canFamily.decode(scratch, 8, RAW)).toEqual(['lo']);
    expect(canFamily.decode(scratch, 8, ISOTP)).toEqual(['lo', 0, 0]);
    expect(canFamily.decode(scratch, 12, ISOTP)).toEqual(['lo', 0xffffffff, 0]);
    expect(canFamily.decode(scratch, 8, J1939)).toEqual(['lo', 0n, 0, 0]);
    expect(canFamily.decode(scratch, 2, RAW)).toEqual(['']);
    expect(canFamily.decode(hex('1d00'), 24, J1939)).toEqual(['', 0n, 0, 0]);
  });
});

describe('AF_CAN schemas', () => {
  it('canAddressSchema picks the form of the protocol, and none for a protocol without one', () => {
    expect(canAddressSchema(CAN_RAW)).toBe(canRawAddressSchema);
    expect(canAddressSchema(CAN_BCM)).toBe(canRawAddressSchema);
    expect(canAddressSchema(CAN_ISOTP)).toBe(canIsotpAddressSchema);
    expect(canAddressSchema(CAN_J1939)).toBe(canJ1939AddressSchema);
    expect(canAddressSchema(3)).toBeUndefined();
    expect(canFamily.schemaFor(CAN_ISOTP)).toBe(canIsotpAddressSchema);
  });
});

describe('CAN_RAW', () => {
  describeFamilyConformance(canFamily, {
    ctx: RAW,
    schema: canRawAddressSchema,
    good: [{ address: ['lo'] }, { address: [''] }],
    badType: ['lo', [], ['lo', 0], [1], [Buffer.from('lo')], ['lo\0'], [null], { 0: 'lo', length: 1 }, new Set(['lo'])],
    badRange: [],
  });
});

describe('CAN_BCM', () => {
  describeFamilyConformance(canFamily, {
    ctx: BCM,
    schema: canRawAddressSchema,
    good: [{ address: ['lo'] }, { address: [''] }],
    badType: ['lo', [['lo']], ['lo', 'lo'], [undefined]],
    badRange: [],
  });
});

describe('CAN_ISOTP', () => {
  describeFamilyConformance(canFamily, {
    ctx: ISOTP,
    schema: canIsotpAddressSchema,
    good: [
      { address: ['lo', 0x123, 0x456] },
      { address: ['', 0, 0xffffffff] },
      { address: ['lo', 0x18da00f1 | CAN_EFF_FLAG, 0x18daf100 | CAN_EFF_FLAG], decoded: ['lo', 0x98da00f1, 0x98daf100] },
      { address: ['lo', -0, 0], decoded: ['lo', 0, 0] },
      { address: ['lo', -1, -(2 ** 31)], decoded: ['lo', 0xffffffff, 0x80000000] },
    ],
    badType: ['lo', ['lo'], ['lo', 1], ['lo', 1, 2, 3], [1, 2, 3], ['lo', '1', 2], ['lo', 1, NaN], ['lo', 1.5, 2], ['lo', 1n, 2]],
    badRange: [['lo', -(2 ** 31) - 1, 0], ['lo', 0, 2 ** 32], ['lo', 2 ** 53, 0], ['bsdsock-none', 2 ** 32, 0]],
  });
});

describe('CAN_J1939', () => {
  describeFamilyConformance(canFamily, {
    ctx: J1939,
    schema: canJ1939AddressSchema,
    good: [
      { address: ['lo', J1939_NO_NAME, J1939_NO_PGN, J1939_NO_ADDR] },
      { address: ['', 0xffff_ffff_ffff_ffffn, 0xffffffff, 0] },
      { address: ['lo', 0x0123456789abcdefn, 0x12300, 0x20] },
    ],
    badType: [
      'lo', ['lo', 0n, 0], ['lo', 0n, 0, 0, 0], ['lo', 0, 0, 0], ['lo', 0n, '0', 0], ['lo', 0n, 0, 0.5],
      [0, 0n, 0, 0], ['lo', 0n, 0n, 0],
    ],
    badRange: [['lo', -1n, 0, 0], ['lo', 2n ** 64n, 0, 0], ['lo', 0n, 2 ** 32, 0], ['lo', 0n, 0, 256], ['lo', 0n, 0, -1]],
  });
});
