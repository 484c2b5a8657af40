/**
 * Bytes-like values, as API.md defines them: any ArrayBufferView or an
 * ArrayBuffer.
 *
 * @internal
 * @packageDocumentation
 */

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

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a string is well-formed UTF-16 (no lone surrogate), so that it has a UTF-8 encoding. */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}
