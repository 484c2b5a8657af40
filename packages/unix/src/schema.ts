/**
 * The AF_UNIX address as a zod schema: the documented contract of what
 * `bind`, `connect`, `sendto` and friends accept on a Unix domain socket.
 * The codec checks the same rules by hand; a test proves that both agree.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { isBytesLike, isWellFormed } from './bytes.js';

/** A bytes-like value: any ArrayBufferView (Buffer, Uint8Array, DataView, ...) or an ArrayBuffer. */
export const bytesLikeSchema = z.custom<ArrayBufferView | ArrayBuffer>(isBytesLike, {
  message: 'expected a string or bytes-like object',
});

/**
 * An AF_UNIX address as given: a filesystem path as a string (encoded as
 * UTF-8) or as bytes (passed through byte for byte); a name starting with a
 * NUL byte is a Linux abstract name; `''` asks Linux to autobind to an
 * abstract name.
 *
 * A path must be shorter than `sun_path` (108 bytes on Linux) and an
 * abstract name at most that long; a longer one raises
 * `OSError('AF_UNIX path too long')` when used, as Python does.
 *
 * @example
 * ```ts
 * sock.bind('/tmp/echo.sock');
 * sock.bind(Buffer.from('\0my-abstract-name'));
 * sock.bind('');                       // autobind: getsockname() is then <Buffer 00 ...>
 * ```
 * @see https://man7.org/linux/man-pages/man7/unix.7.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const unixAddressSchema = z.union([
  z.string().refine(isWellFormed, { message: 'path must not contain a lone surrogate' }),
  bytesLikeSchema,
]);

/** An AF_UNIX address as given: a path string or the bytes of one. */
export type UnixAddress = z.output<typeof unixAddressSchema>;

/**
 * An AF_UNIX address as bsdsock returns it: `''` for an unnamed socket, a
 * Buffer starting with a NUL byte for a Linux abstract name, the path as a
 * string when it is valid UTF-8, else the path's bytes as a Buffer.
 */
export type UnixAddressResult = string | Buffer;
