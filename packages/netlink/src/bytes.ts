/**
 * Host-byte-order reads and writes: netlink headers and attributes are in
 * the byte order of the machine, not the network's.
 *
 * @internal
 * @packageDocumentation
 */
import { endianness } from 'node:os';
import { inspect } from 'node:util';

/** A bytes-like value: any ArrayBufferView (Buffer, Uint8Array, DataView, ...) or an ArrayBuffer. */
export type BytesLike = ArrayBufferView | ArrayBuffer;

const LE = endianness() === 'LE';

export function isBytesLike(value: unknown): value is BytesLike {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer;
}

/** The bytes of a bytes-like value as a Buffer over the same memory. */
export function bytesOf(value: BytesLike): Buffer {
  return ArrayBuffer.isView(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : Buffer.from(value);
}

export const writeU16 = (b: Buffer, v: number, at: number): number => (LE ? b.writeUInt16LE(v, at) : b.writeUInt16BE(v, at));
export const writeU32 = (b: Buffer, v: number, at: number): number => (LE ? b.writeUInt32LE(v, at) : b.writeUInt32BE(v, at));
export const writeI32 = (b: Buffer, v: number, at: number): number => (LE ? b.writeInt32LE(v, at) : b.writeInt32BE(v, at));
export const readU16 = (b: Buffer, at: number): number => (LE ? b.readUInt16LE(at) : b.readUInt16BE(at));
export const readU32 = (b: Buffer, at: number): number => (LE ? b.readUInt32LE(at) : b.readUInt32BE(at));
export const readI32 = (b: Buffer, at: number): number => (LE ? b.readInt32LE(at) : b.readInt32BE(at));

/** A one-line rendering of a bad value for an error message. */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return 'function';
  let text: string;
  try {
    text = inspect(value, { depth: 1, breakLength: Infinity, maxArrayLength: 8, maxStringLength: 80 });
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** Checks an integer argument: TypeError for a non-integer, RangeError outside `min`-`max`. */
export function integer(value: unknown, min: number, max: number, where: string, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${where}: ${field} must be an integer, got ${show(value)}`);
  }
  if (value < min || value > max) throw new RangeError(`${where}: ${field} must be ${min}-${max}, got ${show(value)}`);
  return value;
}
