/**
 * The ancillary data of `sendmsg_afalg`: golden bytes of each control
 * message's data on a little-endian host, and every class of bad option.
 */
import { describe, expect, it } from 'vitest';
import { afalgAncillary } from './afalg.js';
import {
  ALG_OP_DECRYPT, ALG_OP_ENCRYPT, ALG_SET_AEAD_ASSOCLEN, ALG_SET_IV, ALG_SET_OP, SOL_ALG,
} from './constants.generated.js';
import { thrown } from '@bsdsock/test-utils';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('afalgAncillary', () => {
  it('sets the operation alone: [SOL_ALG, ALG_SET_OP, u32]', () => {
    expect(afalgAncillary({ op: ALG_OP_ENCRYPT })).toEqual([[SOL_ALG, ALG_SET_OP, hex('01000000')]]);
    expect(afalgAncillary({ op: ALG_OP_DECRYPT })).toEqual([[SOL_ALG, ALG_SET_OP, hex('00000000')]]);
    expect(afalgAncillary({ op: 0x7fffffff })).toEqual([[SOL_ALG, ALG_SET_OP, hex('ffffff7f')]]);
  });

  it('adds struct af_alg_iv (u32 ivlen, then the IV) and the u32 assoclen, in CPython\'s order', () => {
    const iv = hex('3dafba429d9eb430b422da802c9fac41');
    expect(afalgAncillary({ op: ALG_OP_ENCRYPT, iv, assoclen: 20 })).toEqual([
      [SOL_ALG, ALG_SET_OP, hex('01000000')],
      [SOL_ALG, ALG_SET_IV, hex(`10000000 ${iv.toString('hex')}`)],
      [SOL_ALG, ALG_SET_AEAD_ASSOCLEN, hex('14000000')],
    ]);
    expect(afalgAncillary({ op: ALG_OP_DECRYPT, assoclen: 0 })).toEqual([
      [SOL_ALG, ALG_SET_OP, hex('00000000')],
      [SOL_ALG, ALG_SET_AEAD_ASSOCLEN, hex('00000000')],
    ]);
  });

  it('takes the IV from any bytes-like view, only its window, and an empty one too', () => {
    const backing = new Uint8Array([9, 1, 2, 3, 9]);
    expect(afalgAncillary({ op: 1, iv: new DataView(backing.buffer, 1, 3) })[1]).toEqual([SOL_ALG, ALG_SET_IV, hex('03000000 010203')]);
    expect(afalgAncillary({ op: 1, iv: backing.buffer.slice(0, 2) })[1]).toEqual([SOL_ALG, ALG_SET_IV, hex('02000000 0901')]);
    expect(afalgAncillary({ op: 1, iv: Buffer.alloc(0) })[1]).toEqual([SOL_ALG, ALG_SET_IV, hex('00000000')]);
  });

  it('copies the IV: changing it afterwards changes nothing', () => {
    const iv = Buffer.from('abcd');
    const items = afalgAncillary({ op: 1, iv });
    iv.fill(0);
    expect(items[1]![2]).toEqual(hex('04000000 61626364'));
  });

  it('rejects bad options as CPython does (ALG-08)', () => {
    const cases: [unknown, ErrorConstructor | RangeErrorConstructor, string][] = [
      [undefined, TypeError, "afalgAncillary(): Invalid or missing argument 'op'"],
      [{}, TypeError, "afalgAncillary(): Invalid or missing argument 'op'"],
      [{ op: undefined }, TypeError, "afalgAncillary(): Invalid or missing argument 'op'"],
      [{ op: -1 }, TypeError, "afalgAncillary(): Invalid or missing argument 'op' (must be 0-2147483647, got -1)"],
      [{ op: 2 ** 31 }, TypeError, "Invalid or missing argument 'op' (must be 0-2147483647, got 2147483648)"],
      [{ op: null }, TypeError, 'afalgAncillary(): op must be an integer, got null'],
      [{ op: '1' }, TypeError, 'afalgAncillary(): op must be an integer, got "1"'],
      [{ op: 1.5 }, TypeError, 'afalgAncillary(): op must be an integer, got 1.5'],
      [{ op: 1, iv: 'abc' }, TypeError, 'afalgAncillary(): iv must be a bytes-like object, got "abc"'],
      [{ op: 1, iv: null }, TypeError, 'afalgAncillary(): iv must be a bytes-like object, got null'],
      [{ op: 1, iv: [1, 2] }, TypeError, 'afalgAncillary(): iv must be a bytes-like object, got [ 1, 2 ]'],
      [{ op: 1, assoclen: null }, TypeError, 'afalgAncillary(): assoclen must be an integer, got null'],
      [{ op: 1, assoclen: -1 }, TypeError, 'afalgAncillary(): assoclen must be positive, got -1'],
      [{ op: 1, assoclen: 0.5 }, TypeError, 'afalgAncillary(): assoclen must be an integer, got 0.5'],
      [{ op: 1, assoclen: 2 ** 31 }, RangeError, 'afalgAncillary(): assoclen must fit in a C int, got 2147483648'],
      [{ op: 1, flags: 0 }, TypeError, 'afalgAncillary(): unexpected option "flags" (takes op, iv, assoclen)'],
      [{ op: 1, ivv: Buffer.alloc(1) }, TypeError, 'afalgAncillary(): unexpected option "ivv"'],
      [5, TypeError, 'afalgAncillary(): options must be an object { op, iv, assoclen }, got 5'],
      [[1], TypeError, 'afalgAncillary(): options must be an object'],
      [new Map([['op', 1]]), TypeError, 'afalgAncillary(): options must be an object'],
    ];
    for (const [options, cls, message] of cases) {
      const err = thrown(() => afalgAncillary(options as never));
      expect(err, String(message)).toBeInstanceOf(cls);
      expect(err.message).toContain(message);
    }
  });
});
