/**
 * Ethernet II headers for SOCK_RAW packet sockets, which send and receive
 * whole frames: build the 14-byte header (18 with an IEEE 802.1Q VLAN tag)
 * in front of a payload, and parse it off a received frame.
 *
 * @packageDocumentation
 */
import type { BytesLike } from '@bsdsock/core';
import { bytesOf, isBytesLike, show } from '@bsdsock/core/internal';
import { formatMac, macBytes } from './mac.js';

/** The length of an Ethernet II header: destination, source, ethertype (IEEE 802.3). */
const ETH_HLEN = 14;
/** The length of an 802.1Q tag: its TPID (0x8100) and TCI. */
const VLAN_HLEN = 4;
/** The 802.1Q tag protocol identifier (ETHERTYPE_VLAN): fixed by IEEE 802.1Q, the same on every platform. */
const TPID_8021Q = 0x8100;

/** An IEEE 802.1Q VLAN tag. */
export interface VlanTag {
  /** The VLAN identifier, 0-4095. */
  readonly id: number;
  /** The priority code point, 0-7 (default 0). */
  readonly priority?: number;
  /** The drop eligible indicator (default false). */
  readonly dei?: boolean;
}

/** What {@link buildEthernetHeader} takes. */
export interface EthernetHeaderInit {
  /** The destination MAC: `'aa:bb:cc:dd:ee:ff'` (or `-` separated), or 6 bytes. */
  readonly dst: string | BytesLike;
  /** The source MAC, in the same forms. */
  readonly src: string | BytesLike;
  /** The ethertype of the payload, 0-65535: `ETHERTYPE_IP`, `0x88b5`, ... */
  readonly ethertype: number;
  /** An 802.1Q tag to insert between the source and the ethertype. */
  readonly vlan?: VlanTag;
}

/** A parsed Ethernet header. */
export interface EthernetHeader {
  /** The destination MAC, lower-case `'aa:bb:cc:dd:ee:ff'`. */
  readonly dst: string;
  /** The source MAC, lower-case. */
  readonly src: string;
  /** The payload's ethertype (after the VLAN tag, when there is one). */
  readonly ethertype: number;
  /** The 802.1Q tag, when the frame has one. */
  readonly vlan?: Required<VlanTag>;
  /** The header's length in bytes: 14, or 18 with a VLAN tag. */
  readonly headerLength: number;
  /** The rest of the frame, a view of the same memory (no copy). */
  readonly payload: Buffer;
}

function integer(value: unknown, max: number, where: string, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${where}: ${field} must be an integer, got ${show(value)}`);
  }
  if (value < 0 || value > max) throw new RangeError(`${where}: ${field} must be 0-${max}, got ${show(value)}`);
  return value;
}

/**
 * The Ethernet II header of a frame to send on a SOCK_RAW packet socket:
 * destination MAC, source MAC, an optional 802.1Q tag, and the ethertype
 * in network byte order. Append the payload and send the whole frame with
 * `sendto(frame, [ifname, proto])` (the kernel does not add a header to
 * SOCK_RAW frames; on SOCK_DGRAM it builds one itself from the address).
 *
 * @throws TypeError for a MAC that is not `'aa:bb:cc:dd:ee:ff'` or 6 bytes,
 *   or a field of the wrong type; RangeError for a number out of range.
 * @see https://man7.org/linux/man-pages/man7/packet.7.html
 * @example
 * ```ts
 * const header = buildEthernetHeader({ dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:0a', ethertype: 0x88b5 });
 * await sock.sendto(Buffer.concat([header, payload]), ['veth0', 0x88b5]);
 * ```
 */
export function buildEthernetHeader(header: EthernetHeaderInit): Buffer {
  const where = 'buildEthernetHeader()';
  if (header === null || typeof header !== 'object') {
    throw new TypeError(`${where} expects { dst, src, ethertype, vlan? }, got ${show(header)}`);
  }
  const dst = macBytes(header.dst, where, 'dst');
  const src = macBytes(header.src, where, 'src');
  const ethertype = integer(header.ethertype, 0xffff, where, 'ethertype');
  const vlan = header.vlan;
  const tagged = vlan !== undefined;
  const buf = Buffer.alloc(ETH_HLEN + (tagged ? VLAN_HLEN : 0));
  dst.copy(buf, 0);
  src.copy(buf, 6);
  let at = 12;
  if (tagged) {
    if (vlan === null || typeof vlan !== 'object') {
      throw new TypeError(`${where}: vlan must be { id, priority?, dei? }, got ${show(vlan)}`);
    }
    const id = integer(vlan.id, 0xfff, where, 'vlan.id');
    const priority = vlan.priority === undefined ? 0 : integer(vlan.priority, 7, where, 'vlan.priority');
    if (vlan.dei !== undefined && typeof vlan.dei !== 'boolean') {
      throw new TypeError(`${where}: vlan.dei must be a boolean, got ${show(vlan.dei)}`);
    }
    buf.writeUInt16BE(TPID_8021Q, at);
    buf.writeUInt16BE((priority << 13) | (vlan.dei ? 0x1000 : 0) | id, at + 2);
    at += VLAN_HLEN;
  }
  buf.writeUInt16BE(ethertype, at);
  return buf;
}

/**
 * Parses the Ethernet II header at the start of a frame received on a
 * SOCK_RAW packet socket: the MACs as lower-case text, the ethertype, one
 * 802.1Q tag if present, and the payload after the header.
 *
 * (Linux usually strips a VLAN tag that the network card parsed and reports
 * it in PACKET_AUXDATA instead; a tag left in the frame is parsed here.)
 *
 * @throws TypeError when `frame` is not bytes-like; RangeError when it is
 *   shorter than the header.
 * @example
 * ```ts
 * const [frame, address] = await sock.recvfrom(65535);
 * const { src, ethertype, payload } = parseEthernetHeader(frame);
 * ```
 */
export function parseEthernetHeader(frame: BytesLike): EthernetHeader {
  if (!isBytesLike(frame)) throw new TypeError(`parseEthernetHeader() expects a bytes-like object, got ${show(frame)}`);
  const b = bytesOf(frame);
  if (b.length < ETH_HLEN) {
    throw new RangeError(`parseEthernetHeader(): a frame of ${b.length} bytes is shorter than an Ethernet header (${ETH_HLEN})`);
  }
  const dst = formatMac(b.subarray(0, 6));
  const src = formatMac(b.subarray(6, 12));
  let ethertype = b.readUInt16BE(12);
  if (ethertype === TPID_8021Q && b.length >= ETH_HLEN + VLAN_HLEN) {
    const tci = b.readUInt16BE(14);
    ethertype = b.readUInt16BE(16);
    const vlan = { id: tci & 0xfff, priority: tci >>> 13, dei: (tci & 0x1000) !== 0 };
    return { dst, src, ethertype, vlan, headerLength: ETH_HLEN + VLAN_HLEN, payload: b.subarray(ETH_HLEN + VLAN_HLEN) };
  }
  return { dst, src, ethertype, headerLength: ETH_HLEN, payload: b.subarray(ETH_HLEN) };
}
