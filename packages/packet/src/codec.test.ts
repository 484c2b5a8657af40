/**
 * The AF_PACKET codec: golden bytes both ways, every class of bad input,
 * and the shared family conformance suite.
 *
 * Golden bytes follow Linux's `struct sockaddr_ll` on a little-endian host:
 * sll_family (host u16, `11 00`), sll_protocol (network order), sll_ifindex
 * (host i32), sll_hatype (host u16), sll_pkttype, sll_halen, sll_addr[8] —
 * what CPython hands the kernel for the same tuple.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OSError, SOCK_RAW, type AddressContext } from '@bsdsock/core';
import { describeFamilyConformance, thrown } from '@bsdsock/test-utils';
import { packetFamily } from './codec.js';
import {
  AF_PACKET, ETH_P_ALL, ETHERTYPE_IP, PACKET_HOST, PACKET_OTHERHOST, PACKET_OUTGOING,
} from './constants.generated.js';

const ctx: AddressContext = { family: AF_PACKET, type: SOCK_RAW, proto: 0, caller: 'bind' };
const LO = Number(readFileSync('/sys/class/net/lo/ifindex', 'utf8'));
/** ARPHRD_LOOPBACK and ARPHRD_ETHER (<linux/if_arp.h>). */
const ARPHRD_LOOPBACK = 772;
const ARPHRD_ETHER = 1;

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const le32 = (n: number): string => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return b.toString('hex');
};
const ZERO8 = '00'.repeat(8);
const MAC_B = '02000000000b';

/** An ifindex that names no interface. */
const NO_IFINDEX = 0x7ffffff0;

