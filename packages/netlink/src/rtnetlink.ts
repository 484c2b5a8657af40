/**
 * The fixed headers of NETLINK_ROUTE messages: `struct rtgenmsg` (a dump
 * request's family) and `struct ifinfomsg` (a link), laid out as
 * <linux/rtnetlink.h> defines them, in host byte order.
 *
 * @packageDocumentation
 */
import { parseAttributes, type Attribute } from './attributes.js';
import { bytesOf, integer, isBytesLike, readI32, readU16, readU32, show, writeI32, writeU16, writeU32, type BytesLike } from './bytes.js';

/** sizeof(struct ifinfomsg). */
const IFINFOMSG_SIZE = 16;

/** A link's fixed header. */
export interface Ifinfomsg {
  /** ifi_family: AF_UNSPEC (0) for a link. */
  readonly family: number;
  /** ifi_type: the ARPHRD_* hardware type (1 Ethernet, 772 loopback). */
  readonly type: number;
  /** ifi_index: the interface index. */
  readonly index: number;
  /** ifi_flags: IFF_* (IFF_UP 0x1, IFF_LOOPBACK 0x8, ...). */
  readonly flags: number;
  /** ifi_change: which flags a request changes (0xffffffff: all). */
  readonly change: number;
}

/**
 * The bytes of a `struct rtgenmsg`: one byte, the address family of a dump
 * request (`AF_UNSPEC` for all). ({@link buildMessage} pads it.)
 * @example
 * ```ts
 * buildMessage({ type: RTM_GETADDR, flags: NLM_F_REQUEST | NLM_F_DUMP, payload: buildRtgenmsg(AF_INET) });
 * ```
 */
export function buildRtgenmsg(family: number): Buffer {
  return Buffer.of(integer(family, 0, 0xff, 'buildRtgenmsg()', 'family'));
}

/**
 * The bytes of a `struct ifinfomsg` (16 bytes), the fixed header of the
 * RTM_*LINK messages; every field defaults to 0.
 * @example
 * ```ts
 * buildIfinfomsg({ index: ifNametoindex('lo') });
 * ```
 */
export function buildIfinfomsg(init: Partial<Ifinfomsg> = {}): Buffer {
  const where = 'buildIfinfomsg()';
  if (init === null || typeof init !== 'object') {
    throw new TypeError(`${where} expects { family?, type?, index?, flags?, change? }, got ${show(init)}`);
  }
  const buf = Buffer.alloc(IFINFOMSG_SIZE);
  buf[0] = init.family === undefined ? 0 : integer(init.family, 0, 0xff, where, 'family');
  writeU16(buf, init.type === undefined ? 0 : integer(init.type, 0, 0xffff, where, 'type'), 2);
  writeI32(buf, init.index === undefined ? 0 : integer(init.index, -0x80000000, 0x7fffffff, where, 'index'), 4);
  writeU32(buf, init.flags === undefined ? 0 : integer(init.flags, 0, 0xffffffff, where, 'flags'), 8);
  writeU32(buf, init.change === undefined ? 0 : integer(init.change, 0, 0xffffffff, where, 'change'), 12);
  return buf;
}

/** A parsed link message: its `struct ifinfomsg` and the attributes after it. */
export interface ParsedIfinfomsg extends Ifinfomsg {
  /** The IFLA_* attributes (views of the payload: copy what you keep). */
  readonly attributes: Attribute[];
}

/**
 * Reads an RTM_NEWLINK (or RTM_DELLINK) message's payload: the
 * `struct ifinfomsg` it starts with and the IFLA_* attributes after it.
 * @throws RangeError when the payload is shorter than 16 bytes or its
 *   attributes are malformed.
 * @example
 * ```ts
 * const { index, attributes } = parseIfinfomsg(msg.payload);
 * const name = attributeString(attributes.find((a) => a.type === IFLA_IFNAME)!.value);
 * ```
 */
export function parseIfinfomsg(payload: BytesLike): ParsedIfinfomsg {
  if (!isBytesLike(payload)) throw new TypeError(`parseIfinfomsg() expects a bytes-like object, got ${show(payload)}`);
  const b = bytesOf(payload);
  if (b.length < IFINFOMSG_SIZE) {
    throw new RangeError(`parseIfinfomsg(): an ifinfomsg is ${IFINFOMSG_SIZE} bytes, the payload has ${b.length}`);
  }
  return {
    family: b[0]!,
    type: readU16(b, 2),
    index: readI32(b, 4),
    flags: readU32(b, 8),
    change: readU32(b, 12),
    attributes: parseAttributes(b.subarray(IFINFOMSG_SIZE)),
  };
}
