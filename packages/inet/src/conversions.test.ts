/**
 * inetAton / inetNtoa / inetPton / inetNtop: CPython's RES-35..RES-47 (see
 * the conformance checklist), and inet_aton's lenient glibc forms compared
 * with python3 at run time over a table of inputs.
 */
import { describe, expect, it } from 'vitest';
import { OSError } from '@bsdsock/core';
import { hasPython, needsPython, runPythonSync } from '@bsdsock/test-utils';
import { AF_INET, AF_INET6 } from './constants.generated.js';
import { inetAton, inetNtoa, inetNtop, inetPton, parseInetAton } from './conversions.js';

const AF_UNIX = 1;
const hex = (s: string): Buffer => Buffer.from(s, 'hex');

function expectOSError(fn: () => unknown, message: string, errno: number | null = null): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(OSError);
  expect((caught as OSError).message).toBe(message);
  expect((caught as OSError).errno).toBe(errno);
}

/** Inputs for inet_aton: the C library's lenient forms and the ones it rejects. */
const ATON_INPUTS = [
  '0.0.0.0', '255.255.255.255', '255.0.255.0', '170.170.170.170', '1.2.3.4',
  '127.1', '1.2.3', '0x7f.1', '0X7F.1', '01.2.3.4', '017.0.0.1', '0377.0377.0377.0377', '0400.0.0.0',
  '0xFf.0xff.0xff.0xff', '0x7f000001', '2130706433', '017777777777', '0xffffffff', '0x100000000',
  '4294967295', '4294967296', '99999999999999999999', '1.16777215', '1.16777216', '1.2.65535', '1.2.65536',
  '1.2.3.255', '1.2.3.256', '1.2.3.0x100', '08.1.1.1', '09', '0x.1.1.1', '0x', '0', '00', '0x0',
  '1.', '.1', '1..2', '1.2.3.4.5', '0.0.0.', '300.0.0.0', 'a.0.0.0', '::1', '', ' 1.2.3.4',
  '1.2.3.4 junk', '1.2.3.4\tx', '1.2.3.4\n', '1.2.3.4\r\n', '1.2.3.4\v', '1.2.3.4\f', '1.2.3.4 ',
  '1.2.3.4é', '1.2.3.4 é', '1e1', '+1.2.3.4', '-1.2.3.4', '1.-2.3.4', '0x1g', '0xg', '1.2.3.4x',
  '0x00000000000000000001.2.3.4', '00000000000000000000001.1', '1.0x', '1.0x1', '127.0.0.01',
];

describe('RES-35: inet_aton always gives 4 bytes', () => {
  it.each([
    ['0.0.0.0', '00000000'],
    ['255.255.255.255', 'ffffffff'],
    ['255.0.255.0', 'ff00ff00'],
    ['170.170.170.170', 'aaaaaaaa'],
    ['1.2.3.4', '01020304'],
  ])('%s', (text, bytes) => {
    expect(inetAton(text)).toEqual(hex(bytes));
  });
});

describe('RES-36: inet_aton rejects', () => {
  it.each(['0.0.0.', '300.0.0.0', 'a.0.0.0', '1.2.3.4.5', '::1', '', ' 1.2.3.4'])('%j', (text) => {
    expectOSError(() => inetAton(text), 'illegal IP address string passed to inet_aton');
  });
});

describe('RES-37: inet_aton takes the old BSD forms (glibc)', () => {
  it.each([
    ['1.2.3', '01020003'],
    ['127.1', '7f000001'],
    ['0x7f.1', '7f000001'],
    ['01.2.3.4', '01020304'],
    ['017.0.0.1', '0f000001'],
    ['1.2.3.4 junk', '01020304'],
    ['0x7f000001', '7f000001'],
    ['4294967295', 'ffffffff'],
  ])('%j', (text, bytes) => {
    expect(inetAton(text)).toEqual(hex(bytes));
  });

  it('parseInetAton gives the 32-bit value, or -1', () => {
    expect(parseInetAton('127.1')).toBe(0x7f000001);
    expect(parseInetAton('1.16777216')).toBe(-1);
    expect(parseInetAton('08')).toBe(-1);
  });
});

describe('RES-38: inet_aton argument types', () => {
  it('takes only a string', () => {
    expect(() => inetAton(Buffer.from('1.2.3.4') as unknown as string)).toThrow(TypeError);
    expect(() => inetAton(null as unknown as string)).toThrow(TypeError);
    expect(() => inetAton(1 as unknown as string)).toThrow(TypeError);
  });

  it('a NUL or a lone surrogate is a TypeError (Python: ValueError, UnicodeEncodeError)', () => {
    expect(() => inetAton('1.2.3.4\0')).toThrow(TypeError);
    expect(() => inetAton('\udcff')).toThrow(TypeError);
  });
});

