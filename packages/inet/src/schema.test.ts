/**
 * The zod schemas are the documented contract; the codecs check the same
 * rules by hand on their hot path. This table proves that both accept the
 * same addresses and fail with the same class (TypeError for a wrong shape
 * or type, RangeError for a number out of range), beyond the table the
 * conformance suite already runs.
 */
import { describe, expect, it } from 'vitest';
import { SOCK_STREAM, type AddressContext } from '@bsdsock/core';
import { encodeVerdict, schemaVerdict } from '@bsdsock/test-utils';
import { inet6Family, inetFamily } from './codec.js';
import { AF_INET, AF_INET6 } from './constants.generated.js';

const ctx4: AddressContext = { family: AF_INET, type: SOCK_STREAM, proto: 0, caller: 'connect' };
const ctx6: AddressContext = { family: AF_INET6, type: SOCK_STREAM, proto: 0, caller: 'connect' };

class Pair extends Array<unknown> {}
const sparse = (length: number, set: Record<number, unknown>): unknown[] => {
  const a = new Array<unknown>(length);
  for (const [k, v] of Object.entries(set)) a[Number(k)] = v;
  return a;
};
const shared = new Uint8Array(new SharedArrayBuffer(7));
shared.set(Buffer.from('1.2.3.4'));

const INET: readonly (readonly [unknown, string])[] = [
  [['127.0.0.1', 0], 'ok'],
  [['127.0.0.1', -0], 'ok'],
  [['127.0.0.1', 65535], 'ok'],
  [Object.freeze(['127.0.0.1', 80]), 'ok'],
  [Pair.from(['127.0.0.1', 80]), 'ok'],
  [[Buffer.from('1.2.3.4'), 80], 'ok'],
  [[new Uint16Array(0), 80], 'ok'],
  [[new DataView(new ArrayBuffer(0)), 80], 'ok'],
  [[new ArrayBuffer(0), 80], 'ok'],
  [[shared, 80], 'ok'],
  [[shared.buffer, 80], 'TypeError'],
  [sparse(2, { 1: 80 }), 'TypeError'],
  [sparse(2, { 0: '127.0.0.1' }), 'TypeError'],
  [['127.0.0.1', 65536], 'RangeError'],
  [['127.0.0.1', -1], 'RangeError'],
  [['127.0.0.1', Number.MAX_SAFE_INTEGER], 'RangeError'],
  [['127.0.0.1', 2 ** 53], 'RangeError'],
  [['127.0.0.1', -(2 ** 60)], 'RangeError'],
  [['127.0.0.1', 0.5], 'TypeError'],
  [['127.0.0.1', -0.5], 'TypeError'],
  [['127.0.0.1', NaN], 'TypeError'],
  [['127.0.0.1', -Infinity], 'TypeError'],
  [['127.0.0.1', new Number(80)], 'TypeError'],
  [[new String('127.0.0.1'), 80], 'TypeError'],
  [['127.0.0.1', '80'], 'TypeError'],
  [['1.2.3.4\0', 80], 'TypeError'],
  [[new Uint8Array([0x31, 0]), 80], 'TypeError'],
  [['127.0.0.1', 70000, 1], 'TypeError'],
  [[], 'TypeError'],
  [new Set(['127.0.0.1', 80]), 'TypeError'],
  ['127.0.0.1', 'TypeError'],
];

const INET6: readonly (readonly [unknown, string])[] = [
  [['::1', 0], 'ok'],
  [['::1', 0, 0], 'ok'],
  [['::1', 0, 0, 0], 'ok'],
  [['::1', 65535, 0xfffff, 0xffffffff], 'ok'],
  [['fe80::1', 1, -0, -0], 'ok'],
  [[Buffer.from('::1'), 1, 2, 3], 'ok'],
  [['::1', 0, 0x100000], 'RangeError'],
  [['::1', 0, 0, 2 ** 32], 'RangeError'],
  [['::1', 0, -1, 0], 'RangeError'],
  [['::1', 70000, 0x100000, -1], 'RangeError'],
  [['::1', 0, 0, 0.5], 'TypeError'],
  [['::1', 0, '0'], 'TypeError'],
  [['::1', 0, 0, null], 'TypeError'],
  [sparse(3, { 0: '::1', 1: 80 }), 'TypeError'],
  [sparse(4, { 0: '::1', 1: 80, 2: 0 }), 'TypeError'],
  [['::1', 0, 0, 0, 0], 'TypeError'],
  [['::1', 70000, 0, 'x'], 'TypeError'],
  [['::1'], 'TypeError'],
  [[null, 0], 'TypeError'],
];

describe('the AF_INET schema and the hand check agree', () => {
  it.each(INET)('on %o', (value, expected) => {
    expect(encodeVerdict(inetFamily, value, ctx4)).toBe(expected);
    expect(schemaVerdict(inetFamily.schema, value)).toBe(expected);
  });
});

describe('the AF_INET6 schema and the hand check agree', () => {
  it.each(INET6)('on %o', (value, expected) => {
    expect(encodeVerdict(inet6Family, value, ctx6)).toBe(expected);
    expect(schemaVerdict(inet6Family.schema, value)).toBe(expected);
  });
});
