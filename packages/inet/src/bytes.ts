/**
 * Bytes-like values, as API.md defines them: any ArrayBufferView or an
 * ArrayBuffer.
 *
 * @internal
 * @packageDocumentation
 */
import { isUtf8 } from 'node:buffer';

/** Whether `value` is a bytes-like object: any ArrayBufferView or an ArrayBuffer. */
export function isBytesLike(value: unknown): value is ArrayBufferView | ArrayBuffer {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer;
}

/** The bytes of a bytes-like object, as a Buffer over the same memory (no copy). */
export function bytesOf(value: ArrayBufferView | ArrayBuffer): Buffer {
  return ArrayBuffer.isView(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : Buffer.from(value);
}

/** Whether a host (text or bytes) holds a NUL, which no C string can. */
export function hasNul(host: string | ArrayBufferView | ArrayBuffer): boolean {
  return typeof host === 'string' ? host.includes('\0') : bytesOf(host).includes(0);
}

/**
 * The text of a host given as bytes. Python hands the bytes to the C library
 * unchanged; a JavaScript string reaches getaddrinfo as UTF-8, so bytes that
 * are valid UTF-8 are decoded as such (the library then sees the very same
 * bytes) and any other bytes as Latin-1.
 */
export function bytesHostText(value: ArrayBufferView | ArrayBuffer): string {
  const bytes = bytesOf(value);
  return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
}
