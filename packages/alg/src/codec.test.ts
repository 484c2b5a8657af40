/**
 * The AF_ALG codec: golden bytes both ways, every class of bad input, and
 * the shared family conformance suite.
 *
 * Golden bytes follow Linux's `struct sockaddr_alg` on a little-endian
 * host: salg_family (host u16, `26 00`), salg_type[14], salg_feat and
 * salg_mask (host u32), salg_name[64]; 88 bytes, what CPython hands the
 * kernel for the same tuple.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SOCK_SEQPACKET, type AddressContext } from '@bsdsock/core';
import { describeFamilyConformance, thrown } from '@bsdsock/test-utils';
import { algFamily } from './codec.js';
import { AF_ALG } from './constants.generated.js';

const ctx: AddressContext = { family: AF_ALG, type: SOCK_SEQPACKET, proto: 0, caller: 'bind' };

/** A NUL-padded field of `size` bytes. */
const field = (text: string, size: number): string => {
  const b = Buffer.alloc(size);
  b.write(text, 'utf8');
  return b.toString('hex');
};
const le32 = (n: number): string => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b.toString('hex');
};
const golden = (type: string, name: string, feat = 0, mask = 0): Buffer =>
  Buffer.from(`2600${field(type, 14)}${le32(feat)}${le32(mask)}${field(name, 64)}`, 'hex');

describe('AF_ALG encode', () => {
  it.each([
    [['hash', 'sha256'], golden('hash', 'sha256')],
    [['hash', 'hmac(sha256)', 0, 0], golden('hash', 'hmac(sha256)')],
    [['skcipher', 'cbc(aes)', 0x1000, 0x1000], golden('skcipher', 'cbc(aes)', 0x1000, 0x1000)],
    [['aead', 'gcm(aes)', undefined, 0xffffffff], golden('aead', 'gcm(aes)', 0, 0xffffffff)],
    [['rng', 'stdrng', 0xdeadbeef], golden('rng', 'stdrng', 0xdeadbeef)],
    [['x'.repeat(13), 'y'.repeat(63)], golden('x'.repeat(13), 'y'.repeat(63))],
    [['', ''], golden('', '')],
    [['hash', 'sha256-é'], golden('hash', 'sha256-é')],
    [Object.freeze(['hash', 'sha1']), golden('hash', 'sha1')],
  ])('encodes %j', (address, bytes) => {
    const out = algFamily.encode(address, ctx);
    expect(out.length).toBe(88);
    expect(out).toEqual(bytes);
  });

  it('writes the two fields whole: the bytes at fixed offsets', () => {
    const out = algFamily.encode(['aead', 'rfc4106(gcm(aes))', 1, 2], ctx);
    expect(out.readUInt16LE(0)).toBe(38);
    expect(out.subarray(2, 16)).toEqual(Buffer.from('aead\0\0\0\0\0\0\0\0\0\0'));
    expect([out.readUInt32LE(16), out.readUInt32LE(20)]).toEqual([1, 2]);
    expect(out.subarray(24, 24 + 18).toString('latin1')).toBe('rfc4106(gcm(aes))\0');
  });

  it('names the family, the field and the caller in its errors (ALG-10, ALG-11)', () => {
    const cases: [unknown, ErrorConstructor | RangeErrorConstructor, string][] = [
      ['hash', TypeError, 'bind(): AF_ALG address must be [type: string, name: string, feat?: number, mask?: number], got "hash"'],
      [['hash'], TypeError, 'bind(): AF_ALG address must be [type: string, name: string, feat?: number, mask?: number], got [ \'hash\' ]'],
      [['hash', 'sha256', 0, 0, 0], TypeError, 'bind(): AF_ALG address must be'],
      [{ 0: 'hash', 1: 'sha256', length: 2 }, TypeError, 'bind(): AF_ALG address must be'],
      [[Buffer.from('hash'), 'sha256'], TypeError, 'bind(): AF_ALG type must be a string, got <Buffer 68 61 73 68>'],
      [['hash', 5], TypeError, 'bind(): AF_ALG name must be a string, got 5'],
      [['ha\0sh', 'sha256'], TypeError, 'bind(): AF_ALG type must not contain a NUL character'],
      [['hash', 'sha\u0000256'], TypeError, 'bind(): AF_ALG name must not contain a NUL character'],
      [['hash', '\udc00'], TypeError, 'bind(): AF_ALG name must not contain a lone surrogate'],
      [['x'.repeat(14), 'sha256'], TypeError, 'bind(): AF_ALG type too long: at most 13 bytes in UTF-8, got 14'],
      [['é'.repeat(7), 'sha256'], TypeError, 'bind(): AF_ALG type too long: at most 13 bytes in UTF-8, got 14'],
      [['hash', 'y'.repeat(64)], TypeError, 'bind(): AF_ALG name too long: at most 63 bytes in UTF-8, got 64'],
      [['hash', 'sha256', '1'], TypeError, 'bind(): AF_ALG feat must be an integer, got "1"'],
      [['hash', 'sha256', 0, 1.5], TypeError, 'bind(): AF_ALG mask must be an integer, got 1.5'],
      [['hash', 'sha256', null], TypeError, 'bind(): AF_ALG feat must be an integer, got null'],
      [['hash', 'sha256', 1n], TypeError, 'bind(): AF_ALG feat must be an integer, got 1n'],
      [['hash', 'sha256', -1], RangeError, 'bind(): AF_ALG feat must be 0-4294967295, got -1'],
      [['hash', 'sha256', 0, 2 ** 32], RangeError, 'bind(): AF_ALG mask must be 0-4294967295, got 4294967296'],
    ];
    for (const [address, cls, message] of cases) {
      const err = thrown(() => algFamily.encode(address, ctx));
      expect(err, inspect(address)).toBeInstanceOf(cls);
      expect(err.message).toContain(message);
    }
  });

  it('checks every type before any range', () => {
    expect(thrown(() => algFamily.encode(['hash', 'sha256', -1, 'x'], ctx))).toBeInstanceOf(TypeError);
    expect(thrown(() => algFamily.encode(['x'.repeat(14), 'sha256', -1], ctx))).toBeInstanceOf(TypeError);
  });

  it('says which call failed', () => {
    const err = thrown(() => algFamily.encode(['hash', 7], { ...ctx, caller: 'connect' }));
    expect(err.message).toBe('connect(): AF_ALG name must be a string, got 7');
  });
});

