/**
 * The checks the CAN codec and helpers share beyond core's: integers in a
 * range, flags, option objects and `canid_t`.
 *
 * @internal
 * @packageDocumentation
 */
import { checkInteger, checkRange, show } from '@bsdsock/core/internal';

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
