/**
 * Netlink messages: `struct nlmsghdr` (16 bytes: length, type, flags,
 * sequence number, port id; host byte order) followed by a payload, each
 * message padded to 4 bytes. One `recv` from a netlink socket may hold
 * several messages; a dump's reply spans several `recv`s and ends with
 * NLMSG_DONE.
 *
 * @packageDocumentation
 */
import { buildAttributes, nlAlign, type AttributeInit } from './attributes.js';
import { bytesOf, integer, isBytesLike, readI32, readU16, readU32, show, writeU16, writeU32, type BytesLike } from './bytes.js';
import { NLMSG_DONE, NLMSG_ERROR } from './constants.js';

/** The length of `struct nlmsghdr` (NLMSG_HDRLEN). */
export const NLMSG_HDRLEN = 16;

/** A message to build. */
export interface NetlinkMessageInit {
  /** nlmsg_type: NLMSG_* or the protocol's (RTM_GETLINK, ...), 0-65535. */
  readonly type: number;
  /** nlmsg_flags: NLM_F_* (a request to the kernel needs NLM_F_REQUEST), 0-65535; default 0. */
  readonly flags?: number;
  /** nlmsg_seq: echoed in the replies, 0-4294967295; default 0. */
  readonly seq?: number;
  /** nlmsg_pid: the sender's port id, 0-4294967295; default 0 (the kernel fills it in). */
  readonly pid?: number;
  /** The protocol's fixed header: an ifinfomsg ({@link buildIfinfomsg}), an rtgenmsg, ... */
  readonly payload?: BytesLike;
  /** Attributes after the fixed header. */
  readonly attributes?: readonly AttributeInit[];
}

/** A parsed message. */
export interface NetlinkMessage {
  /** nlmsg_len: the header's and the payload's length. */
  readonly length: number;
  /** nlmsg_type. */
  readonly type: number;
  /** nlmsg_flags. */
  readonly flags: number;
  /** nlmsg_seq. */
  readonly seq: number;
  /** nlmsg_pid. */
  readonly pid: number;
  /** The bytes after the header, a view of the parsed buffer (copy what you keep). */
  readonly payload: Buffer;
  /**
   * For NLMSG_ERROR and NLMSG_DONE: the `int` the payload starts with —
   * 0 (an acknowledgement, or a dump that ended well) or a negative errno.
   */
  readonly error?: number;
}

/**
 * The bytes of one netlink message: the header, the payload and the
 * attributes. `nlmsg_len` counts the header and the payload (and the
 * attributes, each padded to 4 bytes, with the payload padded before them);
 * the returned buffer is padded to a multiple of 4, so messages can be
 * concatenated into one `send`.
 *
 * @throws TypeError for a field of the wrong type; RangeError for a number
 *   out of range.
 * @see https://man7.org/linux/man-pages/man7/netlink.7.html
 * @example
 * ```ts
 * const request = buildMessage({
 *   type: RTM_GETLINK,
 *   flags: NLM_F_REQUEST | NLM_F_DUMP,
 *   seq: 1,
 *   payload: buildIfinfomsg({ family: AF_UNSPEC }),
 * });
 * await sock.sendto(request, [0, 0]);
 * ```
 */
export function buildMessage(message: NetlinkMessageInit): Buffer {
  const where = 'buildMessage()';
  if (message === null || typeof message !== 'object') {
    throw new TypeError(`${where} expects { type, flags?, seq?, pid?, payload?, attributes? }, got ${show(message)}`);
  }
  const type = integer(message.type, 0, 0xffff, where, 'type');
  const flags = message.flags === undefined ? 0 : integer(message.flags, 0, 0xffff, where, 'flags');
  const seq = message.seq === undefined ? 0 : integer(message.seq, 0, 0xffffffff, where, 'seq');
  const pid = message.pid === undefined ? 0 : integer(message.pid, 0, 0xffffffff, where, 'pid');
  let payload: Buffer = Buffer.alloc(0);
  if (message.payload !== undefined) {
    if (!isBytesLike(message.payload)) throw new TypeError(`${where}: payload must be bytes, got ${show(message.payload)}`);
    payload = bytesOf(message.payload);
  }
  let attributes: Buffer | undefined;
  if (message.attributes !== undefined) {
    if (!Array.isArray(message.attributes)) {
      throw new TypeError(`${where}: attributes must be an array of { type, value }, got ${show(message.attributes)}`);
    }
    attributes = buildAttributes(message.attributes);
  }
  const length = attributes === undefined || attributes.length === 0
    ? NLMSG_HDRLEN + payload.length
    : NLMSG_HDRLEN + nlAlign(payload.length) + attributes.length;
  if (length > 0xffffffff) throw new RangeError(`${where}: a message of ${length} bytes does not fit nlmsg_len`);
  const buf = Buffer.alloc(nlAlign(length));
  writeU32(buf, length, 0);
  writeU16(buf, type, 4);
  writeU16(buf, flags, 6);
  writeU32(buf, seq, 8);
  writeU32(buf, pid, 12);
  payload.copy(buf, NLMSG_HDRLEN);
  attributes?.copy(buf, NLMSG_HDRLEN + nlAlign(payload.length));
  return buf;
}

/**
 * Splits what one `recv` from a netlink socket returned into its messages.
 * NLMSG_ERROR and NLMSG_DONE messages carry their `error` (0 or a negative
 * errno).
 *
 * @throws TypeError when `data` is not bytes-like; RangeError when a
 *   message's length is smaller than its header or runs past the end (a
 *   datagram cut short: give `recv` a larger buffer).
 * @example
 * ```ts
 * for (const msg of parseMessages(await sock.recv(65536))) {
 *   if (msg.type === NLMSG_DONE) break;
 *   if (msg.type === RTM_NEWLINK) console.log(parseIfinfomsg(msg.payload).index);
 * }
 * ```
 */
export function parseMessages(data: BytesLike): NetlinkMessage[] {
  if (!isBytesLike(data)) throw new TypeError(`parseMessages() expects a bytes-like object, got ${show(data)}`);
  const b = bytesOf(data);
  const out: NetlinkMessage[] = [];
  let at = 0;
  while (at < b.length) {
    if (b.length - at < NLMSG_HDRLEN) {
      throw new RangeError(`parseMessages(): ${b.length - at} bytes at offset ${at} are too few for a message header`);
    }
    const length = readU32(b, at);
    if (length < NLMSG_HDRLEN || length > b.length - at) {
      throw new RangeError(`parseMessages(): the message at offset ${at} has nlmsg_len ${length}, but ${b.length - at} bytes are left`);
    }
    const type = readU16(b, at + 4);
    const payload = b.subarray(at + NLMSG_HDRLEN, at + length);
    const message: NetlinkMessage = {
      length,
      type,
      flags: readU16(b, at + 6),
      seq: readU32(b, at + 8),
      pid: readU32(b, at + 12),
      payload,
    };
    out.push((type === NLMSG_ERROR || type === NLMSG_DONE) && payload.length >= 4
      ? { ...message, error: readI32(payload, 0) }
      : message);
    at += nlAlign(length);
  }
  return out;
}
