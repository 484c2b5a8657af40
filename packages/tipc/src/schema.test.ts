/**
 * The zod schema is the documented contract; the codec checks the same
 * rules by hand. This table proves that both accept the same addresses and
 * fail with the same class (TypeError for a wrong shape, type or addr_type,
 * RangeError for a number out of range), beyond what the conformance suite
 * tries.
 */
import { describe, expect, it } from 'vitest';
import { SOCK_STREAM, type AddressContext } from '@bsdsock/core';
import { encodeVerdict, schemaVerdict } from '@bsdsock/test-utils';
import { tipcFamily } from './codec.js';
import { AF_TIPC, TIPC_ADDR_ID, TIPC_ADDR_NAME, TIPC_ADDR_NAMESEQ } from './constants.generated.js';

const ctx: AddressContext = { family: AF_TIPC, type: SOCK_STREAM, proto: 0, caller: 'connect' };

class Tuple extends Array<unknown> {}
const sparse = (length: number, set: Record<number, unknown>): unknown[] => {
  const a = new Array<unknown>(length);
  for (const [k, v] of Object.entries(set)) a[Number(k)] = v;
  return a;
};

const TABLE: readonly (readonly [unknown, string])[] = [
  [[TIPC_ADDR_NAME, 2000, 205, 0], 'ok'],
  [[TIPC_ADDR_NAMESEQ, 2000, 200, 210, 2], 'ok'],
  [[TIPC_ADDR_ID, 0, 0, 0, -128], 'ok'],
  [[1.0, 1, 1, 1], 'ok'],
  [Tuple.from([TIPC_ADDR_NAME, 1, 2, 3]), 'ok'],
  [sparse(5, { 0: TIPC_ADDR_NAME, 1: 1, 2: 2, 3: 3 }), 'ok'],
  [sparse(4, { 0: TIPC_ADDR_NAME, 1: 1, 2: 2 }), 'TypeError'],
  [[TIPC_ADDR_NAME, 1, 2, 3, undefined], 'ok'],
  [[TIPC_ADDR_NAME, new Number(1), 2, 3], 'TypeError'],
  [[TIPC_ADDR_NAME, Infinity, 2, 3], 'TypeError'],
  [[TIPC_ADDR_NAME, -Infinity, 2, 3], 'TypeError'],
  [[TIPC_ADDR_NAME, 1, 2, 3, 1.5], 'TypeError'],
  [[2.5, 1, 2, 3], 'TypeError'],
  [[TIPC_ADDR_NAME, 1, 2, 2 ** 32], 'RangeError'],
  [[TIPC_ADDR_NAME, -(2 ** 60), 2, 3], 'RangeError'],
  [[TIPC_ADDR_NAME, 1, 2, 3, 2 ** 31], 'RangeError'],
  [[TIPC_ADDR_NAME, -1, 2, 3, 200], 'RangeError'],
  [[TIPC_ADDR_NAME, -1, 2, 3, 0.5], 'TypeError'],
  [[5, -1, 2, 3], 'TypeError'],
  [new Set([TIPC_ADDR_NAME, 1, 2, 3]), 'TypeError'],
  [null, 'TypeError'],
  [undefined, 'TypeError'],
];

describe('AF_TIPC schema and codec agree', () => {
  it.each(TABLE)('%o → %s', (address, verdict) => {
    expect(encodeVerdict(tipcFamily, address, ctx)).toBe(verdict);
    expect(schemaVerdict(tipcFamily.schema, address)).toBe(verdict);
  });

  it('parses a good address to its own typed tuple', () => {
    const [addrType, type, lower, upper, scope] = tipcFamily.schema.parse([TIPC_ADDR_NAMESEQ, 2000, 200, 210]);
    expect([addrType, type, lower, upper, scope]).toEqual([TIPC_ADDR_NAMESEQ, 2000, 200, 210, undefined]);
  });
});
