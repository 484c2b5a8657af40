/**
 * The small pieces the in-repo family packages share: bytes-like values as
 * API.md defines them, reads and writes in host byte order, the sockaddr a
 * kernel wrote padded to its struct, and the way an address error names its
 * caller and shows the bad value. One copy here keeps the families' error
 * messages alike.
 *
 * Exported through `@bsdsock/core/internal`: no stability promise.
 *
 * @packageDocumentation
 */
import { constants as osConstants, endianness } from 'node:os';
import { inspect } from 'node:util';
import { OSError } from './errors.js';
import type { AddressContext } from './family.js';
import { ifIndextoname, ifNametoindex } from './netif.js';
import type { BytesLike } from './validators.js';

/** Whether `value` is bytes-like: any ArrayBufferView (Buffer, Uint8Array, DataView, ...) or an ArrayBuffer. */
export function isBytesLike(value: unknown): value is BytesLike {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer;
}

/** The bytes of a bytes-like value as a Buffer over the same memory (no copy). */
export function bytesOf(value: BytesLike): Buffer {
  return ArrayBuffer.isView(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : Buffer.from(value);
}

const LE = endianness() === 'LE';

/** Writes a u16 in host byte order. */
export function writeHostU16(buf: Buffer, value: number, offset: number): void {
  if (LE) buf.writeUInt16LE(value, offset);
  else buf.writeUInt16BE(value, offset);
}

/** Reads a u16 in host byte order. */
export function readHostU16(buf: Buffer, offset: number): number {
  return LE ? buf.readUInt16LE(offset) : buf.readUInt16BE(offset);
}

/** Writes a u32 in host byte order. */
export function writeHostU32(buf: Buffer, value: number, offset: number): void {
  if (LE) buf.writeUInt32LE(value, offset);
  else buf.writeUInt32BE(value, offset);
}

/** Reads a u32 in host byte order. */
export function readHostU32(buf: Buffer, offset: number): number {
  return LE ? buf.readUInt32LE(offset) : buf.readUInt32BE(offset);
}

/** Writes an i32 in host byte order. */
export function writeHostI32(buf: Buffer, value: number, offset: number): void {
  if (LE) buf.writeInt32LE(value, offset);
  else buf.writeInt32BE(value, offset);
}

/** Reads an i32 in host byte order. */
export function readHostI32(buf: Buffer, offset: number): number {
  return LE ? buf.readInt32LE(offset) : buf.readInt32BE(offset);
}

/** Writes a u64 in host byte order. */
export function writeHostU64(buf: Buffer, value: bigint, offset: number): void {
  if (LE) buf.writeBigUInt64LE(value, offset);
  else buf.writeBigUInt64BE(value, offset);
}

/** Reads a u64 in host byte order. */
export function readHostU64(buf: Buffer, offset: number): bigint {
  return LE ? buf.readBigUInt64LE(offset) : buf.readBigUInt64BE(offset);
}

/** Writes a C `long` of `size` bytes (8 on LP64, 4 on 32-bit platforms) in host byte order. */
export function writeHostLong(buf: Buffer, value: number, offset: number, size: number): void {
  if (size !== 8) writeHostI32(buf, value, offset);
  else if (LE) buf.writeBigInt64LE(BigInt(value), offset);
  else buf.writeBigInt64BE(BigInt(value), offset);
}

/** Reads a C `long` of `size` bytes in host byte order, as a number. */
export function readHostLong(buf: Buffer, offset: number, size: number): number {
  if (size !== 8) return readHostI32(buf, offset);
  return Number(LE ? buf.readBigInt64LE(offset) : buf.readBigInt64BE(offset));
}

/** The UTF-8 text of `size` bytes at `offset`, up to the first NUL, as C's strlen sees it. */
export function readCString(buf: Buffer, offset: number, size: number): string {
  const field = buf.subarray(offset, offset + size);
  const end = field.indexOf(0);
  return field.toString('utf8', 0, end < 0 ? field.length : end);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a string is well-formed UTF-16 (so it has a UTF-8 encoding, as CPython's `s` format needs). */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/**
 * The first `size` bytes of a sockaddr the kernel wrote `length` bytes of:
 * `bytes` itself when it holds them all, else a zeroed copy (CPython reads
 * into a zeroed buffer, so bytes past `length` read as zero).
 */
export function zeroPadded(bytes: Buffer, length: number, size: number): Buffer {
  const avail = Math.min(length, bytes.length);
  if (avail >= size) return bytes;
  const out = Buffer.alloc(size);
  bytes.copy(out, 0, 0, avail);
  return out;
}

const MAX_SHOWN = 80;

/** A one-line rendering of what the caller gave, at most 80 characters: strings quoted, numbers as written, the rest as `util.inspect` shows it. */
export function show(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return value.toString();
    case 'function':
      return 'function';
    case 'undefined':
    case 'boolean':
      return String(value);
    default: {
      let text: string;
      try {
        text = inspect(value, { depth: 1, breakLength: Infinity, compact: true, maxArrayLength: 8, maxStringLength: MAX_SHOWN });
      } catch {
        text = Object.prototype.toString.call(value);
      }
      return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
    }
  }
}

/** `bind(): `, as Python starts its address errors, or nothing when there is no caller. */
export function prefix(ctx: AddressContext | undefined): string {
  return ctx?.caller ? `${ctx.caller}(): ` : '';
}

/** `value` as an integer: TypeError `${where} ${field} must be an integer` for anything else (NaN, 1.5, '1', 1n). */
export function checkInteger(value: unknown, where: string, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${where} ${field} must be an integer, got ${show(value)}`);
  }
  return value;
}

/** `value`, or RangeError `${where} ${field} must be min-max` unless `min <= value <= max`. */
export function checkRange(value: number, min: number, max: number, where: string, field: string): number {
  if (value < min || value > max) throw new RangeError(`${where} ${field} must be ${min}-${max}, got ${show(value)}`);
  return value;
}

const ENODEV = osConstants.errno.ENODEV;

/**
 * The index of interface `name`, as CPython's SIOCGIFINDEX ioctl finds it:
 * an unknown name (or `''`) raises `OSError` ENODEV.
 */
export function interfaceIndex(name: string): number {
  try {
    return ifNametoindex(name);
  } catch (err) {
    if (err instanceof OSError && err.errno === null) throw new OSError(ENODEV, undefined, 'if_nametoindex');
    throw err;
  }
}

/** The name of interface `index`, or `''` for 0 or an index that names none, as CPython's SIOCGIFNAME lookup gives it. */
export function interfaceName(index: number): string {
  if (index <= 0) return '';
  try {
    return ifIndextoname(index);
  } catch {
    return '';
  }
}
