/**
 * htons / ntohs / htonl / ntohl: CPython's MOD-16..MOD-19 (see the
 * conformance checklist), and the same calls compared with python3 at run
 * time when it is there.
 */
import { endianness } from 'node:os';
import { describe, expect, it } from 'vitest';
import { hasPython, needsPython, runPythonSync } from '@bsdsock/test-utils';
import { htonl, htons, ntohl, ntohs } from './byte-order.js';

const LE = endianness() === 'LE';
const MASK16 = 0xffff;
const MASK32 = 0xffffffff;

describe('MOD-16: values', () => {
  it('swaps the bytes on a little-endian host', () => {
    expect(htons(0x1234)).toBe(LE ? 0x3412 : 0x1234);
    expect(ntohs(0x1234)).toBe(LE ? 0x3412 : 0x1234);
    expect(htonl(1)).toBe(LE ? 16777216 : 1);
    expect(ntohl(1)).toBe(LE ? 16777216 : 1);
    expect(htonl(0x01234567)).toBe(LE ? 0x67452301 : 0x01234567);
  });

  it('f(f(x)) == x, as testNtoH checks', () => {
    for (const [bits, mask] of [[16, MASK16], [32, MASK32]] as const) {
      const fns = bits === 16 ? [htons, ntohs] : [htonl, ntohl];
      for (const x of [0, 1, 0xffff, (~0xffff & mask) >>> 0, 2, (0x01234567 & mask) >>> 0, (0x76543210 & mask) >>> 0]) {
        for (const f of fns) {
          expect(f(f(x))).toBe(x);
          expect((f(mask) & mask) >>> 0).toBe(mask);
        }
      }
    }
  });

  it('takes a boolean as Python takes a bool (htons(True) == 256)', () => {
    expect(htons(true)).toBe(LE ? 256 : 1);
    expect(htonl(false)).toBe(0);
    expect(htonl(0xffffffff)).toBe(0xffffffff);
    expect(htons(0xffff)).toBe(0xffff);
  });
});

describe('MOD-17: htons / ntohs range (OverflowError → RangeError)', () => {
  it.each([1 << 16, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 1000, -(2 ** 31) - 1, -1, -2])('%d', (x) => {
    expect(() => htons(x)).toThrow(RangeError);
    expect(() => ntohs(x)).toThrow(RangeError);
  });

  it("negatives name Python 3.13's message", () => {
    expect(() => ntohs(-1)).toThrow("ntohs: can't convert negative Python int to C 16-bit unsigned integer");
    expect(() => htons(65536)).toThrow('htons: Python int too large to convert to C 16-bit unsigned integer');
    expect(() => htons(2 ** 31)).toThrow('Python int too large to convert to C int');
  });
});

describe('MOD-18: htonl / ntohl range', () => {
  it.each([2 ** 32, 2 ** 34, 2 ** 64, 2 ** 1000, -1, -(2 ** 40)])('%d', (x) => {
    expect(() => htonl(x)).toThrow(RangeError);
    expect(() => ntohl(x)).toThrow(RangeError);
  });

  it("gives Python 3.13's messages", () => {
    expect(() => htonl(2 ** 32)).toThrow('int larger than 32 bits');
    expect(() => htonl(-1)).toThrow("can't convert negative value to unsigned int");
    expect(() => htonl(2 ** 65)).toThrow('Python int too large to convert to C unsigned long');
  });
});

describe('MOD-19: wrong types → TypeError', () => {
  it.each([1.5, '1', null, undefined, 1n, NaN, Infinity, [1]])('%s', (x) => {
    for (const f of [htons, ntohs, htonl, ntohl]) expect(() => f(x as number)).toThrow(TypeError);
  });
});

describe.skipIf(!hasPython())(needsPython('compared with python3 at run time'), () => {
  it('gives the same values and the same error kinds', () => {
    const inputs = [0, 1, 2, 0x1234, 0xffff, 0x10000, 0x01234567, 0xffffffff, 2 ** 32, -1, 2 ** 31, 2 ** 64];
    const r = runPythonSync(`
import socket, json
out = []
for x in ${JSON.stringify(inputs)}:
    row = []
    for f in (socket.htons, socket.ntohs, socket.htonl, socket.ntohl):
        try: row.append(f(x))
        except OverflowError: row.append('OverflowError')
    out.append(row)
print(json.dumps(out))
`);
    expect(r.code).toBe(0);
    const expected = JSON.parse(r.stdout) as (number | string)[][];
    const actual = inputs.map((x) =>
      [htons, ntohs, htonl, ntohl].map((f) => {
        try {
          return f(x);
        } catch (err) {
          return err instanceof RangeError ? 'OverflowError' : String(err);
        }
      }),
    );
    expect(actual).toEqual(expected);
  });
});
