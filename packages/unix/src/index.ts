/**
 * `@bsdsock/unix`: the AF_UNIX address family for bsdsock.
 *
 * Importing this package registers AF_UNIX with `@bsdsock/core`, so that Unix
 * domain sockets take and return paths as Python does: a string (UTF-8) or
 * the bytes of one, Linux abstract names as Buffers starting with a NUL byte,
 * and `''` for an unnamed socket.
 *
 * @example
 * ```ts
 * import { Socket, SOCK_STREAM } from '@bsdsock/core';
 * import { AF_UNIX } from '@bsdsock/unix';
 *
 * const server = new Socket(AF_UNIX, SOCK_STREAM);
 * server.bind('/tmp/echo.sock');
 * server.listen();
 * ```
 * @see https://man7.org/linux/man-pages/man7/unix.7.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 * @packageDocumentation
 */
import { registerFamily } from '@bsdsock/core';
import { unixFamily } from './codec.js';
import type { AF_UNIX } from './constants.generated.js';
import type { UnixAddressResult } from './schema.js';

declare module '@bsdsock/core' {
  /** A `Socket<typeof AF_UNIX>` returns a path string, a Buffer (abstract or non-UTF-8 names) or `''`. */
  interface AddressTypes {
    [AF_UNIX]: UnixAddressResult;
  }
}

registerFamily(unixFamily);

export * from './constants.generated.js';
export { SO_PASSCRED, SO_PEERCRED } from '@bsdsock/core';
export { unixFamily, type UnixFamilyPlugin } from './codec.js';
export { sendFds, sendFdsSync, recvFds, recvFdsSync, type RecvFdsResult } from './fds.js';
export { packCredentials, parseCredentials, peerCredentials, type Credentials } from './credentials.js';
export {
  unixAddressSchema,
  type UnixAddress,
  type UnixAddressResult,
} from './schema.js';
