/**
 * `inetAton`, `inetNtoa`, `inetPton`, `inetNtop`: IP addresses between text
 * and packed bytes, with the GNU C library's rules (in pure JavaScript) and
 * CPython's errors.
 *
 * @packageDocumentation
 */
import { OSError } from '@bsdsock/core';
import { fromErrno } from '@bsdsock/core/internal';
import { constants as osConstants } from 'node:os';
import { bytesArg, intArg, strArg } from './args.js';
import { AF_INET, AF_INET6 } from './constants.generated.js';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from './ip-text.js';

const EAFNOSUPPORT = osConstants.errno.EAFNOSUPPORT;

/** The largest value of the last part of `a`, `a.b`, `a.b.c` and `a.b.c.d`. */
const LAST_PART_MAX = [0xffffffff, 0xffffff, 0xffff, 0xff];

function digitValue(c: number, base: number): number {
  let d: number;
  if (c >= 0x30 && c <= 0x39) d = c - 0x30;
  else if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) d = (c | 0x20) - 0x61 + 10;
  else return -1;
  return d < base ? d : -1;
}

/** C's isspace() in the C locale: space, \t, \n, \v, \f, \r. */
function isCSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/**
 * Parses IPv4 text as glibc's `inet_aton(3)` does: one to four parts
 * separated by dots, each decimal, octal (leading `0`) or hex (`0x`), the
 * last part filling the remaining bytes (`127.1` is `127.0.0.1`, `1.2.3` is
 * `1.2.0.3`), and anything after a whitespace character ignored.
 *
 * @returns the address as an unsigned 32-bit number, or -1 when glibc
 *   rejects the text.
 * @see https://man7.org/linux/man-pages/man3/inet_aton.3.html
 */
export function parseInetAton(text: string): number {
  const parts: number[] = [];
  let i = 0;
  const n = text.length;
  let val = 0;
  for (;;) {
    // Each part starts with a decimal digit (glibc checks isdigit first).
    if (i >= n || !(text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39)) return -1;
    // strtoul(cp, &end, 0): 0x -> hex, 0 -> octal, else decimal.
    let base = 10;
    if (text.charCodeAt(i) === 0x30) {
      const x = text.charCodeAt(i + 1) | 0x20;
      if (x === 0x78 && i + 2 < n && digitValue(text.charCodeAt(i + 2), 16) >= 0) {
        base = 16;
        i += 2;
      } else {
        base = 8;
      }
    }
    val = 0;
    for (;;) {
      const d = i < n ? digitValue(text.charCodeAt(i), base) : -1;
      if (d < 0) break;
      val = val * base + d;
      // strtoul's ULONG_MAX overflow and glibc's 32-bit limit both reject.
      if (val > 0xffffffff) return -1;
      i++;
    }
    if (i < n && text.charCodeAt(i) === 0x2e) {
      if (parts.length > 2 || val > 0xff) return -1;
      parts.push(val);
      i++;
      continue;
    }
    break;
  }
  if (i < n && !isCSpace(text.charCodeAt(i))) return -1;
  if (val > LAST_PART_MAX[parts.length]!) return -1;
  let word = 0;
  for (let p = 0; p < parts.length; p++) word += parts[p]! * 2 ** (24 - 8 * p);
  return word + val;
}

/**
 * Converts IPv4 text to its 4 packed bytes (network order), as the C
 * library's `inet_aton(3)` reads it: the old BSD forms are accepted
 * (`'127.1'`, `'0x7f.1'`, `'017.0.0.1'`, `'1.2.3'`), and anything after a
 * whitespace character is ignored.
 *
 * @throws OSError `illegal IP address string passed to inet_aton` (errno
 *   `null`) for text the C library rejects; TypeError when `ipString` is
 *   not a string (or holds a NUL or a lone surrogate).
 * @see https://man7.org/linux/man-pages/man3/inet_aton.3.html
 * @see https://docs.python.org/3/library/socket.html#socket.inet_aton
 * @example
 * ```ts
 * inetAton('127.1');   // <Buffer 7f 00 00 01>
 * ```
 */
