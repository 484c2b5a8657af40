/**
 * Argument checks shared by the Socket methods: each names the method and
 * the argument, and raises `TypeError` for a wrong type and `RangeError` for
 * a number out of range (Python's ValueError / OverflowError).
 *
 * @packageDocumentation
 */

/** Bytes the kernel may read: what Python calls a bytes-like object. */
export type BytesLike = ArrayBufferView | ArrayBuffer;

const INT_MIN = -0x8000_0000;
const INT_MAX = 0x7fff_ffff;

/** A short description of a value's type for messages, as Python names it. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'Array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

/** An integer that fits a C `int`. */
export function checkInt(value: unknown, what: string): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${what} must be an integer, not ${typeName(value)}`);
  }
  if (!Number.isInteger(value)) {
    throw new TypeError(`${what} must be an integer, got ${value}`);
  }
  if (value < INT_MIN || value > INT_MAX) {
    throw new RangeError(`${what} must fit in a C int, got ${value}`);
  }
  return value;
}

/** An optional flags argument: `undefined` is 0. */
export function checkFlags(value: unknown, method: string): number {
  if (value === undefined) return 0;
  return checkInt(value, `${method}(): flags`);
}

/** A bytes-like argument as a Uint8Array-compatible view (no copy). */
export function checkBytes(value: unknown, what: string): ArrayBufferView {
  if (ArrayBuffer.isView(value)) return value;
  if (value instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer)) {
    return new Uint8Array(value);
  }
  throw new TypeError(`${what}: a bytes-like object is required, not ${typeName(value)}`);
}

/** A writable view for the `*Into` methods. */
export function checkWritable(value: unknown, what: string): ArrayBufferView {
  if (ArrayBuffer.isView(value)) return value;
  throw new TypeError(`${what} must be a writable ArrayBufferView (Buffer, Uint8Array, DataView, ...), not ${typeName(value)}`);
}

/** Options of the Promise forms. */
export interface OpOptions {
  /** Aborts the pending operation: the promise rejects with `signal.reason`. */
  signal?: AbortSignal;
}

/**
 * Is `value` an options object? Only a plain object literal counts, so an
 * address of any shape (an array, a Buffer, an EncodedAddress) never does.
 */
export function isOptions(value: unknown): value is OpOptions {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Checks a Promise form's options and returns its signal. */
export function checkSignal(options: unknown, method: string): AbortSignal | undefined {
  if (options === undefined || options === null) return undefined;
  if (!isOptions(options)) {
    throw new TypeError(`${method}(): options must be an object, not ${typeName(options)}`);
  }
  const { signal } = options;
  if (signal === undefined) return undefined;
  if (typeof signal !== 'object' || signal === null || typeof (signal as AbortSignal).aborted !== 'boolean') {
    throw new TypeError(`${method}(): options.signal must be an AbortSignal`);
  }
  return signal;
}

/**
 * Parses a timeout in seconds as Python's `settimeout` does: `null` for
 * none, else a non-negative finite number, stored in nanoseconds rounded up.
 * Returns -1 for none.
 */
export function parseTimeout(value: unknown, method: string): number {
  if (value === null) return -1;
  if (typeof value === 'boolean') return value ? 1e9 : 0;
  if (typeof value !== 'number') {
    throw new TypeError(`${method}(): timeout must be a number of seconds or null, not ${typeName(value)}`);
  }
  if (Number.isNaN(value)) throw new RangeError('Invalid value NaN (not a number)');
  if (value < 0) throw new RangeError('Timeout value out of range');
  const ns = Math.ceil(value * 1e9) + 0; // + 0 turns -0 into 0
  if (!Number.isFinite(ns) || ns >= 2 ** 63) {
    throw new RangeError(`${method}(): timeout value is too large`);
  }
  return ns;
}
