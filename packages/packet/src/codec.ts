/**
 * The AF_PACKET family plugin: `[ifname, proto, pkttype?, hatype?, addr?]`
 * to and from `struct sockaddr_ll`, with CPython's semantics
 * (`getsockaddrarg()` and `makesockaddr()` in Modules/socketmodule.c).
 *
 * @packageDocumentation
 */
import type { AddressContext, FamilyPlugin } from '@bsdsock/core';
import {
  bytesOf, checkInteger, checkRange, interfaceIndex, interfaceName, isBytesLike, isWellFormed, layout, prefix,
  readHostI32, readHostU16, show, writeHostI32, writeHostU16, zeroPadded,
} from '@bsdsock/core/internal';
import { AF_PACKET } from './constants.generated.js';
import { packetAddressSchema, type PacketAddressResult } from './schema.js';

const SLL_SIZE = layout('sockaddr_ll');
const SLL_FAMILY = layout('sockaddr_ll.sll_family');
const SLL_PROTOCOL = layout('sockaddr_ll.sll_protocol');
const SLL_IFINDEX = layout('sockaddr_ll.sll_ifindex');
const SLL_HATYPE = layout('sockaddr_ll.sll_hatype');
const SLL_PKTTYPE = layout('sockaddr_ll.sll_pkttype');
const SLL_HALEN = layout('sockaddr_ll.sll_halen');
const SLL_ADDR = layout('sockaddr_ll.sll_addr');
/** sizeof(sll_addr): 8 on Linux. */
const SLL_ADDR_SIZE = layout('sockaddr_ll.sll_addr.length');

const PACKET = 'AF_PACKET';
const SHAPE = '[ifname: string, proto: number, pkttype?: number, hatype?: number, addr?: bytes]';

/** Byte `i` of the sockaddr the kernel wrote: 0 past `avail`, as in CPython's zeroed buffer. */
function at(bytes: Buffer, avail: number, i: number): number {
  return i < avail ? bytes[i]! : 0;
}

/** A family plugin of this package: the core contract plus the zod schema it documents. */
export interface PacketFamilyPlugin extends FamilyPlugin<PacketAddressResult> {
  /** The zod schema of the addresses `encode` accepts. */
  readonly schema: typeof packetAddressSchema;
}

/**
 * AF_PACKET (`PF_PACKET`): `[ifname, proto, pkttype?, hatype?, addr?]` to
 * and from `struct sockaddr_ll`.
 *
 * `encode` checks the tuple (see {@link packetAddressSchema}), turns the
 * interface name into its index with if_nametoindex(3) (an unknown name, or
 * `''`, raises `OSError` ENODEV as CPython's ioctl does), and writes
 * `sll_protocol` in network byte order, `sll_pkttype`, `sll_hatype` and
 * `addr` with its length in `sll_halen`. The addrlen is
 * `sizeof(struct sockaddr_ll)`.
 *
 * `decode` returns the five items Python's `makesockaddr` does:
 * `[ifname, proto, pkttype, hatype, addr]`, the name looked up with
 * if_indextoname(3) (`''` for index 0 or an index that names no interface),
 * `proto` in host order and `addr` as a Buffer copy of `sll_halen` bytes.
 * Bytes past what the kernel wrote read as zero; an address longer than
 * `sll_addr` (InfiniBand's 20 bytes) is taken as far as the kernel wrote it.
 *
 * @see https://man7.org/linux/man-pages/man7/packet.7.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const packetFamily: PacketFamilyPlugin = {
  family: AF_PACKET,
  name: PACKET,
  schema: packetAddressSchema,

  encode(address: unknown, ctx: AddressContext): Buffer {
    const where = `${prefix(ctx)}${PACKET}`;
    if (!Array.isArray(address) || address.length < 2 || address.length > 5) {
      throw new TypeError(`${where} address must be ${SHAPE}, got ${show(address)}`);
    }
    const name: unknown = address[0];
    if (typeof name !== 'string') {
      throw new TypeError(`${where} ifname must be a string, got ${show(name)}`);
    }
    if (name.includes('\0')) throw new TypeError(`${where} ifname must not contain a NUL character`);
    if (!isWellFormed(name)) throw new TypeError(`${where} ifname must not contain a lone surrogate`);
    const proto = checkInteger(address[1], where, 'proto');
    const pkttype = address[2] === undefined ? 0 : checkInteger(address[2], where, 'pkttype');
    const hatype = address[3] === undefined ? 0 : checkInteger(address[3], where, 'hatype');
    let hwaddr: Buffer | undefined;
    if (address[4] !== undefined) {
      if (!isBytesLike(address[4])) {
        throw new TypeError(`${where} addr must be a bytes-like object, got ${show(address[4])}`);
      }
      hwaddr = bytesOf(address[4]);
      if (hwaddr.length > SLL_ADDR_SIZE) {
        throw new TypeError(`${where} addr must be at most ${SLL_ADDR_SIZE} bytes, got ${hwaddr.length}`);
      }
    }
    checkRange(proto, 0, 0xffff, where, 'proto');
    checkRange(pkttype, 0, 0xff, where, 'pkttype');
    checkRange(hatype, 0, 0xffff, where, 'hatype');
    const ifindex = interfaceIndex(name);

    const buf = Buffer.alloc(SLL_SIZE);
    writeHostU16(buf, AF_PACKET, SLL_FAMILY);
    buf.writeUInt16BE(proto, SLL_PROTOCOL);
    writeHostI32(buf, ifindex, SLL_IFINDEX);
    writeHostU16(buf, hatype, SLL_HATYPE);
    buf[SLL_PKTTYPE] = pkttype;
    if (hwaddr !== undefined) {
      buf[SLL_HALEN] = hwaddr.length;
      hwaddr.copy(buf, SLL_ADDR);
    }
    return buf;
  },

  decode(bytes: Buffer, length: number): PacketAddressResult {
    const avail = Math.min(length, bytes.length);
    const sa = zeroPadded(bytes, length, SLL_SIZE);
    const ifindex = readHostI32(sa, SLL_IFINDEX);
    const halen = Math.min(sa[SLL_HALEN]!, Math.max(SLL_ADDR_SIZE, avail - SLL_ADDR));
    const hwaddr = Buffer.alloc(halen);
    for (let i = 0; i < halen; i++) hwaddr[i] = at(bytes, avail, SLL_ADDR + i);
    return [
      interfaceName(ifindex),
      sa.readUInt16BE(SLL_PROTOCOL),
      sa[SLL_PKTTYPE]!,
      readHostU16(sa, SLL_HATYPE),
      hwaddr,
    ];
  },
};
