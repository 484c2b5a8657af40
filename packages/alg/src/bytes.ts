/**
 * Bytes-like values as API.md defines them, host byte order, and the
 * NUL-terminated strings of `struct sockaddr_alg`.
 *
 * @internal
 * @packageDocumentation
 */
import { endianness } from 'node:os';
import type { BytesLike } from '@bsdsock/core';

const LITTLE_ENDIAN = endianness() === 'LE';

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

/** Writes a u32 in host byte order (salg_feat, salg_mask, a control message's u32). */
export function writeHostU32(buf: Buffer, value: number, offset: number): void {
  if (LITTLE_ENDIAN) buf.writeUInt32LE(value, offset);
  else buf.writeUInt32BE(value, offset);
}

/** Reads a u32 in host byte order. */
export function readHostU32(buf: Buffer, offset: number): number {
  return LITTLE_ENDIAN ? buf.readUInt32LE(offset) : buf.readUInt32BE(offset);
}

/** Writes a u16 in host byte order (salg_family). */
export function writeHostU16(buf: Buffer, value: number, offset: number): void {
  if (LITTLE_ENDIAN) buf.writeUInt16LE(value, offset);
  else buf.writeUInt16BE(value, offset);
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
