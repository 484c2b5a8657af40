/**
 * The AF_UNIX codec: golden bytes both ways, the length limits, bad types,
 * the kernel's own view of what we encode (paths, abstract names, autobind)
 * and the shared family conformance suite.
 *
 * Golden bytes follow Linux's `struct sockaddr_un` on a little-endian host:
 * sun_family `01 00`, then sun_path; the addrlen (the Buffer's length) counts
 * a path's terminating NUL but nothing after an abstract name, as CPython's
 * `getsockaddrarg()` does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OSError, SOCK_DGRAM, SOCK_STREAM, type AddressContext } from '@bsdsock/core';
import { binding } from '@bsdsock/core/internal';
import { describeFamilyConformance, thrown } from '@bsdsock/test-utils';
import { unixFamily } from './codec.js';
import { AF_UNIX } from './constants.generated.js';

const ctx: AddressContext = { family: AF_UNIX, type: SOCK_STREAM, proto: 0, caller: 'bind' };
const FAMILY = '0100';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ascii = (s: string): string => Buffer.from(s, 'latin1').toString('hex');

describe('AF_UNIX encode', () => {
  it.each([
    ['/tmp/x.sock', `${FAMILY} ${ascii('/tmp/x.sock')} 00`],
    ['rel', `${FAMILY} ${ascii('rel')} 00`],
    ['/tmp/\u00e9', `${FAMILY} ${ascii('/tmp/')} c3a9 00`],
    ['', FAMILY],
    ['\0abstract', `${FAMILY} 00 ${ascii('abstract')}`],
    ['\0python\0test\0', `${FAMILY} 00 ${ascii('python')} 00 ${ascii('test')} 00`],
  ])('encodes the string %j', (path, golden) => {
    expect(unixFamily.encode(path, ctx)).toEqual(hex(golden));
  });

  it.each([
    [Buffer.from('/tmp/x'), `${FAMILY} ${ascii('/tmp/x')} 00`],
    [Buffer.from([0x2f, 0xff, 0xfe]), `${FAMILY} 2fff fe 00`],
    [Buffer.from('a\0b', 'latin1'), `${FAMILY} 610062 00`],
    [Buffer.alloc(0), FAMILY],
    [Buffer.from('\0python-test-hello\0\xff', 'latin1'), `${FAMILY} 00 ${ascii('python-test-hello')} 00ff`],
    [new Uint8Array([0, 0x61]), `${FAMILY} 0061`],
    [new DataView(new Uint8Array([0x2f, 0x61]).buffer), `${FAMILY} 2f61 00`],
    [new Uint8Array([0x2f, 0x61, 0x62]).buffer, `${FAMILY} 2f6162 00`],
    [Buffer.from('xx/abc').subarray(2), `${FAMILY} ${ascii('/abc')} 00`],
  ])('passes the bytes %j through', (path, golden) => {
    expect(unixFamily.encode(path, ctx)).toEqual(hex(golden));
  });

  it('accepts a path of 107 bytes and refuses 108 with Python\'s errno-less OSError', () => {
    expect(unixFamily.encode('p'.repeat(107), ctx).length).toBe(110);
    expect(unixFamily.encode(Buffer.alloc(107, 0x70), ctx).length).toBe(110);
    for (const long of ['p'.repeat(108), Buffer.alloc(108, 0x70), '\u00e9'.repeat(54)]) {
      const err = thrown(() => unixFamily.encode(long, ctx));
      expect(err).toBeInstanceOf(OSError);
      expect(err.message).toBe('AF_UNIX path too long');
      expect((err as OSError).errno).toBeNull();
    }
  });

  it('accepts an abstract name filling all 108 bytes of sun_path and refuses 109', () => {
    const max = Buffer.concat([Buffer.from([0]), Buffer.alloc(107, 0x68)]);
    expect(unixFamily.encode(max, ctx)).toEqual(Buffer.concat([hex(FAMILY), max]));
    expect(unixFamily.encode(`\0${'h'.repeat(107)}`, ctx).length).toBe(110);
    for (const long of [`\0${'h'.repeat(108)}`, Buffer.alloc(109)]) {
      const err = thrown(() => unixFamily.encode(long, ctx));
      expect(err).toBeInstanceOf(OSError);
      expect(err.message).toBe('AF_UNIX path too long');
    }
  });

  it('rejects what is neither a string nor bytes with a TypeError naming the caller and the type', () => {
    expect(thrown(() => unixFamily.encode(5, ctx))).toEqual(
      new TypeError('bind(): AF_UNIX address must be a string or bytes-like object, got number'),
    );
    expect(thrown(() => unixFamily.encode(null, { ...ctx, caller: 'connect' })).message).toBe(
      'connect(): AF_UNIX address must be a string or bytes-like object, got null',
    );
    expect(thrown(() => unixFamily.encode(['/tmp/x'], ctx)).message).toContain('got array');
    for (const bad of [undefined, true, 10n, {}, Symbol('s'), () => 0, new Map()]) {
      expect(thrown(() => unixFamily.encode(bad, ctx))).toBeInstanceOf(TypeError);
    }
  });

  it('rejects a string with a lone surrogate, which has no UTF-8 encoding', () => {
    expect(thrown(() => unixFamily.encode('/tmp/\udcff', ctx)).message).toContain('lone surrogate');
    expect(unixFamily.encode('/tmp/\ud83d\ude00', ctx)).toEqual(hex(`${FAMILY} ${ascii('/tmp/')} f09f9880 00`));
  });
});

describe('AF_UNIX decode', () => {
  it('returns \'\' for an unnamed socket', () => {
    expect(unixFamily.decode(hex(FAMILY), 2, ctx)).toBe('');
    expect(unixFamily.decode(hex(`${FAMILY} 2f61`), 2, ctx)).toBe('');
    expect(unixFamily.decode(hex(FAMILY), 1, ctx)).toBe('');
  });

  it('returns a path as a string, with or without a NUL counted', () => {
    expect(unixFamily.decode(hex(`${FAMILY} ${ascii('/tmp/x')} 00`), 9, ctx)).toBe('/tmp/x');
    expect(unixFamily.decode(hex(`${FAMILY} ${ascii('/tmp/x')}`), 8, ctx)).toBe('/tmp/x');
    expect(unixFamily.decode(hex(`${FAMILY} ${ascii('/tmp/')} c3a9 00`), 10, ctx)).toBe('/tmp/\u00e9');
  });

  it('stops at the first NUL and at `length`, whatever the scratch buffer holds after', () => {
    const scratch = Buffer.alloc(128, 0x41);
    hex(`${FAMILY} ${ascii('/a')} 00 ${ascii('junk')}`).copy(scratch);
    expect(unixFamily.decode(scratch, 9, ctx)).toBe('/a');
    scratch.fill(0x41);
    hex(`${FAMILY} ${ascii('/abc')}`).copy(scratch);
    expect(unixFamily.decode(scratch, 6, ctx)).toBe('/abc');
  });

  it('returns a path that is not UTF-8 as a Buffer, so that it round-trips', () => {
    const decoded = unixFamily.decode(hex(`${FAMILY} 2fff fe 00`), 6, ctx);
    expect(decoded).toEqual(Buffer.from([0x2f, 0xff, 0xfe]));
    expect(unixFamily.encode(decoded, ctx)).toEqual(hex(`${FAMILY} 2fff fe 00`));
  });

  it('returns an abstract name as a copy of exactly its bytes, NULs and all', () => {
    const scratch = Buffer.alloc(128, 0x41);
    hex(`${FAMILY} 00 ${ascii('python')} 00ff`).copy(scratch);
    const decoded = unixFamily.decode(scratch, 11, ctx);
    expect(decoded).toEqual(hex(`00 ${ascii('python')} 00ff`));
    scratch.fill(0);
    expect(decoded).toEqual(hex(`00 ${ascii('python')} 00ff`));
  });

  it('reads a 108-byte path that has no NUL in sun_path', () => {
    const path = 'p'.repeat(108);
    const sa = Buffer.concat([hex(FAMILY), Buffer.from(path), Buffer.from([0])]);
    expect(unixFamily.decode(sa, 111, ctx)).toBe(path);
  });
});

describe('the kernel reads what we encode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bsdsock-unix-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function bound(address: unknown, type = SOCK_DGRAM): { name: unknown; peer?: unknown } {
    const fd = binding.socket(AF_UNIX, type, 0);
    expect(fd).toBeGreaterThanOrEqual(0);
    try {
      if (address !== undefined) expect(binding.bind(fd, unixFamily.encode(address, ctx))).toBe(0);
      const out = Buffer.alloc(128);
      const length = binding.getsockname(fd, out);
      expect(length).toBeGreaterThan(0);
      return { name: unixFamily.decode(out, length, ctx) };
    } finally {
      binding.close(fd);
    }
  }

  it('an unbound socket is named \'\'', () => {
    expect(bound(undefined).name).toBe('');
    expect(bound(undefined, SOCK_STREAM).name).toBe('');
  });

  it('a path bound as a string or as bytes comes back as the string', () => {
    const path = join(dir, 'str.sock');
    expect(bound(path).name).toBe(path);
    const bytesPath = join(dir, 'bytes-\u00e9.sock');
    expect(bound(Buffer.from(bytesPath)).name).toBe(bytesPath);
  });

  it('a path that is not UTF-8 comes back as the same bytes', () => {
    const path = Buffer.concat([Buffer.from(`${dir}/`), Buffer.from([0xff, 0xfe])]);
    expect(bound(path).name).toEqual(path);
  });

  it('an abstract name comes back byte for byte, given as bytes or as a string', () => {
    const name = Buffer.from(`\0bsdsock-${process.pid}-hello\0\xff`, 'latin1');
    expect(bound(name).name).toEqual(name);
    const text = `\0bsdsock\0${process.pid}\0`;
    expect(bound(text).name).toEqual(Buffer.from(text));
  });

  it('the longest abstract name round-trips', () => {
    const name = Buffer.concat([Buffer.from([0]), Buffer.alloc(107, 0x68)]);
    name.write(String(process.pid), 1);
    expect(bound(name).name).toEqual(name);
  });

  it('\'\' autobinds to a fresh abstract name', () => {
    const a = bound('').name as Buffer;
    const b = bound(Buffer.alloc(0)).name as Buffer;
    expect(a.toString('latin1')).toMatch(/^\0[0-9a-f]{5}$/);
    expect(b.toString('latin1')).toMatch(/^\0[0-9a-f]{5}$/);
  });
});

describeFamilyConformance(unixFamily, {
  ctx,
  schema: unixFamily.schema,
  good: [
    { address: '/tmp/bsdsock.sock' },
    { address: 'relative/path' },
    { address: '/tmp/\u00e9\u00e8' },
    { address: '' },
    { address: Buffer.from('/tmp/b'), decoded: '/tmp/b' },
    { address: Buffer.from([0x2f, 0xff]) },
    { address: Buffer.from('\0abstract\0\xff', 'latin1') },
    { address: '\0abs', decoded: Buffer.from('\0abs') },
    { address: new Uint8Array([0, 1, 2]), decoded: Buffer.from([0, 1, 2]) },
    { address: 'p'.repeat(107) },
  ],
  badType: [5, 0, null, undefined, true, ['/tmp/x'], {}, 10n, '/tmp/\udcff', '\ud800'],
  badRange: [],
});
