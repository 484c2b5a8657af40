/**
 * Netlink attributes (`struct rtattr` / `struct nlattr`): the
 * type-length-value records that follow a message's fixed header. Each is a
 * u16 length (of the header and the value, unpadded), a u16 type, the value,
 * and padding to a multiple of 4 bytes; all in host byte order.
 *
 * @packageDocumentation
 */
import { bytesOf, integer, isBytesLike, readU16, readU32, show, writeU16, type BytesLike } from './bytes.js';
import { NLA_TYPE_MASK } from './constants.js';

/** The length of an attribute's header: rta_len and rta_type. */
const RTA_HDRLEN = 4;

/** `n` rounded up to the netlink alignment, 4 bytes (NLMSG_ALIGN, RTA_ALIGN). */
export function nlAlign(n: number): number {
  return (n + 3) & ~3;
}

/** An attribute to build. */
export interface AttributeInit {
  /** The attribute type (IFLA_IFNAME, ...), with NLA_F_NESTED / NLA_F_NET_BYTEORDER if wanted: 0-65535. */
  readonly type: number;
  /**
   * The value: bytes as they are; a string as UTF-8 with a terminating NUL
   * (as IFLA_IFNAME and other names want); an array of attributes to nest.
   */
  readonly value: BytesLike | string | readonly AttributeInit[];
}

/** An attribute as parsed. */
export interface Attribute {
  /** The type, without the NLA_F_NESTED and NLA_F_NET_BYTEORDER bits. */
  readonly type: number;
  /** Those two bits of the type field (0 when neither is set). */
  readonly flags: number;
  /** The value (without padding), a view of the parsed buffer: copy what you keep. */
  readonly value: Buffer;
}

function valueBytes(value: unknown, where: string, depth: number): Buffer {
  if (typeof value === 'string') return Buffer.from(`${value}\0`, 'utf8');
  if (isBytesLike(value)) return bytesOf(value);
  if (Array.isArray(value)) {
    if (depth > 32) throw new RangeError(`${where}: attributes nested deeper than 32 levels`);
    return encode(value, where, depth + 1);
  }
  throw new TypeError(`${where}: an attribute value must be bytes, a string or an array of attributes, got ${show(value)}`);
}

function encode(attrs: readonly unknown[], where: string, depth: number): Buffer {
  const parts: Buffer[] = [];
  for (const attr of attrs) {
    if (attr === null || typeof attr !== 'object') {
      throw new TypeError(`${where}: an attribute must be { type, value }, got ${show(attr)}`);
    }
    const { type, value } = attr as AttributeInit;
    const t = integer(type, 0, 0xffff, where, 'attribute type');
    const v = valueBytes(value, where, depth);
    const length = RTA_HDRLEN + v.length;
    if (length > 0xffff) throw new RangeError(`${where}: an attribute of ${v.length} bytes does not fit rta_len (u16)`);
    const buf = Buffer.alloc(nlAlign(length));
    writeU16(buf, length, 0);
    writeU16(buf, t, 2);
    v.copy(buf, RTA_HDRLEN);
    parts.push(buf);
  }
  return Buffer.concat(parts);
}

/**
 * The bytes of a list of attributes, each padded to 4 bytes, ready to follow
 * a message's fixed header ({@link buildMessage} takes them directly).
 *
 * @throws TypeError for an attribute of the wrong shape; RangeError for a
 *   type out of 0-65535 or a value too long for rta_len.
 * @see https://man7.org/linux/man-pages/man7/rtnetlink.7.html
 * @example
 * ```ts
 * buildAttributes([{ type: IFLA_IFNAME, value: 'lo' }]); // <Buffer 07 00 03 00 6c 6f 00 00>
 * ```
 */
export function buildAttributes(attributes: readonly AttributeInit[]): Buffer {
  if (!Array.isArray(attributes)) {
    throw new TypeError(`buildAttributes() expects an array of { type, value }, got ${show(attributes)}`);
  }
  return encode(attributes, 'buildAttributes()', 0);
}

/**
 * Splits bytes into the attributes they hold: the attributes after a
 * message's fixed header, or the value of a nested attribute.
 *
 * @throws TypeError when `data` is not bytes-like; RangeError when an
 *   attribute's length is smaller than its header or runs past the end.
 * @example
 * ```ts
 * const attrs = parseAttributes(message.payload.subarray(16));   // after the ifinfomsg
 * const name = attributeString(attrs.find((a) => a.type === IFLA_IFNAME)!.value);
 * ```
 */
export function parseAttributes(data: BytesLike): Attribute[] {
  if (!isBytesLike(data)) throw new TypeError(`parseAttributes() expects a bytes-like object, got ${show(data)}`);
  const b = bytesOf(data);
  const out: Attribute[] = [];
  let at = 0;
  while (at < b.length) {
    if (b.length - at < RTA_HDRLEN) {
      throw new RangeError(`parseAttributes(): ${b.length - at} bytes at offset ${at} are too few for an attribute header`);
    }
    const length = readU16(b, at);
    const type = readU16(b, at + 2);
    if (length < RTA_HDRLEN || at + length > b.length) {
      throw new RangeError(`parseAttributes(): the attribute at offset ${at} has rta_len ${length}, but ${b.length - at} bytes are left`);
    }
    out.push({ type: type & NLA_TYPE_MASK, flags: type & ~NLA_TYPE_MASK, value: b.subarray(at + RTA_HDRLEN, at + length) });
    at += nlAlign(length);
  }
  return out;
}

/** An attribute's value as a string: UTF-8 up to the first NUL (IFLA_IFNAME, IFLA_QDISC, ...). */
export function attributeString(value: BytesLike): string {
  if (!isBytesLike(value)) throw new TypeError(`attributeString() expects a bytes-like object, got ${show(value)}`);
  const b = bytesOf(value);
  const end = b.indexOf(0);
  return b.toString('utf8', 0, end < 0 ? b.length : end);
}

/**
 * An attribute's value as a u32 in host byte order (IFLA_MTU, IFLA_LINK, ...).
 * @throws RangeError when the value is shorter than 4 bytes.
 */
export function attributeU32(value: BytesLike): number {
  if (!isBytesLike(value)) throw new TypeError(`attributeU32() expects a bytes-like object, got ${show(value)}`);
  const b = bytesOf(value);
  if (b.length < 4) throw new RangeError(`attributeU32(): a u32 needs 4 bytes, the value has ${b.length}`);
  return readU32(b, 0);
}
