/**
 * Bytes-like values as API.md defines them (any ArrayBufferView, or an
 * ArrayBuffer), and the host byte order of the kernel's structures.
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

const LITTLE_ENDIAN = endianness() === 'LE';

/** Writes a u16 in host byte order (sll_family, sll_hatype, mr_type, ...). */
export function writeHostU16(buf: Buffer, value: number, offset: number): void {
  if (LITTLE_ENDIAN) buf.writeUInt16LE(value, offset);
  else buf.writeUInt16BE(value, offset);
}

/** Reads a u16 in host byte order. */
export function readHostU16(buf: Buffer, offset: number): number {
  return LITTLE_ENDIAN ? buf.readUInt16LE(offset) : buf.readUInt16BE(offset);
}

/** Writes an i32 in host byte order (sll_ifindex, mr_ifindex). */
export function writeHostI32(buf: Buffer, value: number, offset: number): void {
  if (LITTLE_ENDIAN) buf.writeInt32LE(value, offset);
  else buf.writeInt32BE(value, offset);
}

/** Reads an i32 in host byte order. */
export function readHostI32(buf: Buffer, offset: number): number {
  return LITTLE_ENDIAN ? buf.readInt32LE(offset) : buf.readInt32BE(offset);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a string is well-formed UTF-16 (so it has a UTF-8 encoding). */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
