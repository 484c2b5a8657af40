/**
 * The AF_INET and AF_INET6 codecs: golden bytes both ways, every class of
 * bad input, name resolution, the kernel's own view of what we encode, and
 * the shared family conformance suite.
 *
 * Golden bytes follow Linux's layouts on a little-endian host: sa_family is
 * a host-order u16 (`02 00`, `0a 00`), the port and the flow info are in
 * network order, the scope id in host order. They are what CPython passes
 * to the kernel for the same tuple (seen with `strace -e connect`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FileNotFoundError, OSError, SOCK_DGRAM, gaierror, type AddressContext } from '@bsdsock/core';
import { binding } from '@bsdsock/core/internal';
import { describeFamilyConformance, thrown } from '@bsdsock/test-utils';
import { inet6Family, inetFamily } from './codec.js';
import { AF_INET, AF_INET6, EAI_ADDRFAMILY, EAI_AGAIN, EAI_NONAME } from './constants.generated.js';
import { lookupError } from './resolve.js';

const ctx4: AddressContext = { family: AF_INET, type: SOCK_DGRAM, proto: 0, caller: 'bind' };
const ctx6: AddressContext = { family: AF_INET6, type: SOCK_DGRAM, proto: 0, caller: 'bind' };
const LO = Number(readFileSync('/sys/class/net/lo/ifindex', 'utf8'));

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ZERO8 = '00'.repeat(8);

async function rejected(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('AF_INET encode', () => {
  it.each([
    [['127.0.0.1', 8080], `0200 1f90 7f000001 ${ZERO8}`],
    [['', 0], `0200 0000 00000000 ${ZERO8}`],
    [['<broadcast>', 9], `0200 0009 ffffffff ${ZERO8}`],
    [['255.255.255.255', 65535], `0200 ffff ffffffff ${ZERO8}`],
    [['10.0.200.99', 1], `0200 0001 0a00c863 ${ZERO8}`],
    [[Buffer.from('192.168.1.2'), 443], `0200 01bb c0a80102 ${ZERO8}`],
    [[new Uint8Array(Buffer.from('1.2.3.4')), 80], `0200 0050 01020304 ${ZERO8}`],
    [[new DataView(new Uint8Array(Buffer.from('1.2.3.4')).buffer), 80], `0200 0050 01020304 ${ZERO8}`],
    [[new TextEncoder().encode('8.8.4.4').buffer, 53], `0200 0035 08080404 ${ZERO8}`],
    [Object.freeze(['127.0.0.1', 1]), `0200 0001 7f000001 ${ZERO8}`],
  ])('encodes %j', (address, golden) => {
    expect(inetFamily.encode(address, ctx4)).toEqual(hex(golden));
  });

  it.each([
    ['127.1', '7f000001'],
    ['0x7f.1', '7f000001'],
    ['localhost', '7f000001'],
    ['\uff11\uff12\uff17.\uff10.\uff10.\uff11', '7f000001'],
  ])('resolves %j with getaddrinfo, as Python does', async (host, addr) => {
    const golden = hex(`0200 0050 ${addr} ${ZERO8}`);
    expect(inetFamily.encode([host, 80], ctx4)).toEqual(golden);
    expect(await inetFamily.encodeAsync!([host, 80], ctx4)).toEqual(golden);
  });
});

describe('AF_INET decode', () => {
  it.each([
    [`0200 1f90 7f000001 ${ZERO8}`, ['127.0.0.1', 8080]],
    [`0200 0000 00000000 ${ZERO8}`, ['0.0.0.0', 0]],
    [`0200 ffff ffffffff ${ZERO8}`, ['255.255.255.255', 65535]],
    [`0200 0050 0a00c863 ${'ff'.repeat(8)}`, ['10.0.200.99', 80]],
  ])('decodes %s', (bytes, address) => {
    const buf = hex(bytes);
    expect(inetFamily.decode(buf, buf.length, ctx4)).toEqual(address);
  });

  it('reads only `length` bytes of a larger scratch buffer, zero-filling a short one', () => {
    const scratch = Buffer.alloc(128, 0xff);
    hex(`0200 0050 7f000001`).copy(scratch);
    expect(inetFamily.decode(scratch, 16, ctx4)).toEqual(['127.0.0.1', 80]);
    expect(inetFamily.decode(scratch, 4, ctx4)).toEqual(['0.0.0.0', 80]);
    expect(inetFamily.decode(Buffer.from([2, 0]), 2, ctx4)).toEqual(['0.0.0.0', 0]);
  });
});

describe('AF_INET6 encode', () => {
  const any = '00'.repeat(16);
  const loop = `${'00'.repeat(15)}01`;
  it.each([
    [['::1', 8080], `0a00 1f90 00000000 ${loop} 00000000`],
    [['::1', 8080, 0x12345, 7], `0a00 1f90 00012345 ${loop} 07000000`],
    [['::1', 8080, 0xfffff], `0a00 1f90 000fffff ${loop} 00000000`],
    [['', 0], `0a00 0000 00000000 ${any} 00000000`],
    [['::ffff:1.2.3.4', 80, 3, 4], `0a00 0050 00000003 00000000000000000000ffff01020304 04000000`],
    [['2001:DB8::A', 1, 0, 0xffffffff], `0a00 0001 00000000 20010db800000000000000000000000a ffffffff`],
    [[Buffer.from('fe80::1'), 80, 0, 2], `0a00 0050 00000000 fe800000000000000000000000000001 02000000`],
  ])('encodes %j', (address, golden) => {
    expect(inet6Family.encode(address, ctx6)).toEqual(hex(golden));
  });

  it('takes the scope id of `%scope` when the tuple has none', async () => {
    const golden = hex(`0a00 0050 00000000 fe800000000000000000000000000001`);
    const scoped = (scope: number): Buffer => {
      const b = Buffer.alloc(28);
      golden.copy(b);
      b.writeUInt32LE(scope, 24);
      return b;
    };
    expect(inet6Family.encode(['fe80::1%lo', 80], ctx6)).toEqual(scoped(LO));
    expect(inet6Family.encode(['fe80::1%7', 80, 0], ctx6)).toEqual(scoped(7));
    expect(await inet6Family.encodeAsync!(['fe80::1%lo', 80], ctx6)).toEqual(scoped(LO));
  });

  it('lets an explicit scope_id win over `%scope`, even 0 (as CPython)', async () => {
    const golden = (scope: number): Buffer => {
      const b = hex(`0a00 0050 00000000 fe800000000000000000000000000001 00000000`);
      b.writeUInt32LE(scope, 24);
      return b;
    };
    expect(inet6Family.encode(['fe80::1%lo', 80, 0, 5], ctx6)).toEqual(golden(5));
    expect(inet6Family.encode(['fe80::1%lo', 80, 0, 0], ctx6)).toEqual(golden(0));
    expect(await inet6Family.encodeAsync!(['fe80::1%lo', 80, 0, 5], ctx6)).toEqual(golden(5));
  });
});

describe('AF_INET6 decode', () => {
  it.each([
    [`0a00 1f90 00000000 ${'00'.repeat(15)}01 00000000`, ['::1', 8080, 0, 0]],
    [`0a00 0050 00000003 00000000000000000000ffff7f000001 04000000`, ['::ffff:127.0.0.1', 80, 3, 4]],
    [`0a00 0050 ffffffff fe800000000000000000000000000001 ffffffff`, ['fe80::1', 80, 0xffffffff, 0xffffffff]],
    [`0a00 ffff 00012345 20010db8000000000001000000000001 01000000`, ['2001:db8::1:0:0:1', 65535, 0x12345, 1]],
  ])('decodes %s', (bytes, address) => {
    const buf = hex(bytes);
    expect(inet6Family.decode(buf, buf.length, ctx6)).toEqual(address);
  });

  it('zero-fills a short sockaddr', () => {
    expect(inet6Family.decode(hex('0a00 0050'), 4, ctx6)).toEqual(['::', 80, 0, 0]);
  });
});

describe('bad addresses', () => {
  const ctx = (family: number, caller: string): AddressContext => ({ family, type: SOCK_DGRAM, proto: 0, caller });

  it('names the caller, the family and the shape for a wrong shape', () => {
    expect(thrown(() => inetFamily.encode('localhost:80', ctx4))).toEqual(
      new TypeError('bind(): AF_INET address must be [host: string, port: number], got "localhost:80"'),
    );
    expect(thrown(() => inet6Family.encode(['::1'], ctx(AF_INET6, 'connect'))).message).toBe(
      'connect(): AF_INET6 address must be [host: string, port: number, flowinfo?: number, scope_id?: number], got [ \'::1\' ]',
    );
    for (const bad of [null, undefined, 80, {}, ['h'], ['h', 1, 2], new Map(), { 0: 'h', 1: 1, length: 2 }]) {
      expect(thrown(() => inetFamily.encode(bad, ctx4))).toBeInstanceOf(TypeError);
    }
    for (const bad of [['h'], ['::1', 1, 2, 3, 4], '::1']) {
      expect(thrown(() => inet6Family.encode(bad, ctx6))).toBeInstanceOf(TypeError);
    }
  });

  it('rejects a host that is neither a string nor bytes', () => {
    expect(thrown(() => inetFamily.encode([null, 80], ctx4))).toEqual(
      new TypeError('bind(): AF_INET host must be a string or bytes-like object, got null'),
    );
    for (const host of [undefined, 127, 0x7f000001n, ['127.0.0.1'], {}, true]) {
      expect(thrown(() => inetFamily.encode([host, 80], ctx4))).toBeInstanceOf(TypeError);
      expect(thrown(() => inet6Family.encode([host, 80], ctx6))).toBeInstanceOf(TypeError);
    }
  });

  it('rejects a host with a NUL, as a string or as bytes', () => {
    const expected = new TypeError('sendto(): AF_INET host name must not contain null character');
    expect(thrown(() => inetFamily.encode(['127.0.0.1\0evil', 80], ctx(AF_INET, 'sendto')))).toEqual(expected);
    expect(thrown(() => inetFamily.encode([Buffer.from('a\0b'), 80], ctx(AF_INET, 'sendto')))).toEqual(expected);
    expect(thrown(() => inet6Family.encode(['::1\0', 80], ctx6)).message).toContain('AF_INET6 host name must not contain null character');
  });

  it('rejects a port, flowinfo or scope_id that is not an integer with a TypeError', () => {
    expect(thrown(() => inetFamily.encode(['127.0.0.1', '80'], ctx4))).toEqual(
      new TypeError('bind(): AF_INET port must be an integer, got "80"'),
    );
    for (const port of [80.5, NaN, Infinity, true, 80n, null, undefined, [80]]) {
      expect(thrown(() => inetFamily.encode(['127.0.0.1', port], ctx4))).toBeInstanceOf(TypeError);
    }
    expect(thrown(() => inet6Family.encode(['::1', 80, 1.5], ctx6)).message).toBe(
      'bind(): AF_INET6 flowinfo must be an integer, got 1.5',
    );
    expect(thrown(() => inet6Family.encode(['::1', 80, 0, undefined], ctx6)).message).toBe(
      'bind(): AF_INET6 scope_id must be an integer, got undefined',
    );
  });

  it('rejects out-of-range numbers with a RangeError naming the field', () => {
    expect(thrown(() => inetFamily.encode(['127.0.0.1', 70000], ctx(AF_INET, 'connect')))).toEqual(
      new RangeError('connect(): AF_INET port must be 0-65535, got 70000'),
    );
    expect(thrown(() => inet6Family.encode(['::1', 80, -1], ctx(AF_INET6, 'sendto')))).toEqual(
      new RangeError('sendto(): AF_INET6 flowinfo must be 0-1048575, got -1'),
    );
    expect(thrown(() => inet6Family.encode(['::1', 80, 0, 2 ** 32], ctx6))).toEqual(
      new RangeError('bind(): AF_INET6 scope_id must be 0-4294967295, got 4294967296'),
    );
    for (const port of [-1, 65536, 2 ** 64, -(2 ** 64)]) {
      expect(thrown(() => inetFamily.encode(['127.0.0.1', port], ctx4))).toBeInstanceOf(RangeError);
      expect(thrown(() => inet6Family.encode(['::1', port], ctx6))).toBeInstanceOf(RangeError);
    }
    expect(thrown(() => inet6Family.encode(['::1', 80, 0x100000], ctx6))).toBeInstanceOf(RangeError);
  });

  it('checks every type before any range, as PyArg_ParseTuple does', () => {
    expect(thrown(() => inet6Family.encode(['::1', 70000, 'x'], ctx6))).toBeInstanceOf(TypeError);
  });

  it('omits the prefix when there is no caller', () => {
    expect(thrown(() => inetFamily.encode(['127.0.0.1', -1], { ...ctx4, caller: '' })).message).toBe(
      'AF_INET port must be 0-65535, got -1',
    );
  });

  it('raises TypeError for a host that cannot be IDNA-encoded, as Python does', () => {
    for (const host of ['\udcff', '\u00e9'.repeat(70), 'a..\u00e9', '.\u00e9', '\u00e9/x']) {
      expect(thrown(() => inetFamily.encode([host, 80], ctx4)).message).toContain('AF_INET host name cannot be IDNA-encoded');
    }
  });
});

describe('name resolution', () => {
  it('raises gaierror EAI_ADDRFAMILY for a literal of the other family', async () => {
    for (const [plugin, ctx, host] of [[inetFamily, ctx4, '::1'], [inet6Family, ctx6, '127.0.0.1']] as const) {
      const err = thrown(() => plugin.encode([host, 80], ctx));
      expect(err).toBeInstanceOf(gaierror);
      expect((err as gaierror).errno).toBe(EAI_ADDRFAMILY);
      expect(err.message).toBe(`[Errno ${EAI_ADDRFAMILY}] Address family for hostname not supported`);
      const async = await rejected(() => plugin.encodeAsync!([host, 80], ctx));
      expect(async).toBeInstanceOf(gaierror);
      expect((async as gaierror).errno).toBe(EAI_ADDRFAMILY);
    }
  });

  // An unknown host name would be a DNS query leaving this machine: that case
  // runs in test/namespace.test.ts, with a files-only resolver.
  it('raises gaierror for an unknown %scope (no lookup leaves the machine)', async () => {
    const names = [[inet6Family, ctx6, 'fe80::1%no-such-if']] as const;
    for (const [plugin, ctx, host] of names) {
      const err = thrown(() => plugin.encode([host, 80], ctx));
      expect(err).toBeInstanceOf(gaierror);
      expect([EAI_NONAME, EAI_AGAIN]).toContain((err as gaierror).errno);
      expect(await rejected(() => plugin.encodeAsync!([host, 80], ctx))).toBeInstanceOf(gaierror);
    }
  });

  it('raises a message-only OSError for <broadcast> on AF_INET6', () => {
    for (const host of ['<broadcast>', '255.255.255.255']) {
      const err = thrown(() => inet6Family.encode([host, 80], ctx6));
      expect(err).toBeInstanceOf(OSError);
      expect(err.message).toBe('address family mismatched');
      expect((err as OSError).errno).toBeNull();
    }
  });

  it('turns EAI_SYSTEM into the OSError of its errno', () => {
    const err = lookupError(-(0x10000 + 2));
    expect(err).toBeInstanceOf(FileNotFoundError);
    expect(err.errno).toBe(2);
    expect(lookupError(EAI_NONAME)).toBeInstanceOf(gaierror);
  });

  it('encodeAsync returns a Buffer at once when no lookup is needed, else a Promise', async () => {
    for (const address of [['127.0.0.1', 1], ['', 0], ['<broadcast>', 1]]) {
      expect(Buffer.isBuffer(inetFamily.encodeAsync!(address, ctx4))).toBe(true);
    }
    for (const address of [['::1', 1], ['', 0], ['::1', 1, 0, 3]]) {
      expect(Buffer.isBuffer(inet6Family.encodeAsync!(address, ctx6))).toBe(true);
    }
    const pending = inetFamily.encodeAsync!(['localhost', 1], ctx4);
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toEqual(inetFamily.encode(['127.0.0.1', 1], ctx4));
  });
});

describe('the kernel reads what we encode', () => {
  function roundTrip(family: number, address: readonly unknown[], plugin: typeof inetFamily | typeof inet6Family, ctx: AddressContext): unknown {
    const fd = binding.socket(family, SOCK_DGRAM, 0);
    expect(fd).toBeGreaterThanOrEqual(0);
    try {
      expect(binding.bind(fd, plugin.encode(address, ctx))).toBe(0);
      const out = Buffer.alloc(128);
      const length = binding.getsockname(fd, out);
      expect(length).toBeGreaterThan(0);
      return plugin.decode(out, length, ctx);
    } finally {
      binding.close(fd);
    }
  }

  it('binds AF_INET to 127.0.0.1 and reads the address back', () => {
    const [host, port] = roundTrip(AF_INET, ['127.0.0.1', 0], inetFamily, ctx4) as [string, number];
    expect(host).toBe('127.0.0.1');
    expect(port).toBeGreaterThan(0);
  });

  it('binds AF_INET6 to ::1 and reads all four fields back', () => {
    const fd = binding.socket(AF_INET6, SOCK_DGRAM, 0);
    if (fd < 0) return;
    binding.close(fd);
    const [host, port, flowinfo, scope] = roundTrip(AF_INET6, ['::1', 0], inet6Family, ctx6) as [string, number, number, number];
    expect([host, flowinfo, scope]).toEqual(['::1', 0, 0]);
    expect(port).toBeGreaterThan(0);
  });
});

describeFamilyConformance(inetFamily, {
  ctx: ctx4,
  schema: inetFamily.schema,
  good: [
    { address: ['127.0.0.1', 80] },
    { address: ['0.0.0.0', 0] },
    { address: ['255.255.255.255', 65535] },
    { address: ['', 1], decoded: ['0.0.0.0', 1] },
    { address: ['<broadcast>', 2], decoded: ['255.255.255.255', 2] },
    { address: [Buffer.from('10.9.8.7'), 3], decoded: ['10.9.8.7', 3] },
    { address: [new Uint8Array([0x31, 0x2e, 0x32, 0x2e, 0x33, 0x2e, 0x34]), 4], decoded: ['1.2.3.4', 4] },
  ],
  badType: [
    'localhost:80', ['127.0.0.1'], ['127.0.0.1', 80, 0], [80, '127.0.0.1'], ['127.0.0.1', '80'],
    ['127.0.0.1', 80.5], ['127.0.0.1', NaN], ['127.0.0.1', true], ['127.0.0.1', 80n], [null, 80],
    ['127.0.0.1\0', 80], [Buffer.from('1.2.3.4\0'), 80], { host: '127.0.0.1', port: 80 }, null, undefined,
  ],
  badRange: [['127.0.0.1', 65536], ['127.0.0.1', -1], ['', 2 ** 53], [Buffer.from('1.2.3.4'), 1e20]],
});

describeFamilyConformance(inet6Family, {
  ctx: ctx6,
  schema: inet6Family.schema,
  good: [
    { address: ['::1', 80], decoded: ['::1', 80, 0, 0] },
    { address: ['::1', 80, 5], decoded: ['::1', 80, 5, 0] },
    { address: ['fe80::1', 80, 0xfffff, 0xffffffff] },
    { address: ['', 0], decoded: ['::', 0, 0, 0] },
    { address: ['::FFFF:127.0.0.1', 1, 0, 0], decoded: ['::ffff:127.0.0.1', 1, 0, 0] },
    { address: ['2001:db8:0:0:1:0:0:1', 2], decoded: ['2001:db8::1:0:0:1', 2, 0, 0] },
    { address: [Buffer.from('::2'), 3, 0, 1], decoded: ['::2', 3, 0, 1] },
  ],
  badType: [
    '::1', ['::1'], ['::1', 1, 2, 3, 4], ['::1', '80'], ['::1', 80, '0'], ['::1', 80, 0, '1'],
    ['::1', 80, null], ['::1', 80, 0, undefined], ['::1', 80, 1.5], [1, 80], ['::1\0', 80], ['::1', 70000, 'x'],
  ],
  badRange: [
    ['::1', 65536], ['::1', -1], ['::1', 80, 0x100000], ['::1', 80, -1], ['::1', 80, 0, -1],
    ['::1', 80, 0, 2 ** 32], ['::1', 70000, 0x100000],
  ],
});
