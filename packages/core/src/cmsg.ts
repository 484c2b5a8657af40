/**
 * Ancillary data (control messages): Python's `CMSG_LEN` / `CMSG_SPACE`,
 * and the packing and parsing of `[level, type, data]` triples for
 * `sendmsg` / `recvmsg`, with the layout the system headers give.
 *
 * @see https://man7.org/linux/man-pages/man3/cmsg.3.html
 * @packageDocumentation
 */
import { endianness } from 'node:os';
import { binding } from './binding.js';
import { OSError } from './errors.js';
import { checkBytes, typeName } from './validators.js';

const L = binding.layouts;
const C = binding.constants as Record<string, number>;
const HDR = L['CMSG_LEN(0)']!; // CMSG_ALIGN(sizeof(struct cmsghdr))
const ALIGN = L['CMSG_SPACE(1)']! - L['CMSG_SPACE(0)']!; // the alignment unit
const LEN_OFF = L['cmsghdr.cmsg_len']!;
const LEN_SIZE = L['cmsghdr.cmsg_len.size']!;
const LEVEL_OFF = L['cmsghdr.cmsg_level']!;
const TYPE_OFF = L['cmsghdr.cmsg_type']!;
const INT = L.int!;
const LE = endianness() === 'LE';
/** CPython's SOCKLEN_T_LIMIT. */
const LIMIT = 0x7fff_ffff;
const SOL_SOCKET = C.SOL_SOCKET!;
const SCM_RIGHTS = C.SCM_RIGHTS!;

/** An ancillary data item as Python gives and takes it. */
export type AncillaryItem = [level: number, type: number, data: Buffer];