describe('AF_PACKET encode', () => {
  it.each([
    [['lo', ETHERTYPE_IP], `1100 0800 ${le32(LO)} 0000 00 00 ${ZERO8}`],
    [['lo', ETH_P_ALL], `1100 0003 ${le32(LO)} 0000 00 00 ${ZERO8}`],
    [['lo', 0], `1100 0000 ${le32(LO)} 0000 00 00 ${ZERO8}`],
    [['lo', 0xffff, 0xff, 0xffff], `1100 ffff ${le32(LO)} ffff ff 00 ${ZERO8}`],
    [['lo', 0x88b5, PACKET_OTHERHOST, ARPHRD_ETHER, hex(MAC_B)], `1100 88b5 ${le32(LO)} 0100 03 06 ${MAC_B}0000`],
    [['lo', 0x0806, PACKET_HOST, 0, Buffer.alloc(0)], `1100 0806 ${le32(LO)} 0000 00 00 ${ZERO8}`],
    [['lo', 1, 0, 0, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])], `1100 0001 ${le32(LO)} 0000 00 08 0102030405060708`],
    [['lo', 1, 0, 0, new Uint8Array([1, 2, 3]).buffer], `1100 0001 ${le32(LO)} 0000 00 03 0102030000000000`],
    [['lo', 2, undefined, 7], `1100 0002 ${le32(LO)} 0700 00 00 ${ZERO8}`],
    [Object.freeze(['lo', 3]), `1100 0003 ${le32(LO)} 0000 00 00 ${ZERO8}`],
  ])('encodes %j: a 2- to 5-element tuple (PKT-03)', (address, golden) => {
    expect(packetFamily.encode(address, ctx)).toEqual(hex(golden));
  });

  it('raises OSError ENODEV for an interface that does not exist, or for "", as CPython does (PKT-06)', () => {
    for (const name of ['bsdsock-nonexistent', '', 'lo'.repeat(10)]) {
      const err = thrown(() => packetFamily.encode([name, 1], ctx)) as OSError;
      expect(err).toBeInstanceOf(OSError);
      expect(err.errno).toBe(19);
      expect(err.code).toBe('ENODEV');
    }
  });

  it('names the family, the field and the caller in its errors (PKT-04, PKT-05)', () => {
    const cases: [unknown, ErrorConstructor | RangeErrorConstructor, string][] = [
      ['lo', TypeError, 'bind(): AF_PACKET address must be [ifname: string, proto: number, pkttype?: number, hatype?: number, addr?: bytes], got "lo"'],
      [['lo'], TypeError, 'bind(): AF_PACKET address must be [ifname: string, proto: number, pkttype?: number, hatype?: number, addr?: bytes], got [ \'lo\' ]'],
      [['lo', 1, 0, 0, Buffer.alloc(0), 1], TypeError, 'bind(): AF_PACKET address must be'],
      [[Buffer.from('lo'), 1], TypeError, 'bind(): AF_PACKET ifname must be a string, got <Buffer 6c 6f>'],
      [['lo\0', 1], TypeError, 'bind(): AF_PACKET ifname must not contain a NUL character'],
      [['\ud800', 1], TypeError, 'bind(): AF_PACKET ifname must not contain a lone surrogate'],
      [['lo', '1'], TypeError, 'bind(): AF_PACKET proto must be an integer, got "1"'],
      [['lo', 1.5], TypeError, 'bind(): AF_PACKET proto must be an integer, got 1.5'],
      [['lo', 1, null], TypeError, 'bind(): AF_PACKET pkttype must be an integer, got null'],
      [['lo', 1, 0, true], TypeError, 'bind(): AF_PACKET hatype must be an integer, got true'],
      [['lo', 1, 0, 0, 'ab'], TypeError, 'bind(): AF_PACKET addr must be a bytes-like object, got "ab"'],
      [['lo', 1, 0, 0, Buffer.alloc(9)], TypeError, 'bind(): AF_PACKET addr must be at most 8 bytes, got 9'],
      [['lo', 70000], RangeError, 'bind(): AF_PACKET proto must be 0-65535, got 70000'],
      [['lo', -1], RangeError, 'bind(): AF_PACKET proto must be 0-65535, got -1'],
      [['lo', 1, 256], RangeError, 'bind(): AF_PACKET pkttype must be 0-255, got 256'],
      [['lo', 1, 0, 65536], RangeError, 'bind(): AF_PACKET hatype must be 0-65535, got 65536'],
    ];
    for (const [address, cls, message] of cases) {
      const err = thrown(() => packetFamily.encode(address, ctx));
      expect(err, JSON.stringify(address)).toBeInstanceOf(cls);
      expect(err.message).toContain(message);
    }
  });

  it('checks every type before any range, and the address before the interface', () => {
    expect(thrown(() => packetFamily.encode(['lo', 70000, 'x'], ctx))).toBeInstanceOf(TypeError);
    expect(thrown(() => packetFamily.encode(['bsdsock-nonexistent', 70000], ctx))).toBeInstanceOf(RangeError);
  });
});