export function inetAton(ipString: string): Buffer {
  const text = strArg(ipString, 'inet_aton() argument');
  const v = parseInetAton(text);
  if (v < 0) throw new OSError('illegal IP address string passed to inet_aton');
  const out = Buffer.allocUnsafe(4);
  out.writeUInt32BE(v, 0);
  return out;
}

/**
 * Converts 4 packed bytes (network order) to a dotted quad
 * (inet_ntoa(3)).
 *
 * @throws OSError `packed IP wrong length for inet_ntoa` (errno `null`)
 *   unless exactly 4 bytes are given; TypeError for a value that is not
 *   bytes-like.
 * @see https://man7.org/linux/man-pages/man3/inet_ntoa.3.html
 * @see https://docs.python.org/3/library/socket.html#socket.inet_ntoa
 * @example
 * ```ts
 * inetNtoa(Buffer.from([127, 0, 0, 1]));   // '127.0.0.1'
 * ```
 */
export function inetNtoa(packedIp: ArrayBufferView | ArrayBuffer): string {
  const bytes = bytesArg(packedIp, 'inet_ntoa() argument');
  if (bytes.length !== 4) throw new OSError('packed IP wrong length for inet_ntoa');
  return formatIPv4(bytes);
}

/**
 * Converts an IP address in text to its packed bytes (inet_pton(3)): 4
 * bytes for AF_INET (a strict dotted quad), 16 for AF_INET6 (no `%scope`).
 *
 * @throws OSError `illegal IP address string passed to inet_pton` (errno
 *   `null`) for text that is not an address of `addressFamily`; OSError
 *   EAFNOSUPPORT for another family; TypeError when `ipString` is not a
 *   string or `addressFamily` not an integer.
 * @see https://man7.org/linux/man-pages/man3/inet_pton.3.html
 * @see https://docs.python.org/3/library/socket.html#socket.inet_pton
 * @example
 * ```ts
 * inetPton(AF_INET6, '::1');   // <Buffer 00 00 ... 00 01>
 * ```
 */
export function inetPton(addressFamily: number, ipString: string): Buffer {
  const af = intArg(addressFamily, 'inet_pton() argument 1');
  const text = strArg(ipString, 'inet_pton() argument 2');
  if (af === AF_INET) {
    const v = parseIPv4(text);
    if (v < 0) throw new OSError('illegal IP address string passed to inet_pton');
    const out = Buffer.allocUnsafe(4);
    out.writeUInt32BE(v, 0);
    return out;
  }
  if (af === AF_INET6) {
    const out = Buffer.alloc(16);
    if (!parseIPv6(text, out, 0)) throw new OSError('illegal IP address string passed to inet_pton');
    return out;
  }
  throw fromErrno(EAFNOSUPPORT, 'inet_pton');
}

/**
 * Converts packed address bytes to text (inet_ntop(3)), as the GNU C
 * library writes it: a dotted quad for AF_INET; for AF_INET6 lower-case
 * hex with the longest run of zero groups as `::`, and the IPv4-mapped and
 * IPv4-compatible forms with a dotted quad.
 *
 * @throws RangeError `invalid length of packed IP address string` unless
 *   the length is 4 (AF_INET) or 16 (AF_INET6), and `unknown address family
 *   N` for another family (Python's ValueError); TypeError for a value that
 *   is not bytes-like.
 * @see https://man7.org/linux/man-pages/man3/inet_ntop.3.html
 * @see https://docs.python.org/3/library/socket.html#socket.inet_ntop
 * @example
 * ```ts
 * inetNtop(AF_INET6, Buffer.from('00000000000000000000ffff01020304', 'hex'));   // '::ffff:1.2.3.4'
 * ```
 */
export function inetNtop(addressFamily: number, packedIp: ArrayBufferView | ArrayBuffer): string {
  const af = intArg(addressFamily, 'inet_ntop() argument 1');
  const bytes = bytesArg(packedIp, 'inet_ntop() argument 2');
  if (af === AF_INET) {
    if (bytes.length !== 4) throw new RangeError('invalid length of packed IP address string');
    return formatIPv4(bytes);
  }
  if (af === AF_INET6) {
    if (bytes.length !== 16) throw new RangeError('invalid length of packed IP address string');
    return formatIPv6(bytes);
  }
  throw new RangeError(`unknown address family ${af}`);
}
