/**
 * Bluetooth device addresses (`bdaddr_t`) between the text Python uses,
 * `'XX:XX:XX:XX:XX:XX'`, and the six bytes the kernel stores, which are in
 * the reverse order: the last group of the text is byte 0.
 *
 * Text is read exactly as CPython's `setbdaddr()` reads it, with glibc's
 * `sscanf(text, "%X:%X:%X:%X:%X:%X%c", ...)`, and written as its
 * `makebdaddr()` writes it, `"%02X:%02X:%02X:%02X:%02X:%02X"`.
 *
 * @packageDocumentation
 */
import type { BytesLike } from '@bsdsock/core';
import { bytesOf, isBytesLike, show } from '@bsdsock/core/internal';

/** sizeof(bdaddr_t). */
export const BDADDR_SIZE = 6;

/** The characters C's isspace() accepts in the "C" locale; `%X` skips them. */
const C_SPACE = ' \t\n\v\f\r';
const ULONG_MAX = (1n << 64n) - 1n;
const UINT_MASK = (1n << 32n) - 1n;

function isHexDigit(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

/**
 * One `%X` conversion of glibc's scanf starting at `text[start]`: leading
 * white space, an optional sign, an optional `0x`, hex digits, converted by
 * strtoul(3) (which clamps an overflow to ULONG_MAX and negates after a
 * `-`) and stored in an `unsigned int` (the low 32 bits). Returns the value
 * and where the conversion stopped, or `null` when no digit matched.
 */
function scanHex(text: string, start: number): [value: number, end: number] | null {
  let i = start;
  while (i < text.length && C_SPACE.includes(text[i]!)) i++;
  let negative = false;
  if (text[i] === '+' || text[i] === '-') negative = text[i++] === '-';
  let digits = '';
  if (text[i] === '0') {
    digits = '0';
    i++;
    if (text[i] === 'x' || text[i] === 'X') i++;
  }
  while (i < text.length && isHexDigit(text.charCodeAt(i))) digits += text[i++];
  if (digits === '') return null;
  let value = BigInt(`0x${digits}`);
  if (value > ULONG_MAX) value = ULONG_MAX;
  else if (negative) value = -value & ULONG_MAX;
  return [Number(value & UINT_MASK), i];
}

/**
 * The six bytes (kernel order) of a Bluetooth address written as CPython's
 * `setbdaddr()` accepts it, or `null` when CPython would raise `bad
 * bluetooth address`: six `%X` groups separated by `:`, each below 256
 * once stored in a C `unsigned int`, and nothing after the sixth.
 */
export function scanBdaddr(text: string): Buffer | null {
  const groups: number[] = [];
  let i = 0;
  for (let g = 0; g < BDADDR_SIZE; g++) {
    if (g > 0) {
      if (text[i] !== ':') return null;
      i++;
    }
    const scanned = scanHex(text, i);
    if (scanned === null) return null;
    groups.push(scanned[0]);
    i = scanned[1];
  }
  if (i !== text.length || groups.some((b) => b > 0xff)) return null;
  return Buffer.from(groups.reverse());
}

/**
 * Whether `text` is a Bluetooth address CPython accepts (see
 * {@link bdaddrToBytes}).
 *
 * @example
 * ```ts
 * isBdaddr('00:1A:7D:DA:71:13'); // true
 * isBdaddr('0:1a:7d:da:71:13');  // true: each group is a %X conversion
 * isBdaddr('00:1A:7D:DA:71');    // false
 * ```
 */
export function isBdaddr(text: unknown): text is string {
  return typeof text === 'string' && scanBdaddr(text) !== null;
}

/**
 * The `bdaddr_t` bytes of a Bluetooth address, in the order the kernel
 * stores them (reversed: `'00:11:22:33:44:55'` is `55 44 33 22 11 00`).
 *
 * Accepts exactly what CPython's `setbdaddr()` accepts: each of the six
 * groups is read as C's `%X` (one or more hex digits in either case, with
 * optional leading white space, sign and `0x`) and must be below 256.
 *
 * @throws TypeError when `text` is not such an address (CPython raises
 *   `OSError('bad bluetooth address')`).
 * @see https://github.com/python/cpython/blob/3.13/Modules/socketmodule.c (setbdaddr)
 * @example
 * ```ts
 * bdaddrToBytes('00:11:22:33:44:55'); // <Buffer 55 44 33 22 11 00>
 * bdaddrToBytes(BDADDR_LOCAL);        // <Buffer ff ff ff 00 00 00>
 * ```
 */
export function bdaddrToBytes(text: string): Buffer {
  const bytes = typeof text === 'string' ? scanBdaddr(text) : null;
  if (bytes === null) {
    throw new TypeError(`bdaddrToBytes(): expected a Bluetooth address 'XX:XX:XX:XX:XX:XX', got ${show(text)}`);
  }
  return bytes;
}

/** The text of the six bytes at `offset` of `bytes`, as CPython's makebdaddr() writes it. */
export function formatBdaddrAt(bytes: Buffer, offset: number): string {
  let text = '';
  for (let i = BDADDR_SIZE - 1; i >= 0; i--) {
    text += bytes[offset + i]!.toString(16).toUpperCase().padStart(2, '0') + (i > 0 ? ':' : '');
  }
  return text;
}

/**
 * The text of a `bdaddr_t`: six bytes in kernel order, written most
 * significant first as upper-case hex pairs, as CPython's `makebdaddr()`
 * returns every Bluetooth address.
 *
 * @throws TypeError when `bytes` is not 6 bytes.
 * @example
 * ```ts
 * bdaddrFromBytes(Buffer.from([0x55, 0x44, 0x33, 0x22, 0x11, 0x00])); // '00:11:22:33:44:55'
 * bdaddrFromBytes(Buffer.alloc(6));                                     // BDADDR_ANY
 * ```
 */
export function bdaddrFromBytes(bytes: BytesLike): string {
  if (!isBytesLike(bytes) || bytesOf(bytes).length !== BDADDR_SIZE) {
    throw new TypeError(`bdaddrFromBytes(): expected ${BDADDR_SIZE} bytes, got ${show(bytes)}`);
  }
  return formatBdaddrAt(bytesOf(bytes), 0);
}
