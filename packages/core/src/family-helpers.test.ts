/**
 * The helpers the family packages share: how every family's address error
 * shows a bad value and names its caller, and the sockaddr byte helpers.
 */
import { endianness } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  bytesOf, checkInteger, checkRange, isBytesLike, prefix, readCString, readHostLong, readHostU32, show, writeHostLong,
  writeHostU32, zeroPadded,
} from './family-helpers.js';

describe('show', () => {
  it('quotes strings and cuts them at 80 characters', () => {
    expect(show('eth0')).toBe('"eth0"');
    expect(show('y'.repeat(80))).toBe(`"${'y'.repeat(80)}"`);
    expect(show('x'.repeat(100))).toBe(`"${'x'.repeat(80)}…"`);
  });

  it('writes numbers, bigints and the other primitives as the source does', () => {
    expect(show(-0)).toBe('-0');
    expect(show(1.5)).toBe('1.5');
    expect(show(NaN)).toBe('NaN');
    expect(show(5n)).toBe('5n');
    expect(show(undefined)).toBe('undefined');
    expect(show(true)).toBe('true');
    expect(show(Symbol('s'))).toBe('Symbol(s)');
    expect(show(() => 1)).toBe('function');
  });

  it('inspects objects, at most 80 characters', () => {
    expect(show(null)).toBe('null');
    expect(show([1, '2'])).toBe("[ 1, '2' ]");
    expect(show(Buffer.alloc(40))).toBe(`<Buffer ${'00 '.repeat(24)}…`);
  });

  it('stays on one line, even for an array util.inspect would group over several', () => {
    expect(show({ a: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toBe('{ a: [ 1, 2, 3, 4, 5, 6, 7, 8, ... 1 more item ] }');
  });
});

describe('prefix', () => {
  it('is `caller(): `, or nothing without a caller', () => {
    expect(prefix({ family: 1, type: 1, proto: 0, caller: 'bind' })).toBe('bind(): ');
    expect(prefix(undefined)).toBe('');
  });
});

describe('checkInteger and checkRange', () => {
  it('name the caller, family and field', () => {
    expect(checkInteger(7, 'bind(): AF_X', 'port')).toBe(7);
    expect(() => checkInteger('7', 'bind(): AF_X', 'port')).toThrow(
      new TypeError('bind(): AF_X port must be an integer, got "7"'),
    );
    expect(checkRange(7, 0, 9, 'bind(): AF_X', 'port')).toBe(7);
    expect(() => checkRange(10, 0, 9, 'bind(): AF_X', 'port')).toThrow(
      new RangeError('bind(): AF_X port must be 0-9, got 10'),
    );
  });
});

describe('bytes', () => {
  it('takes any ArrayBufferView or ArrayBuffer, over the same memory', () => {
    const ab = new ArrayBuffer(4);
    expect(isBytesLike(ab) && isBytesLike(new DataView(ab)) && !isBytesLike([1])).toBe(true);
    bytesOf(new Uint8Array(ab, 1, 2))[0] = 9;
    expect(new Uint8Array(ab)[1]).toBe(9);
  });

  it('reads and writes in host byte order', () => {
    const buf = Buffer.alloc(8);
    writeHostU32(buf, 0x01020304, 0);
    expect(buf[0]).toBe(endianness() === 'LE' ? 4 : 1);
    expect(readHostU32(buf, 0)).toBe(0x01020304);
    writeHostLong(buf, -2, 0, 8);
    expect(readHostLong(buf, 0, 8)).toBe(-2);
    writeHostLong(buf, -3, 0, 4);
    expect(readHostLong(buf, 0, 4)).toBe(-3);
  });

  it('reads a C string up to its NUL', () => {
    expect(readCString(Buffer.from('hash\0xx'), 0, 7)).toBe('hash');
    expect(readCString(Buffer.from('sha256'), 1, 3)).toBe('ha2');
  });

  it('pads a short sockaddr with zeros, and leaves a whole one as it is', () => {
    const whole = Buffer.from([1, 2, 3, 4]);
    expect(zeroPadded(whole, 4, 4)).toBe(whole);
    expect([...zeroPadded(whole, 2, 4)]).toEqual([1, 2, 0, 0]);
  });
});
