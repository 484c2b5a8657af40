/**
 * GUIDs between the text CPython takes and returns for AF_HYPERV and the 16
 * bytes of a Windows `GUID` in `SOCKADDR_HV`, which is mixed-endian:
 * `Data1` (the first 8 hex digits) a little-endian u32, `Data2` and `Data3`
 * (the next two groups of 4) little-endian u16s, `Data4` (the last 16
 * digits) 8 bytes as written. This is the layout of Python's
 * `uuid.UUID(...).bytes_le`.
 *
 * @packageDocumentation
 */
import type { BytesLike } from '@bsdsock/core';
import { bytesOf, isBytesLike, show } from '@bsdsock/core/internal';

/** sizeof(GUID). */
export const GUID_SIZE = 16;

/** What RPC's UuidFromString() parses: 8-4-4-4-12 hex digits, either case, nothing around them. */
const GUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `text` is a GUID as CPython's AF_HYPERV code accepts it (RPC's
 * `UuidFromStringW`): `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hex digits
 * of either case, without braces or white space.
 *
 * @example
 * ```ts
 * isGuid(HV_GUID_LOOPBACK);                           // true
 * isGuid('{e0e16197-dd56-4a10-9195-5ee7a155a838}');   // false
 * ```
 */
export function isGuid(text: unknown): text is string {
  return typeof text === 'string' && GUID_TEXT.test(text);
}

/**
 * The 16 bytes of a Windows `GUID` for its text, as `UuidFromStringW`
 * stores them: the first three groups little-endian, the last two as
 * written.
 *
 * @throws TypeError when `text` is not a GUID string (CPython raises
 *   `ValueError('... is not a valid UUID string')`).
 * @example
 * ```ts
 * guidToBytes('90db8b89-0d35-4f79-8ce9-49ea0ac8b7cd');
 * // <Buffer 89 8b db 90 35 0d 79 4f 8c e9 49 ea 0a c8 b7 cd>
 * ```
 */
export function guidToBytes(text: string): Buffer {
  if (!isGuid(text)) {
    throw new TypeError(`guidToBytes(): expected a GUID 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx', got ${show(text)}`);
  }
  return guidBytes(text);
}

/** {@link guidToBytes} of a string already checked with {@link isGuid}. */
export function guidBytes(text: string): Buffer {
  const digits = Buffer.from(text.replace(/-/g, ''), 'hex');
  const out = Buffer.alloc(GUID_SIZE);
  out.writeUInt32LE(digits.readUInt32BE(0), 0);
  out.writeUInt16LE(digits.readUInt16BE(4), 4);
  out.writeUInt16LE(digits.readUInt16BE(6), 6);
  digits.copy(out, 8, 8, 16);
  return out;
}

/** The text of the 16 GUID bytes at `offset`, in lower case as `UuidToStringW` writes it. */
export function formatGuidAt(bytes: Buffer, offset: number): string {
  const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
  const data4 = bytes.toString('hex', offset + 8, offset + 16);
  return `${hex(bytes.readUInt32LE(offset), 8)}-${hex(bytes.readUInt16LE(offset + 4), 4)}-${hex(bytes.readUInt16LE(offset + 6), 4)}-${data4.slice(0, 4)}-${data4.slice(4)}`;
}

/**
 * The text of a Windows `GUID`'s 16 bytes, in lower case, as CPython's
 * AF_HYPERV addresses come back (RPC's `UuidToStringW`).
 *
 * @throws TypeError when `bytes` is not 16 bytes.
 * @example
 * ```ts
 * guidFromBytes(guidToBytes(HV_GUID_PARENT)); // 'a42e7cda-d03f-480c-9cc2-a4de20abb878'
 * ```
 */
export function guidFromBytes(bytes: BytesLike): string {
  const b = isBytesLike(bytes) ? bytesOf(bytes) : null;
  if (b === null || b.length !== GUID_SIZE) throw new TypeError(`guidFromBytes(): expected ${GUID_SIZE} bytes, got ${show(bytes)}`);
  return formatGuidAt(b, 0);
}
