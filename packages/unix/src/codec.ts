/**
 * The AF_UNIX family plugin: paths to and from `struct sockaddr_un`, with
 * CPython's semantics on Linux (`getsockaddrarg()` and `makesockaddr()` in
 * Modules/socketmodule.c).
 *
 * @packageDocumentation
 */
import { isUtf8 } from 'node:buffer';
import { endianness } from 'node:os';
import { OSError, type AddressContext, type FamilyPlugin } from '@bsdsock/core';
import { layout } from '@bsdsock/core/internal';
import { bytesOf, isBytesLike, isWellFormed } from './bytes.js';
import { AF_UNIX } from './constants.generated.js';
import { unixAddressSchema, type UnixAddressResult } from './schema.js';

const SUN_SIZE = layout('sockaddr_un');
const SUN_FAMILY = layout('sockaddr_un.sun_family');
const SUN_PATH = layout('sockaddr_un.sun_path');
/** sizeof(sun_path): 108 on Linux. */
const SUN_PATH_SIZE = layout('sockaddr_un.sun_path.length');

const LITTLE_ENDIAN = endianness() === 'LE';
const UNIX = 'AF_UNIX';

function prefix(ctx: AddressContext | undefined): string {
  return ctx?.caller ? `${ctx.caller}(): ` : '';
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/**
 * Writes a path's UTF-8 bytes (`size` of them) at sun_path. An ASCII path,
 * the common case, is copied char by char: Buffer#write costs several times
 * more for short strings.
 */
function writeUtf8(buf: Buffer, text: string, size: number): void {
  if (size === text.length) {
    for (let i = 0; i < size; i++) buf[SUN_PATH + i] = text.charCodeAt(i);
  } else {
    Buffer.from(text, 'utf8').copy(buf, SUN_PATH);
  }
}

/** A family plugin of this package: the core contract plus the zod schema it documents. */
export interface UnixFamilyPlugin extends FamilyPlugin<UnixAddressResult> {
  /** The zod schema of the addresses `encode` accepts. */
  readonly schema: typeof unixAddressSchema;
}

/**
 * AF_UNIX: a path (string or bytes) to and from `struct sockaddr_un`.
 *
 * `encode` writes a string as UTF-8 and bytes as they are. A name that is
 * empty or starts with a NUL byte is a Linux abstract name (`''` autobinds):
 * its addrlen is `offsetof(sun_path)` plus its length, and it may fill all of
 * `sun_path`. Any other path gets a terminating NUL counted in the addrlen,
 * so it must be shorter than `sun_path`. Too long a name raises
 * `OSError('AF_UNIX path too long')` (errno `null`), never truncates.
 *
 * `decode` returns `''` for an unnamed socket, an abstract name as a Buffer
 * copy starting with its NUL byte, and a path (up to its first NUL) as a
 * string when it is valid UTF-8, else as a Buffer, so every path round-trips.
 *
 * @see https://man7.org/linux/man-pages/man7/unix.7.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const unixFamily: UnixFamilyPlugin = {
  family: AF_UNIX,
  name: UNIX,
  schema: unixAddressSchema,

  encode(address: unknown, ctx: AddressContext): Buffer {
    let path: Buffer | undefined;
    let size: number;
    let abstract: boolean;
    if (typeof address === 'string') {
      size = Buffer.byteLength(address, 'utf8');
      if (size !== address.length && !isWellFormed(address)) {
        throw new TypeError(`${prefix(ctx)}${UNIX} path must not contain a lone surrogate (it has no UTF-8 encoding)`);
      }
      abstract = size === 0 || address.charCodeAt(0) === 0;
    } else if (isBytesLike(address)) {
      path = bytesOf(address);
      size = path.length;
      abstract = size === 0 || path[0] === 0;
    } else {
      throw new TypeError(`${prefix(ctx)}${UNIX} address must be a string or bytes-like object, got ${typeName(address)}`);
    }
    if (abstract ? size > SUN_PATH_SIZE : size >= SUN_PATH_SIZE) {
      throw new OSError('AF_UNIX path too long');
    }
    const buf = Buffer.alloc(SUN_PATH + size + (abstract ? 0 : 1));
    if (LITTLE_ENDIAN) buf.writeUInt16LE(AF_UNIX, SUN_FAMILY);
    else buf.writeUInt16BE(AF_UNIX, SUN_FAMILY);
    if (path !== undefined) path.copy(buf, SUN_PATH);
    else writeUtf8(buf, address as string, size);
    return buf;
  },

  /** A path string encodes to the same bytes every time. */
  stable(address: unknown): boolean {
    return typeof address === 'string';
  },

  decode(bytes: Buffer, length: number): UnixAddressResult {
    const end = Math.min(length, bytes.length, SUN_SIZE);
    if (end <= SUN_PATH) return '';
    if (bytes[SUN_PATH] === 0) return Buffer.from(bytes.subarray(SUN_PATH, end));
    let stop = bytes.indexOf(0, SUN_PATH);
    if (stop < 0 || stop > end) stop = end;
    const path = bytes.subarray(SUN_PATH, stop);
    return isUtf8(path) ? path.toString('utf8') : Buffer.from(path);
  },
};