describe('RES-39: inet_pton(AF_INET) is strict', () => {
  it.each([
    ['0.0.0.0', '00000000'], ['255.255.255.255', 'ffffffff'], ['255.0.255.0', 'ff00ff00'],
    ['170.170.170.170', 'aaaaaaaa'], ['1.2.3.4', '01020304'],
  ])('%s', (text, bytes) => {
    expect(inetPton(AF_INET, text)).toEqual(hex(bytes));
  });

  it.each([
    '0.0.0.', '300.0.0.0', 'a.0.0.0', '1.2.3.4.5', '::1', '127.1', '1.2.3', '01.2.3.4', '0x1.2.3.4', '1.2.3.4 ', '',
  ])('rejects %j', (text) => {
    expectOSError(() => inetPton(AF_INET, text), 'illegal IP address string passed to inet_pton');
  });
});

describe('RES-40: inet_pton(AF_INET6) values', () => {
  it.each([
    ['::', '00000000000000000000000000000000'],
    ['0::0', '00000000000000000000000000000000'],
    ['1::', '00010000000000000000000000000000'],
    ['45ef:76cb:1a:56ef:afeb:bac:1924:aeae', '45ef76cb001a56efafeb0bac1924aeae'],
    ['ad42:abc::127:0:254:2', 'ad420abc000000000127000002540002'],
    ['12:a::', '0012000a000000000000000000000000'],
    ['::254.42.23.64', '000000000000000000000000fe2a1740'],
    ['42::a29b:254.42.23.64', '00420000000000000000a29bfe2a1740'],
    ['42:a8b9:0:2:ffff:a29b:254.42.23.64', '0042a8b900000002ffffa29bfe2a1740'],
    ['AD42:ABC::127:0:254:2', 'ad420abc000000000127000002540002'],
  ])('%s', (text, bytes) => {
    expect(inetPton(AF_INET6, text)).toEqual(hex(bytes));
  });
});

describe('RES-41: inet_pton(AF_INET6) rejects', () => {
  it.each([
    '0x20::', ':::', '::0::', '1::abc::', '1::abc::def', '1:2:3:4:5:6', '1:2:3:4:5:6:', '1:2:3:4:5:6:7:8:0',
    '1:2:3:4:5:6:7:8:', '255.254.253.252', '1::260.2.3.0', '1::0.be.e.0', '1:2:3:4:5:6:7:1.2.3.4',
    '::1.2.3.4:0', '0.100.200.0:3:4:5:6:7:8', '::1%lo', '',
  ])('%j', (text) => {
    expectOSError(() => inetPton(AF_INET6, text), 'illegal IP address string passed to inet_pton');
  });
});

describe('RES-42: inet_pton family and types', () => {
  it('another family is OSError EAFNOSUPPORT (97)', () => {
    expectOSError(() => inetPton(AF_UNIX, 'x'), '[Errno 97] Address family not supported by protocol', 97);
    expectOSError(() => inetPton(12345, 'x'), '[Errno 97] Address family not supported by protocol', 97);
  });

  it('the address must be a string, the family an integer', () => {
    expect(() => inetPton(AF_INET, Buffer.from('1.2.3.4') as unknown as string)).toThrow(TypeError);
    expect(() => inetPton('2' as unknown as number, '1.2.3.4')).toThrow(TypeError);
    expect(() => inetPton(2.5, '1.2.3.4')).toThrow(TypeError);
    expect(() => inetPton(2 ** 40, '1.2.3.4')).toThrow(RangeError);
    expect(() => inetPton(AF_INET, '1.2.3.4\0')).toThrow(TypeError);
  });
});

describe('RES-43: inet_ntoa', () => {
  it.each([
    ['01000100', '1.0.1.0'], ['aa55aa55', '170.85.170.85'], ['ffffffff', '255.255.255.255'], ['01020304', '1.2.3.4'],
  ])('%s', (bytes, text) => {
    expect(inetNtoa(hex(bytes))).toBe(text);
  });

  it('takes any bytes-like object', () => {
    expect(inetNtoa(new Uint8Array([1, 2, 3, 4]))).toBe('1.2.3.4');
    expect(inetNtoa(new Uint8Array([1, 2, 3, 4]).buffer)).toBe('1.2.3.4');
    expect(inetNtoa(new DataView(new Uint8Array([9, 1, 2, 3, 4]).buffer, 1))).toBe('1.2.3.4');
  });

  it.each([3, 5, 16, 0])('a length of %d is OSError', (n) => {
    expectOSError(() => inetNtoa(Buffer.alloc(n)), 'packed IP wrong length for inet_ntoa');
  });

  it('a string is a TypeError', () => {
    expect(() => inetNtoa('abcd' as unknown as Buffer)).toThrow(TypeError);
  });
});

