/**
 * The AF_PACKET address as a zod schema: the documented contract of what
 * `bind`, `sendto` and friends accept on a packet socket. The codec checks
 * the same rules by hand; the conformance suite proves that both accept the
 * same addresses and fail with the same error class.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import type { BytesLike } from '@bsdsock/core';
import { isBytesLike, isWellFormed } from '@bsdsock/core/internal';

/** A bytes-like value: any ArrayBufferView (Buffer, Uint8Array, DataView, ...) or an ArrayBuffer. */
export const bytesLikeSchema = z.custom<BytesLike>(isBytesLike, { message: 'expected a bytes-like object' });

/**
 * An interface name as `ip link` shows it (`'lo'`, `'eth0'`): a string
 * without NUL characters. Whether the interface exists is found out when the
 * address is used (`OSError` ENODEV otherwise), not here.
 */
export const ifnameSchema = z
  .string()
  .refine((name) => !name.includes('\0'), { message: 'ifname must not contain a NUL character' })
  .refine(isWellFormed, { message: 'ifname must not contain a lone surrogate' });

/** An ethertype in host order, 0-65535: `ETH_P_ALL`, `ETHERTYPE_IP`, `0x88b5`, ... */
export const protoSchema = z.number().int().min(0).max(0xffff);

/** A packet type, 0-255: `PACKET_HOST`, `PACKET_OUTGOING`, ... */
export const pkttypeSchema = z.number().int().min(0).max(0xff);

/** An ARP hardware type, 0-65535 (`ARPHRD_ETHER` 1, `ARPHRD_LOOPBACK` 772 in <linux/if_arp.h>). */
export const hatypeSchema = z.number().int().min(0).max(0xffff);

/** A hardware address: at most 8 bytes (the size of `sll_addr`). */
export const hwaddrSchema = bytesLikeSchema.refine(
  (b) => (ArrayBuffer.isView(b) ? b.byteLength : b.byteLength) <= 8,
  { message: 'addr must be at most 8 bytes' },
);

/**
 * An AF_PACKET address as given: `[ifname, proto, pkttype?, hatype?, addr?]`,
 * Python's 2- to 5-tuple. `proto` is the ethertype in host order (the codec
 * stores it in network order, as `htons` would); `pkttype` defaults to
 * `PACKET_HOST`, `hatype` to 0 and `addr` (the destination's hardware
 * address, for `sendto` on SOCK_DGRAM) to none. An item given as
 * `undefined` takes its default.
 *
 * Differences from CPython, which takes `pkttype` and `hatype` as any C
 * `int` and silently truncates them to the kernel's u8 and u16: here a
 * value outside 0-255 / 0-65535 is a RangeError. A name that is not a
 * string, or that holds a NUL, is a TypeError (CPython: TypeError /
 * ValueError), and so is an `addr` longer than 8 bytes (CPython:
 * ValueError `Hardware address must be 8 bytes or less`).
 *
 * @example
 * ```ts
 * sock.bind(['lo', ETH_P_ALL]);
 * await sock.sendto(payload, ['veth0', 0x88b5, PACKET_HOST, 0, parseMac('02:00:00:00:00:0b')]);
 * ```
 * @see https://man7.org/linux/man-pages/man7/packet.7.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const packetAddressSchema = z
  .tuple([
    ifnameSchema,
    protoSchema,
    pkttypeSchema.optional(),
    hatypeSchema.optional(),
    hwaddrSchema.optional(),
  ])
  .readonly();

/** An AF_PACKET address as given: `[ifname, proto, pkttype?, hatype?, addr?]`. */
export type PacketAddress = z.output<typeof packetAddressSchema>;

/**
 * An AF_PACKET address as bsdsock returns it (`getsockname`, `recvfrom`):
 * always five items, as Python's `(ifname, proto, pkttype, hatype, addr)`.
 * `ifname` is `''` when the index names no interface (an unbound socket),
 * `proto` the ethertype in host order, `addr` the hardware address as
 * bytes (`sll_halen` of them: the sender's on `recvfrom`).
 */
export type PacketAddressResult = readonly [ifname: string, proto: number, pkttype: number, hatype: number, addr: Buffer];
