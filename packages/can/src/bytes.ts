/**
 * Bytes-like values as API.md defines them, and reads and writes in host
 * byte order: every field of the SocketCAN structures (`can_id`, `ifindex`,
 * the J1939 NAME, BCM's timevals) is in the byte order of the machine.
 *
 * @internal
 * @packageDocumentation
 */
import { endianness } from 'node:os';

/** A bytes-like value: any ArrayBufferView (Buffer, Uint8Array, DataView, ...) or an ArrayBuffer. */
export type BytesLike = ArrayBufferView | ArrayBuffer;

/** Whether `value` is bytes-like. */
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
export function writeU16(buf: Buffer, value: number, offset: number): void {
  if (LE) buf.writeUInt16LE(value, offset);
  else buf.writeUInt16BE(value, offset);
}

/** Writes a u32 in host byte order. */
export function writeU32(buf: Buffer, value: number, offset: number): void {
  if (LE) buf.writeUInt32LE(value, offset);
  else buf.writeUInt32BE(value, offset);
}

/** Reads a u32 in host byte order. */
export function readU32(buf: Buffer, offset: number): number {
  return LE ? buf.readUInt32LE(offset) : buf.readUInt32BE(offset);
}

/** Writes an i32 in host byte order. */
export function writeI32(buf: Buffer, value: number, offset: number): void {
  if (LE) buf.writeInt32LE(value, offset);
  else buf.writeInt32BE(value, offset);
}

/** Reads an i32 in host byte order. */
export function readI32(buf: Buffer, offset: number): number {
  return LE ? buf.readInt32LE(offset) : buf.readInt32BE(offset);
}

/** Writes a u64 in host byte order. */
export function writeU64(buf: Buffer, value: bigint, offset: number): void {
  if (LE) buf.writeBigUInt64LE(value, offset);
  else buf.writeBigUInt64BE(value, offset);
}

/** Reads a u64 in host byte order. */
export function readU64(buf: Buffer, offset: number): bigint {
  return LE ? buf.readBigUInt64LE(offset) : buf.readBigUInt64BE(offset);
}

/** Writes a C `long` of `size` bytes (8 on LP64, 4 on 32-bit platforms) in host byte order. */
export function writeLong(buf: Buffer, value: number, offset: number, size: number): void {
  if (size === 8) {
    if (LE) buf.writeBigInt64LE(BigInt(value), offset);
    else buf.writeBigInt64BE(BigInt(value), offset);
  } else {
    writeI32(buf, value, offset);
  }
}

/** Reads a C `long` of `size` bytes in host byte order (as a number: the values BCM takes fit). */
export function readLong(buf: Buffer, offset: number, size: number): number {
  if (size === 8) return Number(LE ? buf.readBigInt64LE(offset) : buf.readBigInt64BE(offset));
  return readI32(buf, offset);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a string is well-formed UTF-16 (so it has a UTF-8 encoding). */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