describe('AF_ALG decode', () => {
  it.each([
    [golden('hash', 'sha256'), ['hash', 'sha256', 0, 0]],
    [golden('skcipher', 'cbc(aes)', 0x1000, 0xffffffff), ['skcipher', 'cbc(aes)', 0x1000, 0xffffffff]],
    [golden('x'.repeat(13), 'y'.repeat(63)), ['x'.repeat(13), 'y'.repeat(63), 0, 0]],
    [golden('', ''), ['', '', 0, 0]],
    [golden('hash', 'sha256-é'), ['hash', 'sha256-é', 0, 0]],
  ])('decodes %#', (bytes, address) => {
    expect(algFamily.decode(bytes, bytes.length, ctx)).toEqual(address);
  });

  it('reads bytes past the given length as zero', () => {
    const scratch = Buffer.alloc(128, 0xff);
    golden('hash', 'sha256', 7, 9).copy(scratch);
    expect(algFamily.decode(scratch, 88, ctx)).toEqual(['hash', 'sha256', 7, 9]);
    expect(algFamily.decode(scratch, 20, ctx)).toEqual(['hash', '', 7, 0]);
    expect(algFamily.decode(scratch, 4, ctx)).toEqual(['ha', '', 0, 0]);
    expect(algFamily.decode(scratch, 2, ctx)).toEqual(['', '', 0, 0]);
  });

  it('stops a field at the first NUL, and at its end without one', () => {
    const b = golden('hash', 'sha256');
    b.fill(0x61, 2, 16);
    b.fill(0x62, 24, 88);
    expect(algFamily.decode(b, 88, ctx)).toEqual(['a'.repeat(14), 'b'.repeat(64), 0, 0]);
  });
});

describe('AF_ALG plugin', () => {
  it('asks accept() for no peer address, as CPython does for AF_ALG (ALG-03)', () => {
    expect(algFamily.acceptAddress).toBe(false);
    expect([algFamily.family, algFamily.name]).toEqual([38, 'AF_ALG']);
  });
});

describeFamilyConformance(algFamily, {
  ctx,
  schema: algFamily.schema,
  good: [
    { address: ['hash', 'sha256'], decoded: ['hash', 'sha256', 0, 0] },
    { address: ['hash', 'hmac(sha256)', 0, 0] },
    { address: ['skcipher', 'cbc(aes)', 0x1000, 0x1000] },
    { address: ['aead', 'gcm(aes)', undefined, 5], decoded: ['aead', 'gcm(aes)', 0, 5] },
    { address: ['rng', 'stdrng', 0xffffffff, 0xffffffff] },
    { address: ['x'.repeat(13), 'y'.repeat(63), 1, 2] },
    { address: ['', '', 0, 0] },
  ],
  badType: [
    'hash',
    ['hash'],
    [],
    ['hash', 'sha256', 0, 0, 0],
    [1, 'sha256'],
    ['hash', Buffer.from('sha256')],
    ['ha\0sh', 'sha256'],
    ['\ud800', 'sha256'],
    ['x'.repeat(14), 'sha256'],
    ['hash', 'y'.repeat(64)],
    ['hash', 'sha256', '0'],
    ['hash', 'sha256', 0, null],
    ['hash', 'sha256', 1.5],
    ['hash', 'sha256', -1, 'x'],
    { 0: 'hash', 1: 'sha256', length: 2 },
  ],
  badRange: [
    ['hash', 'sha256', -1],
    ['hash', 'sha256', 2 ** 32],
    ['hash', 'sha256', 0, -1],
    ['hash', 'sha256', 0, 2 ** 53],
  ],
});
