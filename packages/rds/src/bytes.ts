/**
 * Bytes-like hosts, as API.md defines bytes-like values: any
 * ArrayBufferView or an ArrayBuffer.
 *
 * @internal
 * @packageDocumentation
 */
import { isUtf8 } from 'node:buffer';

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

/** Whether a host (text or bytes) holds a NUL, which no C string can. */
export function hasNul(host: string | BytesLike): boolean {
  return typeof host === 'string' ? host.includes('\0') : bytesOf(host).includes(0);
}

/**
 * The text of a host: a string as it is; bytes that are valid UTF-8 as
 * UTF-8 (the C library then sees the very bytes Python would pass), any
 * other bytes as Latin-1.
 */
export function hostText(host: string | BytesLike): string {
  if (typeof host === 'string') return host;
  const bytes = bytesOf(host);
  return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
}
