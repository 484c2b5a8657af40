/**
 * `@bsdsock/packet`: the AF_PACKET address family for bsdsock — raw
 * link-level sockets (packet(7)) on Linux.
 *
 * Importing this package registers AF_PACKET (`PF_PACKET`) with
 * `@bsdsock/core`, so that packet sockets take and return Python's
 * `[ifname, proto, pkttype, hatype, addr]` addresses. It also exports
 * Python's `PACKET_*`, `ETH_P_ALL` and `ETHERTYPE_*` constants, SOL_PACKET
 * with the membership options, and helpers for Ethernet headers and
 * `struct packet_mreq`.
 *
 * Packet sockets need CAP_NET_RAW (root); without it `new Socket(AF_PACKET, ...)`
 * raises `PermissionError`.
 *
 * @example
 * ```ts
 * import { Socket, SOCK_RAW } from '@bsdsock/core';
 * import { htons } from '@bsdsock/inet';
 * import { AF_PACKET, ETH_P_ALL, parseEthernetHeader } from '@bsdsock/packet';
 *
 * const sniffer = new Socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
 * sniffer.bind(['lo', ETH_P_ALL]);
 * const [frame, [ifname, proto, pkttype]] = await sniffer.recvfrom(65535);
 * console.log(ifname, proto.toString(16), pkttype, parseEthernetHeader(frame).src);
 * ```
 * @see https://man7.org/linux/man-pages/man7/packet.7.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 * @packageDocumentation
 */
import { registerFamily } from '@bsdsock/core';
import { packetFamily } from './codec.js';
import type { AF_PACKET } from './constants.generated.js';
import type { PacketAddressResult } from './schema.js';

declare module '@bsdsock/core' {
  /** A `Socket<typeof AF_PACKET>` returns `[ifname, proto, pkttype, hatype, addr]`. */
  interface AddressTypes {
    [AF_PACKET]: PacketAddressResult;
  }
}

registerFamily(packetFamily);

export * from './constants.generated.js';
export { packetFamily, type PacketFamilyPlugin } from './codec.js';
export {
  packetAddressSchema,
  type PacketAddress,
  type PacketAddressResult,
} from './schema.js';
export {
  buildEthernetHeader,
  parseEthernetHeader,
  type EthernetHeader,
  type EthernetHeaderInit,
  type VlanTag,
} from './ethernet.js';
export { parseMac, formatMac } from './mac.js';
export { packetMreq, type PacketMreqInit } from './mreq.js';
