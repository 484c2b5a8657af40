/**
 * CAN_RAW_FILTER arrays: golden bytes of `struct can_filter[]` on a
 * little-endian host (can_id, can_mask: host u32 each), CAN_INV_FILTER as
 * `invert`, and every class of bad input with its message.
 */
import { describe, expect, it } from 'vitest';
import { CAN_EFF_FLAG, CAN_EFF_MASK, CAN_INV_FILTER, CAN_RAW_FILTER_MAX, CAN_SFF_MASK } from './constants.generated.js';
import { packCanFilters, unpackCanFilters } from './filter.js';
import { thrown } from '@bsdsock/test-utils';
import { expectErrors, hex, type ErrorCase } from '../test/helpers.js';

describe('packCanFilters', () => {
  it('writes struct.pack("=II", can_id, can_mask) for each filter (CAN-07)', () => {
    expect(packCanFilters([{ canId: 0x200, canMask: 0x700 }])).toEqual(hex('00020000 00070000'));
    expect(
      packCanFilters([
        { canId: 0x123, canMask: CAN_SFF_MASK },
        { canId: 0x1abcdef | CAN_EFF_FLAG, canMask: CAN_EFF_FLAG | CAN_EFF_MASK },
        { canId: 0x7ff, canMask: 0x7ff, invert: true },
      ]),
    ).toEqual(hex('23010000 ff070000  efcdab81 ffffff9f  ff070020 ff070000'));
    expect(packCanFilters([])).toEqual(Buffer.alloc(0));
  });

  it('takes up to CAN_RAW_FILTER_MAX filters', () => {
    const many = Array.from({ length: CAN_RAW_FILTER_MAX }, (_, i) => ({ canId: i, canMask: CAN_SFF_MASK }));
    expect(packCanFilters(many).length).toBe(8 * 512);
    const err = thrown(() => packCanFilters([...many, { canId: 0, canMask: 0 }]));
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toBe('packCanFilters() takes at most 512 filters (CAN_RAW_FILTER_MAX), got 513');
  });

  it('names the bad filter and field', () => {
    const cases: ErrorCase[] = [
      [{ canId: 1, canMask: 1 }, TypeError, 'packCanFilters() expects an array of { canId, canMask, invert? }, got { canId: 1, canMask: 1 }'],
      [[null], TypeError, 'packCanFilters(): filters[0] must be { canId, canMask, invert? }, got null'],
      [[{ canId: 1, canMask: 1 }, { canId: '1', canMask: 1 }], TypeError, 'packCanFilters(): filters[1].canId must be an integer, got "1"'],
      [[{ canId: 1 }], TypeError, 'packCanFilters(): filters[0].canMask must be an integer, got undefined'],
      [[{ canId: 1, canMask: 1, invert: 1 }], TypeError, 'packCanFilters(): filters[0].invert must be a boolean, got 1'],
      [[{ canId: 2 ** 32, canMask: 1 }], RangeError, 'packCanFilters(): filters[0].canId must be 0-4294967295'],
      [[{ canId: 1, canMask: -(2 ** 31) - 1 }], RangeError, 'packCanFilters(): filters[0].canMask must be 0-4294967295'],
    ];
    expectErrors((input) => packCanFilters(input as never), cases);
  });
});

describe('unpackCanFilters', () => {
  it('reads what getsockopt returns, CAN_INV_FILTER as invert', () => {
    expect(unpackCanFilters(hex('00020000 00070000'))).toEqual([{ canId: 0x200, canMask: 0x700, invert: false }]);
    expect(unpackCanFilters(hex('ff070020 ff070000  efcdab81 ffffffff'))).toEqual([
      { canId: 0x7ff, canMask: 0x7ff, invert: true },
      { canId: 0x81abcdef, canMask: 0xffffffff, invert: false },
    ]);
    expect(unpackCanFilters(new Uint8Array(0))).toEqual([]);
    expect(CAN_INV_FILTER).toBe(0x20000000);
  });

  it('round-trips with packCanFilters', () => {
    const filters = [
      { canId: 0x100, canMask: 0x700, invert: false },
      { canId: 0x18ffffff | CAN_EFF_FLAG, canMask: -1, invert: true },
    ];
    const bytes = packCanFilters(filters);
    expect(packCanFilters(unpackCanFilters(bytes))).toEqual(bytes);
    expect(unpackCanFilters(bytes)[1]).toEqual({ canId: 0x98ffffff, canMask: 0xffffffff, invert: true });
  });

  it('rejects what is not whole filters', () => {
    const err = thrown(() => unpackCanFilters(Buffer.alloc(12)));
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toBe('unpackCanFilters() expects a whole number of 8-byte can_filter structs, got 12 bytes');
    expect(thrown(() => unpackCanFilters([1, 2] as never))).toBeInstanceOf(TypeError);
  });
});