describe('RES-44..RES-47: inet_ntop', () => {
  it('AF_INET gives the same values as inet_ntoa', () => {
    expect(inetNtop(AF_INET, hex('01000100'))).toBe('1.0.1.0');
    expect(inetNtop(AF_INET, hex('aa55aa55'))).toBe('170.85.170.85');
    expect(inetNtop(AF_INET, new Uint8Array([255, 255, 255, 255]))).toBe('255.255.255.255');
  });

  it('a wrong length is a RangeError (Python: ValueError), unlike inet_ntoa', () => {
    for (const [af, n] of [[AF_INET, 3], [AF_INET, 5], [AF_INET, 16], [AF_INET6, 15], [AF_INET6, 17], [AF_INET6, 4]]) {
      expect(() => inetNtop(af!, Buffer.alloc(n!))).toThrow(new RangeError('invalid length of packed IP address string'));
    }
  });

  it.each([
    ['00000000000000000000000000000000', '::'],
    ['00000000000000000000000000000001', '::1'],
    ['0aef0b0105061001ffff999700550170', 'aef:b01:506:1001:ffff:9997:55:170'],
    ['00000000000000000000ffff01020304', '::ffff:1.2.3.4'],
    ['00000000000000000000000001020304', '::1.2.3.4'],
    ['00010000000100010001000100010001', '1:0:1:1:1:1:1:1'],
    ['00010000000000000000000000000001', '1::1'],
  ])('RES-45/46: AF_INET6 %s', (bytes, text) => {
    expect(inetNtop(AF_INET6, hex(bytes))).toBe(text);
    expect(inetNtop(AF_INET6, new Uint8Array(hex(bytes)))).toBe(text);
  });

  it('RES-47: an unknown family is a RangeError naming it; a string is a TypeError', () => {
    expect(() => inetNtop(1, hex('01020304'))).toThrow(new RangeError('unknown address family 1'));
    expect(() => inetNtop(AF_INET6, 'x'.repeat(16) as unknown as Buffer)).toThrow(TypeError);
    expect(() => inetNtop(AF_INET, null as unknown as Buffer)).toThrow(TypeError);
  });
});

describe.skipIf(!hasPython())(needsPython('compared with python3 at run time'), () => {
  it('inet_aton accepts and rejects exactly what CPython 3.13 (glibc) does', () => {
    const r = runPythonSync(`
import socket, json, sys
out = []
for s in json.load(sys.stdin):
    try: out.append(socket.inet_aton(s).hex())
    except OSError: out.append(None)
print(json.dumps(out))
`, { input: JSON.stringify(ATON_INPUTS) });
    expect(r.code).toBe(0);
    const expected = JSON.parse(r.stdout) as (string | null)[];
    const actual = ATON_INPUTS.map((s) => {
      try {
        return inetAton(s).toString('hex');
      } catch (err) {
        if (err instanceof OSError) return null;
        throw err;
      }
    });
    expect(Object.fromEntries(ATON_INPUTS.map((s, i) => [s, actual[i]]))).toEqual(
      Object.fromEntries(ATON_INPUTS.map((s, i) => [s, expected[i]])),
    );
  });

  it('inet_pton / inet_ntop agree on the same table', () => {
    const inputs = ATON_INPUTS.concat(['::', '::1', '1::', 'fe80::1', '::ffff:1.2.3.4', '1:2:3:4:5:6:7:8', '::1%lo']);
    const r = runPythonSync(`
import socket, json, sys
out = []
for s in json.load(sys.stdin):
    row = []
    for af in (socket.AF_INET, socket.AF_INET6):
        try:
            b = socket.inet_pton(af, s)
            row.append([b.hex(), socket.inet_ntop(af, b)])
        except OSError: row.append(None)
    out.append(row)
print(json.dumps(out))
`, { input: JSON.stringify(inputs) });
    expect(r.code).toBe(0);
    const actual = inputs.map((s) =>
      [AF_INET, AF_INET6].map((af) => {
        try {
          const b = inetPton(af, s);
          return [b.toString('hex'), inetNtop(af, b)];
        } catch (err) {
          if (err instanceof OSError) return null;
          throw err;
        }
      }),
    );
    expect(actual).toEqual(JSON.parse(r.stdout));
  });
});
