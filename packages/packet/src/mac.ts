/**
 * Hardware (MAC) addresses between their text form `'aa:bb:cc:dd:ee:ff'`
 * and bytes.
 *
 * @packageDocumentation
 */
import type { BytesLike } from '@bsdsock/core';
import { bytesOf, isBytesLike, show } from '@bsdsock/core/internal';

const MAC_TEXT = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$/i;

/**
 * The 6 bytes of an EUI-48 (Ethernet) address written as six pairs of hex
 * digits separated by `:` or `-`, in either case.
 *
 * @throws TypeError when `text` is not a string of that form.
 * @example
 * ```ts
 * parseMac('02:00:5e:10:00:01'); // <Buffer 02 00 5e 10 00 01>
 * ```
 */
export function parseMac(text: string): Buffer {
  if (typeof text !== 'string' || !MAC_TEXT.test(text)) {
    throw new TypeError(`a MAC address must be a string like 'aa:bb:cc:dd:ee:ff', got ${show(text)}`);
  }
  return Buffer.from(text.replace(/[:-]/g, ''), 'hex');
}

/**
 * The text form of a hardware address: each byte as two lower-case hex
 * digits, joined by `:`. Any length works (AF_PACKET's `addr` holds up to 8
 * bytes); an empty address is `''`.
 *
 * @example
 * ```ts
 * formatMac(Buffer.from([2, 0, 0x5e, 0x10, 0, 1])); // '02:00:5e:10:00:01'
 * ```
 */
export function formatMac(bytes: BytesLike): string {
  if (!isBytesLike(bytes)) throw new TypeError(`formatMac() expects a bytes-like object, got ${show(bytes)}`);
  const b = bytesOf(bytes);
  let out = '';
  for (let i = 0; i < b.length; i++) out += (i ? ':' : '') + (b[i]! < 16 ? '0' : '') + b[i]!.toString(16);
  return out;
}

/** A MAC given as text or as 6 bytes, as a copy of its bytes; `field` names it in errors. */
export function macBytes(value: unknown, where: string, field: string): Buffer {
  if (typeof value === 'string') {
    if (!MAC_TEXT.test(value)) {
      throw new TypeError(`${where}: ${field} must be a MAC address like 'aa:bb:cc:dd:ee:ff', got ${show(value)}`);
    }
    return Buffer.from(value.replace(/[:-]/g, ''), 'hex');
  }
  if (isBytesLike(value)) {
    const b = bytesOf(value);
    if (b.length !== 6) throw new TypeError(`${where}: ${field} must be 6 bytes, got ${b.length}`);
    return Buffer.from(b);
  }
  throw new TypeError(`${where}: ${field} must be a MAC address string or 6 bytes, got ${show(value)}`);
}
