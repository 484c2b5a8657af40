/**
 * Bluetooth address text (BT-04, BT-05): golden conversions both ways, and
 * the parser held against the very code CPython runs, glibc's
 * `sscanf("%X:%X:%X:%X:%X:%X%c")` followed by setbdaddr()'s `< 256` check,
 * called through ctypes on a few thousand strings.
 */
import { describe, expect, it } from 'vitest';
import { hasPython, needsPython, runPythonSync } from '@bsdsock/test-utils';
import { bdaddrFromBytes, bdaddrToBytes, isBdaddr, scanBdaddr } from './bdaddr.js';
import { BDADDR_ANY, BDADDR_LOCAL } from './constants.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('bdaddr text to bytes (BT-04)', () => {
  it.each([
    ['00:11:22:33:44:55', '554433221100'],
    ['AA:bb:Cc:dD:ee:FF', 'ffeeddccbbaa'],
    [BDADDR_ANY, '000000000000'],
    [BDADDR_LOCAL, 'ffffff000000'],
    ['1:2:3:4:5:6', '060504030201'],
    ['0x1:0X2:+3:-0:000000ff: \t7', '07ff00030201'],
    ['100000000:1:2:3:4:5', '050403020100'],
    ['0x:0:0:0:0:0', '000000000000'],
  ])('%j is %s, reversed as the kernel stores it', (text, bytes) => {
    expect(bdaddrToBytes(text)).toEqual(hex(bytes));
    expect(isBdaddr(text)).toBe(true);
  });

  it.each([
    '', '00:11:22:33:44', '00:11:22:33:44:55:66', '00:11:22:33:44:55 ', '00:11:22:33:44:100',
    '00-11-22-33-44-55', '00 :11:22:33:44:55', '00:11:22:33:44:-1', '00:11:22:33:44:55\0', 'g0:11:22:33:44:55',
    '001122334455', ':11:22:33:44:55', '00:11:22:33:44:ffffffffffffffffff', '00:11:22:33:44:x5', '+:1:2:3:4:5',
  ])('rejects %j, as setbdaddr() does', (text) => {
    expect(scanBdaddr(text)).toBeNull();
    expect(isBdaddr(text)).toBe(false);
    expect(() => bdaddrToBytes(text)).toThrow(TypeError);
  });

  it('names what it was given', () => {
    expect(() => bdaddrToBytes('00:11')).toThrow("bdaddrToBytes(): expected a Bluetooth address 'XX:XX:XX:XX:XX:XX', got \"00:11\"");
    expect(() => bdaddrToBytes(5 as unknown as string)).toThrow('got 5');
    expect(isBdaddr(5)).toBe(false);
  });
});

describe('bdaddr bytes to text (BT-05)', () => {
  it('writes the most significant byte first, in upper case, as makebdaddr() does', () => {
    expect(bdaddrFromBytes(hex('554433221100'))).toBe('00:11:22:33:44:55');
    expect(bdaddrFromBytes(new Uint8Array([0xff, 0xee, 0x0d, 0xcc, 0x0b, 0xaa]))).toBe('AA:0B:CC:0D:EE:FF');
    expect(bdaddrFromBytes(new Uint8Array(6).buffer)).toBe(BDADDR_ANY);
    expect(bdaddrFromBytes(hex('ffffff000000'))).toBe(BDADDR_LOCAL);
  });

  it('round-trips every address it writes', () => {
    for (let i = 0; i < 256; i++) {
      const bytes = Buffer.from([i, 255 - i, i ^ 0x5a, (i * 7) & 0xff, 0, 0xff]);
      expect(bdaddrToBytes(bdaddrFromBytes(bytes))).toEqual(bytes);
    }
  });

  it('wants exactly 6 bytes', () => {
    expect(() => bdaddrFromBytes(Buffer.alloc(5))).toThrow('bdaddrFromBytes(): expected 6 bytes, got <Buffer 00 00 00 00 00>');
    expect(() => bdaddrFromBytes('00:11:22:33:44:55' as unknown as Buffer)).toThrow(TypeError);
  });
});

/** A deterministic corpus: hand-picked edge cases and random strings over the characters %X and ':' care about. */
function corpus(): string[] {
  const out = [
    '0:0:0:0:0:0', '  1:\t2:\n3:\v4:\f5:\r6', '-0:-0:-0:-0:-0:-0', '-1:0:0:0:0:0', '+ff:0:0:0:0:0', '0x0x:0:0:0:0:0',
    '0xff:0XFF:0xFf:0:0:0', '00000000000000000000ff:0:0:0:0:0', '1ffffffff:0:0:0:0:0', '100000001:0:0:0:0:0',
    '-100000000:0:0:0:0:0', '10000000000000000:0:0:0:0:0', '0x:0x:0x:0x:0x:0x', '0:0:0:0:0:0x', '0:0:0:0:0:0xg',
    '0:0:0:0:0:', ' :0:0:0:0:0', '- 1:0:0:0:0:0', '0x 1:0:0:0:0:0', '00:11:22:33:44:55\n', '\t00:11:22:33:44:55',
  ];
  const alphabet = '0123456789abcdefABCDEFxX::::+- \t';
  let s = 0x5eed;
  const next = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  const pick = <T>(items: readonly T[]): T => items[next() % items.length]!;
  for (let n = 0; n < 2000; n++) {
    const length = 11 + (next() % 14);
    let text = '';
    for (let i = 0; i < length; i++) text += alphabet[next() % alphabet.length];
    out.push(text);
  }
  // Six groups of what %X might meet, joined by ':' (now and then by something else).
  const lead = ['', '', '', '', '', '', ' ', '\t', '+', '-', '0x', '0X', ' -0x', '00'];
  const digits = ['0', '7', 'f', 'F', 'ff', 'a0', '3C', '1ff', '100', '0ff', 'abc', '100000000', 'ffffffff', '1000000ff', ''];
  for (let n = 0; n < 2000; n++) {
    let text = '';
    for (let g = 0; g < 6; g++) text += (g ? (next() % 40 ? ':' : pick([' :', ';', ''])) : '') + pick(lead) + pick(digits);
    out.push(text + (next() % 8 ? '' : pick([' ', ':', 'x', '0'])));
  }
  return out;
}

const SSCANF = String.raw`
import ctypes, json, sys
libc = ctypes.CDLL(None)
fmt = b"%X:%X:%X:%X:%X:%X%c"
out = []
for text in json.load(sys.stdin):
    b = [ctypes.c_uint() for _ in range(6)]
    ch = ctypes.c_char()
    n = libc.sscanf(text.encode(), fmt, *[ctypes.byref(x) for x in b], ctypes.byref(ch))
    values = [x.value for x in b]
    out.append(bytes(reversed(values)).hex() if n == 6 and all(v < 256 for v in values) else None)
print(json.dumps(out))
`;

describe.skipIf(!hasPython())(needsPython('bdaddr parsing compared with glibc sscanf through python3 ctypes (BT-04)'), () => {
  it('accepts exactly the strings setbdaddr() accepts, with the same bytes', () => {
    const texts = corpus();
    const r = runPythonSync(SSCANF, { input: JSON.stringify(texts), timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    const want = JSON.parse(r.stdout) as (string | null)[];
    const got = texts.map((t) => scanBdaddr(t)?.toString('hex') ?? null);
    const differ = texts.flatMap((t, i) => (got[i] === want[i] ? [] : [`${JSON.stringify(t)}: ${got[i]} vs ${want[i]}`]));
    expect(differ).toEqual([]);
    expect(want.filter((w) => w !== null).length).toBeGreaterThan(100);
  });
});