function align(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

function checkLength(length: unknown, name: string): number {
  if (typeof length !== 'number' || !Number.isInteger(length)) {
    throw new TypeError(`${name}() argument must be an integer, not ${typeName(length)}`);
  }
  return length;
}

/**
 * The length of a control message whose data is `length` bytes: the
 * `cmsg_len` to give it (no trailing padding).
 * @see https://docs.python.org/3/library/socket.html#socket.CMSG_LEN
 */
export function CMSG_LEN(length: number): number {
  const n = checkLength(length, 'CMSG_LEN');
  if (n < 0 || n > LIMIT - HDR) throw new RangeError('CMSG_LEN() argument out of range');
  return HDR + n;
}

/**
 * The buffer space a control message with `length` data bytes takes,
 * padding included: add these up for `recvmsg`'s `ancbufsize`.
 * @see https://docs.python.org/3/library/socket.html#socket.CMSG_SPACE
 */
export function CMSG_SPACE(length: number): number {
  const n = checkLength(length, 'CMSG_SPACE');
  if (n < 0 || n > LIMIT - L['CMSG_SPACE(1)']!) throw new RangeError('CMSG_SPACE() argument out of range');
  return HDR + align(n);
}

function writeLen(buf: Buffer, off: number, value: number): void {
  if (LEN_SIZE === 8) {
    if (LE) buf.writeBigUInt64LE(BigInt(value), off);
    else buf.writeBigUInt64BE(BigInt(value), off);
  } else if (LE) buf.writeUInt32LE(value, off);
  else buf.writeUInt32BE(value, off);
}

function readLen(buf: Buffer, off: number): number {
  if (LEN_SIZE === 8) {
    const v = LE ? buf.readBigUInt64LE(off) : buf.readBigUInt64BE(off);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
  }
  return LE ? buf.readUInt32LE(off) : buf.readUInt32BE(off);
}

function writeInt(buf: Buffer, off: number, v: number): void {
  if (LE) buf.writeInt32LE(v, off);
  else buf.writeInt32BE(v, off);
}

function readInt(buf: Buffer, off: number): number {
  return LE ? buf.readInt32LE(off) : buf.readInt32BE(off);
}

function isIterable(v: unknown): v is Iterable<unknown> {
  return v !== null && v !== undefined && typeof (v as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

/**
 * Packs `sendmsg`'s ancillary data (an iterable of `[level, type, data]`)
 * into a control buffer, as CPython does: each item takes CMSG_SPACE, the
 * last one only CMSG_LEN. Returns `null` for no items.
 */
export function packAncillary(ancdata: unknown, method: string): Buffer | null {
  if (ancdata === undefined || ancdata === null) return null;
  if (!isIterable(ancdata) || typeof ancdata === 'string' || ArrayBuffer.isView(ancdata)) {
    throw new TypeError(`${method}() argument 2 must be an iterable`);
  }
  const items: [number, number, ArrayBufferView][] = [];
  for (const item of ancdata) {
    if (!isIterable(item) || typeof item === 'string' || ArrayBuffer.isView(item)) {
      throw new TypeError(`[${method}() ancillary data items]() argument must be a sequence of length 3, not ${typeName(item)}`);
    }
    const parts = [...item];
    if (parts.length !== 3) {
      throw new TypeError(`[${method}() ancillary data items]() argument must be sequence of length 3, not ${parts.length}`);
    }
    const [level, type, data] = parts;
    if (typeof level !== 'number' || !Number.isInteger(level) || typeof type !== 'number' || !Number.isInteger(type)) {
      throw new TypeError(`${method}(): ancillary data level and type must be integers`);
    }
    if (level < -0x8000_0000 || level > 0x7fff_ffff || type < -0x8000_0000 || type > 0x7fff_ffff) {
      throw new RangeError(`${method}(): ancillary data level and type must fit in a C int`);
    }
    items.push([level, type, checkBytes(data, `${method}() ancillary data`)]);
  }
  if (items.length === 0) return null;
  let total = 0;
  let lastLen = 0;
  for (const [, , data] of items) {
    if (data.byteLength > LIMIT - L['CMSG_SPACE(1)']!) throw new OSError('ancillary data item too large');
    const space = HDR + align(data.byteLength);
    lastLen = total + HDR + data.byteLength;
    total += space;
    if (total > LIMIT) throw new OSError('too much ancillary data');
  }
  const buf = Buffer.alloc(total);
  let off = 0;
  for (const [level, type, data] of items) {
    writeLen(buf, off + LEN_OFF, HDR + data.byteLength);
    writeInt(buf, off + LEVEL_OFF, level);
    writeInt(buf, off + TYPE_OFF, type);
    Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(buf, off + HDR);
    off += HDR + align(data.byteLength);
  }
  return buf.subarray(0, lastLen);
}

/**
 * Parses `length` bytes of control data the kernel wrote into
 * `[level, type, data]` items, as CPython does: a truncated or malformed
 * message yields what is there, a RuntimeWarning, and the end of parsing.
 */
export function parseAncillary(control: Buffer, length: number): AncillaryItem[] {
  const out: AncillaryItem[] = [];
  let off = 0;
  while (off + HDR <= length) {
    const cmsgLen = readLen(control, off + LEN_OFF);
    const level = readInt(control, off + LEVEL_OFF);
    const type = readInt(control, off + TYPE_OFF);
    if (cmsgLen < HDR) {
      warnMalformed();
      break;
    }
    const dataLen = cmsgLen - HDR;
    const available = length - (off + HDR);
    const truncated = dataLen > available;
    const n = truncated ? Math.max(0, available) : dataLen;
    out.push([level, type, Buffer.from(control.subarray(off + HDR, off + HDR + n))]);
    if (truncated) {
      warnMalformed();
      break;
    }
    off += align(cmsgLen);
  }
  return out;
}

function warnMalformed(): void {
  process.emitWarning('received malformed or improperly-truncated ancillary data', 'RuntimeWarning');
}

/** The fds of every SCM_RIGHTS item (whole ints only). */
export function rightsFds(items: readonly AncillaryItem[]): number[] {
  const fds: number[] = [];
  for (const [level, type, data] of items) {
    if (level !== SOL_SOCKET || type !== SCM_RIGHTS) continue;
    for (let i = 0; i + INT <= data.length; i += INT) fds.push(readInt(data, i));
  }
  return fds;
}

/**
 * Closes every fd an SCM_RIGHTS message in raw control data carries: what
 * recvmsg does when it fails after the syscall returned (CPython's
 * `err_closefds`), so no received fd leaks.
 */
export function closeReceivedFds(control: Buffer, length: number): void {
  let items: AncillaryItem[];
  try {
    items = parseAncillary(control, length);
  } catch {
    return;
  }
  for (const fd of rightsFds(items)) binding.close(fd);
}
