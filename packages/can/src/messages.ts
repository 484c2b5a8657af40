/**
 * How the CAN codec and helpers show a bad value in an error message, the
 * `caller(): ` prefix of address errors, and the integer checks the
 * helpers share.
 *
 * @internal
 * @packageDocumentation
 */
import { inspect } from 'node:util';
import type { AddressContext } from '@bsdsock/core';

const MAX_SHOWN = 80;

/** A one-line rendering of what the caller gave: strings quoted, numbers as written, the rest as `util.inspect` shows it. */
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
        text = inspect(value, { depth: 1, breakLength: Infinity, maxArrayLength: 8, maxStringLength: MAX_SHOWN });
      } catch {
        text = Object.prototype.toString.call(value);
      }
      return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
    }
  }
}

/** `bind(): `, or nothing when there is no caller. */
export function prefix(ctx: AddressContext | undefined): string {
  return ctx?.caller ? `${ctx.caller}(): ` : '';
}

/** `value` as an integer: TypeError for anything else (NaN, 1.5, '1', 1n). */
export function checkInteger(value: unknown, where: string, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${where} ${field} must be an integer, got ${show(value)}`);
  }
  return value;
}

/** RangeError unless `min <= value <= max`. */
export function checkRange(value: number, min: number, max: number, where: string, field: string): number {
  if (value < min || value > max) throw new RangeError(`${where} ${field} must be ${min}-${max}, got ${show(value)}`);
  return value;
}

/** An integer in `min`-`max`: {@link checkInteger}, then {@link checkRange}. */
export function integer(value: unknown, min: number, max: number, where: string, field: string): number {
  return checkRange(checkInteger(value, where, field), min, max, where, field);
}

/** `value` as an optional boolean flag: TypeError for anything but `true`, `false` or `undefined`. */
export function flag(value: unknown, where: string, field: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new TypeError(`${where} ${field} must be a boolean, got ${show(value)}`);
  return value;
}

/** TypeError `${expected}, got ...` unless `value` is a non-null, non-array object (a helper's options). */
export function checkObject(value: unknown, expected: string): asserts value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError(`${expected}, got ${show(value)}`);
  }
}

/** The smallest `canid_t` bsdsock takes: JavaScript's `|` makes `id | CAN_EFF_FLAG` an int32. */
export const CANID_MIN = -0x8000_0000;

/**
 * A `canid_t` (a u32 that carries flags in its top bits) as its unsigned
 * value. A negative int32 stands for the same 32 bits, since JavaScript's
 * `0x123 | CAN_EFF_FLAG` is negative (CPython's `k` converter wraps too);
 * RangeError outside -2147483648-4294967295.
 */
export function checkCanId(value: number, where: string, field: string): number {
  if (value < CANID_MIN || value > 0xffffffff) {
    throw new RangeError(`${where} ${field} must be 0-4294967295 (or the int32 that id | CAN_EFF_FLAG gives), got ${show(value)}`);
  }
  return value >>> 0;
}
