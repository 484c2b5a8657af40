/**
 * Bytes-like values as API.md defines them, and how an error message shows
 * what the caller gave.
 *
 * @internal
 * @packageDocumentation
 */
import { inspect } from 'node:util';
import type { AddressContext } from '@bsdsock/core';

/** A bytes-like value: any ArrayBufferView (Buffer, Uint8Array, DataView, ...) or an ArrayBuffer. */
export type BytesLike = ArrayBufferView | ArrayBuffer;

/** The bytes of a bytes-like value as a Buffer over the same memory, or `null` for anything else. */
export function bytesOrNull(value: unknown): Buffer | null {
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return null;
}

/** What the caller gave, on one line: strings quoted, the rest as `util.inspect` shows it. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  try {
    return inspect(value, { depth: 1, breakLength: Infinity, maxArrayLength: 8, maxStringLength: 60 });
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** `bind(): `, as Python starts its address errors, or nothing when there is no caller. */
export function prefix(ctx: AddressContext | undefined): string {
  return ctx?.caller ? `${ctx.caller}(): ` : '';
}