describe('AF_PACKET decode', () => {
  it.each([
    [`1100 0800 ${le32(LO)} 0403 00 06 ${'00'.repeat(6)}0000`, ['lo', ETHERTYPE_IP, PACKET_HOST, ARPHRD_LOOPBACK, Buffer.alloc(6)]],
    [`1100 0800 ${le32(LO)} 0403 04 06 ${'00'.repeat(6)}ffff`, ['lo', ETHERTYPE_IP, PACKET_OUTGOING, ARPHRD_LOOPBACK, Buffer.alloc(6)]],
    [`1100 88b5 ${le32(LO)} 0100 03 06 ${MAC_B}0000`, ['lo', 0x88b5, PACKET_OTHERHOST, ARPHRD_ETHER, hex(MAC_B)]],
    [`1100 ffff ${le32(LO)} ffff ff 08 0102030405060708`, ['lo', 0xffff, 0xff, 0xffff, hex('0102030405060708')]],
    [`1100 0000 00000000 0000 00 00 ${ZERO8}`, ['', 0, 0, 0, Buffer.alloc(0)]],
    [`1100 0003 ${le32(NO_IFINDEX)} 0000 00 00 ${ZERO8}`, ['', ETH_P_ALL, 0, 0, Buffer.alloc(0)]],
    [`1100 0003 ${le32(-5)} 0000 00 00 ${ZERO8}`, ['', ETH_P_ALL, 0, 0, Buffer.alloc(0)]],
  ])('decodes %s', (bytes, address) => {
    const buf = hex(bytes);
    expect(packetFamily.decode(buf, buf.length, ctx)).toEqual(address);
  });

  it('reads bytes past the kernel\'s length as zero, as CPython\'s zeroed buffer does', () => {
    const scratch = Buffer.alloc(128, 0xff);
    hex(`1100 0800 ${le32(LO)} 0403 00`).copy(scratch);
    expect(packetFamily.decode(scratch, 11, ctx)).toEqual(['lo', ETHERTYPE_IP, 0, ARPHRD_LOOPBACK, Buffer.alloc(0)]);
    scratch[11] = 6;
    expect(packetFamily.decode(scratch, 14, ctx)).toEqual(['lo', ETHERTYPE_IP, 0, ARPHRD_LOOPBACK, hex('ffff00000000')]);
    expect(packetFamily.decode(scratch, 2, ctx)).toEqual(['', 0, 0, 0, Buffer.alloc(0)]);
  });

  it('takes an address longer than sll_addr as far as the kernel wrote it (InfiniBand: 20 bytes)', () => {
    const scratch = Buffer.alloc(128, 0xee);
    hex(`1100 8915 ${le32(LO)} 2000 00 14`).copy(scratch);
    for (let i = 0; i < 20; i++) scratch[12 + i] = i;
    const [, , , hatype, addr] = packetFamily.decode(scratch, 32, ctx);
    expect(hatype).toBe(32);
    expect(addr).toEqual(Buffer.from(Array.from({ length: 20 }, (_, i) => i)));
    expect(packetFamily.decode(scratch, 20, ctx)[4]).toEqual(Buffer.from([0, 1, 2, 3, 4, 5, 6, 7]));
  });

  it('returns a copy of the address, not a view of the scratch buffer', () => {
    const buf = hex(`1100 88b5 ${le32(LO)} 0100 00 06 ${MAC_B}0000`);
    const [, , , , addr] = packetFamily.decode(buf, buf.length, ctx);
    buf.fill(0);
    expect(addr).toEqual(hex(MAC_B));
  });
});

describeFamilyConformance(packetFamily, {
  ctx,
  schema: packetFamily.schema,
  good: [
    { address: ['lo', ETHERTYPE_IP], decoded: ['lo', ETHERTYPE_IP, 0, 0, Buffer.alloc(0)] },
    { address: ['lo', ETH_P_ALL, PACKET_OUTGOING, ARPHRD_LOOPBACK, Buffer.alloc(6)] },
    { address: ['lo', 0x88b5, PACKET_OTHERHOST, ARPHRD_ETHER, hex(MAC_B)] },
    { address: ['lo', 0xffff, 0xff, 0xffff, Buffer.alloc(8, 0xab)] },
    { address: ['lo', 1, 2, 3, new Uint8Array([9, 8])], decoded: ['lo', 1, 2, 3, Buffer.from([9, 8])] },
    { address: ['lo', 1, undefined, 3], decoded: ['lo', 1, 0, 3, Buffer.alloc(0)] },
  ],
  badType: [
    'lo',
    ['lo'],
    [],
    ['lo', 1, 0, 0, Buffer.alloc(0), 0],
    [1, 1],
    [Buffer.from('lo'), 1],
    ['lo\0', 1],
    ['lo', '1'],
    ['lo', 1, 0, 0, 'ab'],
    ['lo', 1, 0, 0, Buffer.alloc(9)],
    ['lo', 1, null],
    ['lo', 70000, 'x'],
    { 0: 'lo', 1: 1, length: 2 },
  ],
  badRange: [
    ['lo', 70000],
    ['lo', -1],
    ['lo', 2 ** 53],
    ['lo', 1, 256],
    ['lo', 1, -1],
    ['lo', 1, 0, 65536],
    ['lo', 1, 0, -1],
  ],
});
