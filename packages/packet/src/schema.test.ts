/**
 * The zod schema is the documented contract; the codec checks the same
 * rules by hand. This table proves that both accept the same addresses and
 * fail with the same class (TypeError for a wrong shape or type, RangeError
 * for a number out of range), beyond what the conformance suite tries.
 */
import { describe, expect, it } from 'vitest';
import { SOCK_DGRAM, type AddressContext } from '@bsdsock/core';
import { encodeVerdict, schemaVerdict } from '@bsdsock/test-utils';
import { packetFamily } from './codec.js';
import { AF_PACKET } from './constants.generated.js';

const ctx: AddressContext = { family: AF_PACKET, type: SOCK_DGRAM, proto: 0, caller: 'sendto' };

class Tuple extends Array<unknown> {}
const sparse = (length: number, set: Record<number, unknown>): unknown[] => {
  const a = new Array<unknown>(length);
  for (const [k, v] of Object.entries(set)) a[Number(k)] = v;
  return a;
};

const TABLE: readonly (readonly [unknown, string])[] = [
  [['lo', 0], 'ok'],
  [['lo', -0], 'ok'],
  [['lo', 65535, 255, 65535, Buffer.alloc(8)], 'ok'],
  [Tuple.from(['lo', 3]), 'ok'],
  [sparse(3, { 0: 'lo', 1: 3 }), 'ok'],
  [sparse(2, { 0: 'lo' }), 'TypeError'],
  [['lo', 3, 0, 0, new DataView(new ArrayBuffer(6))], 'ok'],
  [['lo', 3, 0, 0, new ArrayBuffer(8)], 'ok'],
  [['lo', 3, 0, 0, new ArrayBuffer(9)], 'TypeError'],
  [['lo', 3, 0, 0, new Uint16Array(5)], 'TypeError'],
  [['lo', 3, 0, 0, new SharedArrayBuffer(2)], 'TypeError'],
  [['lo', 3, 0, 0, null], 'TypeError'],
  [['lo', NaN], 'TypeError'],
  [['lo', Infinity], 'TypeError'],
  [['lo', 3n], 'TypeError'],
  [['lo', new Number(3)], 'TypeError'],
  [[new String('lo'), 3], 'TypeError'],
  [['lo', 65536], 'RangeError'],
  [['lo', -(2 ** 60)], 'RangeError'],
  [['lo', 3, 2 ** 31], 'RangeError'],
  [['lo', 3, 1, 2 ** 16], 'RangeError'],
  [['lo', 70000, 300], 'RangeError'],
  [['lo', 70000, 0.5], 'TypeError'],
  [['lo\0', 70000], 'TypeError'],
  [new Set(['lo', 3]), 'TypeError'],
  [null, 'TypeError'],
  [undefined, 'TypeError'],
];

describe('AF_PACKET schema and codec agree', () => {
  it.each(TABLE)('%o → %s', (address, verdict) => {
    expect(encodeVerdict(packetFamily, address, ctx)).toBe(verdict);
    expect(schemaVerdict(packetFamily.schema, address)).toBe(verdict);
  });

  it('parses a good address to its own typed tuple', () => {
    const parsed = packetFamily.schema.parse(['eth0', 0x88b5, 0, 1, Buffer.from('020000000001', 'hex')]);
    expect(parsed[0]).toBe('eth0');
    expect(parsed[1]).toBe(0x88b5);
  });
});
