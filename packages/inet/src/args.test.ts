/**
 * The argument helpers: Python's `repr()` of addresses (used in
 * create_server's bind error, CCS-17) and the integer rules of CPython's
 * `i` and `I` formats.
 */
import { describe, expect, it } from 'vitest';
import { hasPython, needsPython, runPythonSync } from '@bsdsock/test-utils';
import { intArg, pyRepr, strArg, uintMaskArg } from './args.js';

describe('pyRepr', () => {
  it('renders addresses as Python tuples', () => {
    expect(pyRepr(['127.0.0.1', 8080])).toBe("('127.0.0.1', 8080)");
    expect(pyRepr(['::1', 80, 0, 0])).toBe("('::1', 80, 0, 0)");
    expect(pyRepr(['x'])).toBe("('x',)");
    expect(pyRepr([])).toBe('()');
    expect(pyRepr([null, true, false])).toBe('(None, True, False)');
    expect(pyRepr("it's")).toBe('"it\'s"');
    expect(pyRepr('a\nb\\')).toBe("'a\\nb\\\\'");
    expect(pyRepr(Buffer.from('ab\x00\xff', 'latin1'))).toBe("b'ab\\x00\\xff'");
  });

  it.skipIf(!hasPython())(needsPython('matches python3 repr()'), () => {
    const values = ["it's", 'say "hi"', 'both \' and "', 'tab\there', '\x01\x7f', 'é中'];
    const r = runPythonSync(`import json,sys; print(json.dumps([repr(v) for v in json.load(sys.stdin)]))`, {
      input: JSON.stringify(values),
    });
    expect(values.map(pyRepr)).toEqual(JSON.parse(r.stdout));
  });
});

describe('integer formats', () => {
  it("'i': an int, a bool as 0/1, a C int's range", () => {
    expect(intArg(5, 'x')).toBe(5);
    expect(intArg(true, 'x')).toBe(1);
    expect(() => intArg(1.5, 'x')).toThrow(TypeError);
    expect(() => intArg('1', 'x')).toThrow(TypeError);
    expect(() => intArg(2 ** 31, 'x')).toThrow(RangeError);
    expect(() => intArg(-(2 ** 31) - 1, 'x')).toThrow(RangeError);
  });

  it("'I': kept modulo 2^32 without a range check", () => {
    expect(uintMaskArg(-1, 'x')).toBe(0xffffffff);
    expect(uintMaskArg(2 ** 32 + 5, 'x')).toBe(5);
    expect(() => uintMaskArg(0.5, 'x')).toThrow(TypeError);
  });

  it("'s': a string with no NUL and no lone surrogate", () => {
    expect(strArg('tcp', 'x')).toBe('tcp');
    expect(() => strArg(Buffer.from('tcp'), 'x')).toThrow(TypeError);
    expect(() => strArg('a\0b', 'x')).toThrow(TypeError);
    expect(() => strArg('\ud800', 'x')).toThrow(TypeError);
  });
});
