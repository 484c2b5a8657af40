/**
 * Argument checks of the module functions, with CPython's rules mapped as
 * API.md maps them: a Python TypeError is a `TypeError`, a ValueError or
 * OverflowError about a number is a `RangeError`, and a string Python
 * cannot encode (a lone surrogate, a NUL where C needs a C string) is a
 * `TypeError`, as in the family codecs.
 *
 * @internal
 * @packageDocumentation
 */
import { bytesOf, isBytesLike } from './bytes.js';
import { show } from './messages.js';

const INT_MIN = -0x8000_0000;
const INT_MAX = 0x7fff_ffff;

/** A value's type as messages name it: `null`, `Array`, `Buffer`, `number`, ... */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'Array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

/**
 * An integer argument that CPython parses as a C `int` (the `i` format): a
 * whole number or a boolean (Python's bool is an int), -2^31..2^31-1.
 *
 * @throws TypeError for anything else; RangeError out of range.
 */
export function intArg(value: unknown, what: string): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${what} must be an integer, got ${show(value)}`);
  }
  if (value < INT_MIN) throw new RangeError(`${what}: signed integer is less than minimum, got ${value}`);
  if (value > INT_MAX) throw new RangeError(`${what}: signed integer is greater than maximum, got ${value}`);
  return value;
}

/**
 * An integer CPython parses as a C `unsigned int` without an overflow check
 * (the `I` format): any whole number, kept modulo 2^32.
 */
export function uintMaskArg(value: unknown, what: string): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${what} must be an integer, got ${show(value)}`);
  }
  return Number(BigInt.asUintN(32, BigInt(value)));
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether a string has a UTF-8 encoding (no lone surrogate). */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/**
 * A text argument that CPython takes as a `str` and hands to C as UTF-8
 * (the `s` format): no bytes, no NUL, no lone surrogate.
 */
export function strArg(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new TypeError(`${what} must be a string, not ${typeName(value)}`);
  if (value.includes('\0')) throw new TypeError(`${what} must not contain a null character`);
  if (!isWellFormed(value)) throw new TypeError(`${what} must not contain a lone surrogate (it has no UTF-8 encoding)`);
  return value;
}

/** A bytes-like argument as a Buffer over the same memory. */
export function bytesArg(value: unknown, what: string): Buffer {
  if (!isBytesLike(value)) throw new TypeError(`${what} must be a bytes-like object, not ${typeName(value)}`);
  return bytesOf(value);
}

/** An options object argument: `undefined`, or a plain object. */
export function optionsArg<T extends object>(value: unknown, method: string): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isBytesLike(value)) {
    throw new TypeError(`${method}(): options must be an object, got ${show(value)}`);
  }
  return value as Partial<T>;
}

/** An AbortSignal option, or undefined. */
export function signalArg(value: unknown, method: string): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || typeof (value as AbortSignal).aborted !== 'boolean') {
    throw new TypeError(`${method}(): options.signal must be an AbortSignal`);
  }
  return value as AbortSignal;
}

function pyStr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

function pyBytes(bytes: Buffer): string {
  const quote = bytes.includes(0x27) && !bytes.includes(0x22) ? '"' : "'";
  let out = `b${quote}`;
  for (const c of bytes) {
    if (c === quote.charCodeAt(0) || c === 0x5c) out += `\\${String.fromCharCode(c)}`;
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c >= 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += String.fromCharCode(c);
  }
  return out + quote;
}

/**
 * Python's `repr()` of an address as the caller gave it: strings quoted as
 * Python quotes them, arrays as tuples, bytes as `b'...'`, `null` as `None`.
 *
 * @example
 * ```ts
 * pyRepr(['127.0.0.1', 8080]);   // "('127.0.0.1', 8080)"
 * ```
 */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return pyStr(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'bigint') return value.toString();
  if (isBytesLike(value)) return pyBytes(bytesOf(value));
  if (Array.isArray(value)) {
    const items = value.map(pyRepr);
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
  }
  return show(value);
}
