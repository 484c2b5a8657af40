/**
 * The small pieces every module of this package shares: bytes-like values
 * as API.md defines them, host byte order, and how an error message shows
 * what the caller gave.
 *
 * @internal
 * @packageDocumentation
 */
import { endianness } from 'node:os';
import { inspect } from 'node:util';
import type { AddressContext } from '@bsdsock/core';

/** A bytes-like value: any ArrayBufferView (Buffer, Uint8Array, DataView, ...) or an ArrayBuffer. */
export type BytesLike = ArrayBufferView | ArrayBuffer;

/** Whether `value` is bytes-like. */
export function isBytesLike(value: unknown): value is BytesLike {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer;
}

/** The bytes of a bytes-like value, as a Buffer over the same memory. */
export function bytesOf(value: BytesLike): Buffer {
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
}

const HOST_LE = endianness() === 'LE';

/** Writes a u16 in host byte order (`sa_family`, `hci_dev`). */
export function writeHostU16(buf: Buffer, value: number, offset: number): void {
  if (HOST_LE) buf.writeUInt16LE(value, offset);
  else buf.writeUInt16BE(value, offset);
}

/** Writes a u32 in host byte order (`hci_filter` masks). */
export function writeHostU32(buf: Buffer, value: number, offset: number): void {
  if (HOST_LE) buf.writeUInt32LE(value >>> 0, offset);
  else buf.writeUInt32BE(value >>> 0, offset);
}

/** Reads a u32 in host byte order. */
export function readHostU32(buf: Buffer, offset: number): number {
  return HOST_LE ? buf.readUInt32LE(offset) : buf.readUInt32BE(offset);
}

/** Reads a u16 in host byte order. */
export function readHostU16(buf: Buffer, offset: number): number {
  return HOST_LE ? buf.readUInt16LE(offset) : buf.readUInt16BE(offset);
}

/** What the caller gave, on one line: strings quoted, the rest as `util.inspect` shows it. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' && Object.is(value, -0)) return '-0';
  if (typeof value === 'bigint') return `${value}n`;
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
