/**
 * Arrays of `struct can_filter`, the value of the CAN_RAW_FILTER socket
 * option: which frames a CAN_RAW socket receives.
 *
 * @packageDocumentation
 */
import type { BytesLike } from '@bsdsock/core';
import { bytesOf, checkInteger, isBytesLike, layout, readHostU32, show, writeHostU32 } from '@bsdsock/core/internal';
import { CAN_INV_FILTER, CAN_RAW_FILTER_MAX } from './constants.generated.js';
import { checkCanId, checkObject, flag } from './messages.js';

const SIZE = layout('can_filter');
const CAN_ID = layout('can_filter.can_id');
const CAN_MASK = layout('can_filter.can_mask');

/**
 * One receive filter: a frame matches when
 * `received_can_id & canMask === canId & canMask`, or, with `invert`, when
 * it does not.
 *
 * @example
 * ```ts
 * const everythingBut0x123: CanFilter = { canId: 0x123, canMask: CAN_SFF_MASK, invert: true };
 * ```
 * @see https://docs.kernel.org/networking/can.html
 */
export interface CanFilter {
  /** The `can_id` to match, 0-0xffffffff (flags such as `CAN_EFF_FLAG` included; a negative int32 from `|` stands for the same bits). */
  readonly canId: number;
  /** Which bits of the `can_id` must match, 0-0xffffffff (or an int32): `CAN_SFF_MASK`, `CAN_EFF_FLAG | CAN_EFF_MASK`, ... */
  readonly canMask: number;
  /** Sets `CAN_INV_FILTER` in `can_id`: receive the frames that do *not* match. */
  readonly invert?: boolean;
}

/**
 * The bytes of a `struct can_filter` array for
 * `setsockopt(SOL_CAN_RAW, CAN_RAW_FILTER, ...)`. A socket receives the
 * frames that match any filter (all of them with `CAN_RAW_JOIN_FILTERS`);
 * an empty array receives nothing. A CAN_RAW socket starts with one filter
 * that matches everything.
 *
 * @throws TypeError for a filter that is not `{ canId, canMask, invert? }`;
 *   RangeError for a number out of -0x80000000-0xffffffff or more than
 *   `CAN_RAW_FILTER_MAX` (512) filters.
 * @see https://docs.kernel.org/networking/can.html (RAW socket option CAN_RAW_FILTER)
 * @example
 * ```ts
 * raw.setsockopt(SOL_CAN_RAW, CAN_RAW_FILTER, packCanFilters([
 *   { canId: 0x200, canMask: 0x700 },                       // 0x200-0x2ff
 *   { canId: 0x123 | CAN_EFF_FLAG, canMask: CAN_EFF_FLAG | CAN_EFF_MASK },
 * ]));
 * ```
 */
export function packCanFilters(filters: readonly CanFilter[]): Buffer {
  const fn = 'packCanFilters()';
  if (!Array.isArray(filters)) throw new TypeError(`${fn} expects an array of { canId, canMask, invert? }, got ${show(filters)}`);
  if (filters.length > CAN_RAW_FILTER_MAX) {
    throw new RangeError(`${fn} takes at most ${CAN_RAW_FILTER_MAX} filters (CAN_RAW_FILTER_MAX), got ${filters.length}`);
  }
  const buf = Buffer.alloc(SIZE * filters.length);
  filters.forEach((filter: unknown, i) => {
    const where = `${fn}:`;
    checkObject(filter, `${where} filters[${i}] must be { canId, canMask, invert? }`);
    const canId = checkInteger(filter.canId, where, `filters[${i}].canId`);
    const canMask = checkInteger(filter.canMask, where, `filters[${i}].canMask`);
    const invert = flag(filter.invert, where, `filters[${i}].invert`);
    const id = checkCanId(canId, where, `filters[${i}].canId`);
    const mask = checkCanId(canMask, where, `filters[${i}].canMask`);
    writeHostU32(buf, (id | (invert ? CAN_INV_FILTER : 0)) >>> 0, i * SIZE + CAN_ID);
    writeHostU32(buf, mask, i * SIZE + CAN_MASK);
  });
  return buf;
}

/**
 * Reads a `struct can_filter` array, as
 * `getsockopt(SOL_CAN_RAW, CAN_RAW_FILTER, bufsize)` returns it.
 * `CAN_INV_FILTER` comes back as `invert` (and out of `canId`).
 *
 * @throws TypeError when `bytes` is not bytes-like; RangeError when its
 *   length is not a multiple of 8 (`sizeof(struct can_filter)`).
 * @see https://docs.kernel.org/networking/can.html
 * @example
 * ```ts
 * const filters = unpackCanFilters(raw.getsockopt(SOL_CAN_RAW, CAN_RAW_FILTER, 8 * CAN_RAW_FILTER_MAX));
 * // [{ canId: 0x200, canMask: 0x700, invert: false }]
 * ```
 */
export function unpackCanFilters(bytes: BytesLike): CanFilter[] {
  const fn = 'unpackCanFilters()';
  if (!isBytesLike(bytes)) throw new TypeError(`${fn} expects a bytes-like object, got ${show(bytes)}`);
  const buf = bytesOf(bytes);
  if (buf.length % SIZE !== 0) {
    throw new RangeError(`${fn} expects a whole number of ${SIZE}-byte can_filter structs, got ${buf.length} bytes`);
  }
  const out: CanFilter[] = [];
  for (let at = 0; at < buf.length; at += SIZE) {
    const word = readHostU32(buf, at + CAN_ID);
    out.push({
      canId: (word & ~CAN_INV_FILTER) >>> 0,
      canMask: readHostU32(buf, at + CAN_MASK),
      invert: (word & CAN_INV_FILTER) !== 0,
    });
  }
  return out;
}
