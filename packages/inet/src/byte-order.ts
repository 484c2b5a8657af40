/**
 * `htons`, `ntohs`, `htonl`, `ntohl`: integers between host and network
 * byte order, with CPython 3.13's argument checks.
 *
 * @packageDocumentation
 */
import { endianness } from 'node:os';
import { show } from './messages.js';

const LITTLE_ENDIAN = endianness() === 'LE';
const INT_MIN = -0x8000_0000;
const INT_MAX = 0x7fff_ffff;
const ULONG_MAX = 2 ** 64 - 1;

function swap16(x: number): number {
  return LITTLE_ENDIAN ? ((x & 0xff) << 8) | (x >>> 8) : x;
}

function swap32(x: number): number {
  if (!LITTLE_ENDIAN) return x;
  return (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;
}

function integer(x: unknown, name: string): number {
  if (typeof x === 'boolean') return x ? 1 : 0;
  if (typeof x !== 'number' || !Number.isInteger(x)) {
    throw new TypeError(`${name}() argument must be an integer, got ${show(x)}`);
  }
  return x;
}

/** A 16-bit argument, checked as CPython 3.13 checks it (a C int first, then 0-65535). */
function u16(x: unknown, name: string): number {
  const v = integer(x, name);
  if (v < INT_MIN || v > INT_MAX) throw new RangeError(`${name}(): Python int too large to convert to C int, got ${v}`);
  if (v < 0) throw new RangeError(`${name}: can't convert negative Python int to C 16-bit unsigned integer, got ${v}`);
  if (v > 0xffff) throw new RangeError(`${name}: Python int too large to convert to C 16-bit unsigned integer, got ${v}`);
  return v;
}

/** A 32-bit argument, checked as CPython 3.13 checks it (an unsigned long, then 32 bits). */
function u32(x: unknown, name: string): number {
  const v = integer(x, name);
  if (v < 0) throw new RangeError(`${name}(): can't convert negative value to unsigned int, got ${v}`);
  if (v > ULONG_MAX) throw new RangeError(`${name}(): Python int too large to convert to C unsigned long, got ${v}`);
  if (v > 0xffffffff) throw new RangeError(`${name}(): int larger than 32 bits, got ${v}`);
  return v;
}

/**
 * Converts a 16-bit unsigned integer from host to network byte order
 * (htons(3)); the identity on a big-endian host.
 *
 * @throws TypeError when `x` is not an integer (a boolean counts as 0 or 1,
 *   as Python's bool does); RangeError outside 0-65535 (Python's OverflowError).
 * @see https://man7.org/linux/man-pages/man3/htons.3.html
 * @see https://docs.python.org/3/library/socket.html#socket.htons
 * @example
 * ```ts
 * htons(0x1234);   // 0x3412 on x86-64
 * ```
 */
export function htons(x: number | boolean): number {
  return swap16(u16(x, 'htons'));
}

/**
 * Converts a 16-bit unsigned integer from network to host byte order
 * (ntohs(3)); the same checks as {@link htons}.
 *
 * @see https://man7.org/linux/man-pages/man3/ntohs.3.html
 * @see https://docs.python.org/3/library/socket.html#socket.ntohs
 * @example
 * ```ts
 * ntohs(0x3412);   // 0x1234 on x86-64
 * ```
 */
export function ntohs(x: number | boolean): number {
  return swap16(u16(x, 'ntohs'));
}

/**
 * Converts a 32-bit unsigned integer from host to network byte order
 * (htonl(3)).
 *
 * @throws TypeError when `x` is not an integer; RangeError outside
 *   0-0xffffffff (Python's OverflowError).
 * @see https://man7.org/linux/man-pages/man3/htonl.3.html
 * @see https://docs.python.org/3/library/socket.html#socket.htonl
 * @example
 * ```ts
 * htonl(1);   // 16777216 on x86-64
 * ```
 */
export function htonl(x: number | boolean): number {
  return swap32(u32(x, 'htonl'));
}

/**
 * Converts a 32-bit unsigned integer from network to host byte order
 * (ntohl(3)); the same checks as {@link htonl}.
 *
 * @see https://man7.org/linux/man-pages/man3/ntohl.3.html
 * @see https://docs.python.org/3/library/socket.html#socket.ntohl
 * @example
 * ```ts
 * ntohl(16777216);   // 1 on x86-64
 * ```
 */
export function ntohl(x: number | boolean): number {
  return swap32(u32(x, 'ntohl'));
}
