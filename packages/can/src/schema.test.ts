/**
 * The zod schemas are the documented contract; the codec checks the same
 * rules by hand. This table proves that both accept the same addresses and
 * fail with the same class (TypeError for a wrong shape or type,
 * RangeError for a number out of range), beyond what the conformance suite
 * tries.
 */
import { describe, expect, it } from 'vitest';
import { SOCK_DGRAM, type AddressContext } from '@bsdsock/core';
import { encodeVerdict, schemaVerdict } from '@bsdsock/test-utils';
import { canFamily } from './codec.js';
import { AF_CAN, CAN_BCM, CAN_ISOTP, CAN_J1939, CAN_RAW } from './constants.generated.js';
import { canAddressSchema } from './schema.js';

const ctxOf = (proto: number): AddressContext => ({ family: AF_CAN, type: SOCK_DGRAM, proto, caller: 'sendto' });

class Tuple extends Array<unknown> {}
const sparse = (length: number, set: Record<number, unknown>): unknown[] => {
  const a = new Array<unknown>(length);
  for (const [k, v] of Object.entries(set)) a[Number(k)] = v;
  return a;
};

const TABLE: readonly (readonly [number, unknown, string])[] = [
  [CAN_RAW, ['lo'], 'ok'],
  [CAN_RAW, [''], 'ok'],
  [CAN_BCM, Tuple.from(['lo']), 'ok'],
  [CAN_RAW, sparse(1, {}), 'TypeError'],
  [CAN_RAW, [new String('lo')], 'TypeError'],
  [CAN_RAW, ['lo', undefined], 'TypeError'],
  [CAN_RAW, 'lo', 'TypeError'],
  [CAN_RAW, null, 'TypeError'],
  [CAN_BCM, [['lo']], 'TypeError'],
  [CAN_ISOTP, ['lo', 0, 0], 'ok'],
  [CAN_ISOTP, ['lo', -0, 0xffffffff], 'ok'],
  [CAN_ISOTP, ['lo', -(2 ** 31), 0x7ff], 'ok'],
  [CAN_ISOTP, ['lo', -(2 ** 31) - 1, 0], 'RangeError'],
  [CAN_ISOTP, ['lo', 2 ** 32, 0], 'RangeError'],
  [CAN_ISOTP, ['lo', 2 ** 60, 2 ** 60], 'RangeError'],
  [CAN_ISOTP, ['lo', Infinity, 0], 'TypeError'],
  [CAN_ISOTP, ['lo', NaN, 0], 'TypeError'],
  [CAN_ISOTP, ['lo', new Number(1), 0], 'TypeError'],
  [CAN_ISOTP, ['lo', 2 ** 32, 0.5], 'TypeError'],
  [CAN_ISOTP, sparse(3, { 0: 'lo', 1: 1 }), 'TypeError'],
  [CAN_ISOTP, ['lo\0', 1, 2], 'TypeError'],
  [CAN_J1939, ['lo', 0n, 0, 0], 'ok'],
  [CAN_J1939, ['lo', 2n ** 64n - 1n, 2 ** 32 - 1, 255], 'ok'],
  [CAN_J1939, ['lo', BigInt(-1), 0, 0], 'RangeError'],
  [CAN_J1939, ['lo', 2n ** 64n, 2 ** 32, 256], 'RangeError'],
  [CAN_J1939, ['lo', 2n ** 64n, 2 ** 32, 'x'], 'TypeError'],
  [CAN_J1939, ['lo', 1, 0, 0], 'TypeError'],
  [CAN_J1939, ['lo', Object(1n), 0, 0], 'TypeError'],
  [CAN_J1939, ['lo', 0n, 0, -0], 'ok'],
  [CAN_J1939, ['lo', 0n, 0, -1], 'RangeError'],
  [CAN_J1939, ['lo', 0n, 0], 'TypeError'],
];

describe('AF_CAN schemas and codec agree', () => {
  it.each(TABLE)('proto %i: %o → %s', (proto, address, verdict) => {
    expect(encodeVerdict(canFamily, address, ctxOf(proto))).toBe(verdict);
    expect(schemaVerdict(canAddressSchema(proto)!, address)).toBe(verdict);
  });

  it('parses a good address to its own typed tuple', () => {
    const [ifname, name, pgn, addr] = canAddressSchema(CAN_J1939).parse(['vcan0', 0x10n, 0xea00, 0x20]);
    expect([ifname, name, pgn, addr]).toEqual(['vcan0', 0x10n, 0xea00, 0x20]);
    expect(canAddressSchema(CAN_ISOTP).parse(['vcan0', 1, 2])[2]).toBe(2);
  });
});
