/**
 * The zod schema is the documented contract; the codec checks the same
 * rules by hand. This table proves that both accept the same addresses and
 * reject the same ones with a TypeError. (Too long a path is no schema
 * matter: it raises OSError when used, as in Python.)
 */
import { describe, expect, it } from 'vitest';
import { SOCK_DGRAM, type AddressContext } from '@bsdsock/core';
import { encodeVerdict, schemaVerdict } from '@bsdsock/test-utils';
import { unixFamily } from './codec.js';
import { AF_UNIX } from './constants.generated.js';

const ctx: AddressContext = { family: AF_UNIX, type: SOCK_DGRAM, proto: 0, caller: 'sendto' };

const TABLE: readonly (readonly [unknown, string])[] = [
  ['/tmp/x', 'ok'],
  ['', 'ok'],
  ['\0abstract', 'ok'],
  ['/tmp/\ud83d\ude00', 'ok'],
  [Buffer.from('/tmp/x'), 'ok'],
  [new Uint8Array([0, 1]), 'ok'],
  [new Float64Array(1), 'ok'],
  [new DataView(new ArrayBuffer(3)), 'ok'],
  [new ArrayBuffer(4), 'ok'],
  [new Uint8Array(new SharedArrayBuffer(2)), 'ok'],
  [new SharedArrayBuffer(2), 'TypeError'],
  ['/tmp/\udcff', 'TypeError'],
  ['\ud83d/tmp', 'TypeError'],
  [new String('/tmp/x'), 'TypeError'],
  [['/tmp/x'], 'TypeError'],
  [[0x2f, 0x61], 'TypeError'],
  [5, 'TypeError'],
  [null, 'TypeError'],
  [undefined, 'TypeError'],
  [{ path: '/tmp/x' }, 'TypeError'],
];

describe('the AF_UNIX schema and the hand check agree', () => {
  it.each(TABLE)('on %o', (value, expected) => {
    expect(encodeVerdict(unixFamily, value, ctx)).toBe(expected);
    expect(schemaVerdict(unixFamily.schema, value)).toBe(expected);
  });
});
