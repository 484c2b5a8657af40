/**
 * `struct packet_mreq`, the request of the SOL_PACKET options
 * PACKET_ADD_MEMBERSHIP and PACKET_DROP_MEMBERSHIP.
 *
 * @packageDocumentation
 */
import type { BytesLike } from '@bsdsock/core';
import { bytesOf, isBytesLike, layout, show, writeHostI32, writeHostU16 } from '@bsdsock/core/internal';
import { macBytes } from './mac.js';

const MREQ_SIZE = layout('packet_mreq');
const MR_IFINDEX = layout('packet_mreq.mr_ifindex');
const MR_TYPE = layout('packet_mreq.mr_type');
const MR_ALEN = layout('packet_mreq.mr_alen');
const MR_ADDRESS = layout('packet_mreq.mr_address');
/** sizeof(mr_address): 8 on Linux. */
const MR_ADDRESS_SIZE = layout('packet_mreq.mr_address.length');

/** What {@link packetMreq} takes. */
export interface PacketMreqInit {
  /** The interface's index, `ifNametoindex('eth0')` (a C `int`: 0-2147483647). */
  readonly ifindex: number;
  /** `PACKET_MR_PROMISC`, `PACKET_MR_ALLMULTI`, `PACKET_MR_MULTICAST` or `PACKET_MR_UNICAST`. */
  readonly type: number;
  /**
   * The link-level address of a PACKET_MR_MULTICAST or PACKET_MR_UNICAST
   * membership: a MAC string (`'01:00:5e:00:00:fb'`) or up to 8 bytes. None
   * for the others.
   */
  readonly address?: string | BytesLike;
}

function integer(value: unknown, min: number, max: number, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`packetMreq(): ${field} must be an integer, got ${show(value)}`);
  }
  if (value < min || value > max) throw new RangeError(`packetMreq(): ${field} must be ${min}-${max}, got ${show(value)}`);
  return value;
}

/**
 * The bytes of a `struct packet_mreq`, for
 * `setsockopt(SOL_PACKET, PACKET_ADD_MEMBERSHIP, ...)` and
 * PACKET_DROP_MEMBERSHIP: put an interface in promiscuous or all-multicast
 * mode, or receive a multicast (or extra unicast) link-level address, for as
 * long as the socket is open.
 *
 * @throws TypeError for a field of the wrong type or an address longer than
 *   8 bytes; RangeError for a number out of range.
 * @see https://man7.org/linux/man-pages/man7/packet.7.html (Socket options)
 * @example
 * ```ts
 * const mreq = packetMreq({ ifindex: ifNametoindex('eth0'), type: PACKET_MR_PROMISC });
 * sock.setsockopt(SOL_PACKET, PACKET_ADD_MEMBERSHIP, mreq);
 *
 * const mdns = packetMreq({ ifindex: 2, type: PACKET_MR_MULTICAST, address: '01:00:5e:00:00:fb' });
 * ```
 */
export function packetMreq(init: PacketMreqInit): Buffer {
  if (init === null || typeof init !== 'object') {
    throw new TypeError(`packetMreq() expects { ifindex, type, address? }, got ${show(init)}`);
  }
  const ifindex = integer(init.ifindex, 0, 0x7fffffff, 'ifindex');
  const type = integer(init.type, 0, 0xffff, 'type');
  let address: Buffer | undefined;
  if (typeof init.address === 'string') {
    address = macBytes(init.address, 'packetMreq()', 'address');
  } else if (init.address !== undefined) {
    if (!isBytesLike(init.address)) {
      throw new TypeError(`packetMreq(): address must be a MAC string or bytes, got ${show(init.address)}`);
    }
    address = bytesOf(init.address);
    if (address.length > MR_ADDRESS_SIZE) {
      throw new TypeError(`packetMreq(): address must be at most ${MR_ADDRESS_SIZE} bytes, got ${address.length}`);
    }
  }
  const buf = Buffer.alloc(MREQ_SIZE);
  writeHostI32(buf, ifindex, MR_IFINDEX);
  writeHostU16(buf, type, MR_TYPE);
  if (address !== undefined) {
    writeHostU16(buf, address.length, MR_ALEN);
    address.copy(buf, MR_ADDRESS);
  }
  return buf;
}
