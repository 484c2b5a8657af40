/**
 * `@bsdsock/core`: the Socket object, the error classes, the family
 * registry and the generic constants of Python's `socket` module.
 *
 * Address families live in their own packages (`@bsdsock/inet`,
 * `@bsdsock/unix`, ...); importing one registers its families here.
 *
 * @see https://docs.python.org/3/library/socket.html
 * @packageDocumentation
 */
export {
  Socket, SocketType, socket, socketpair, fromfd, dup, close, getdefaulttimeout, setdefaulttimeout,
} from './socket.js';
export { EncodedAddress, type Address } from './sockaddr.js';
export type { FileHandleLike } from './socket.js';
export { CMSG_LEN, CMSG_SPACE, type AncillaryItem } from './cmsg.js';
export { ifNameindex, ifNametoindex, ifIndextoname, gethostname, sethostname } from './netif.js';
export type { BytesLike, OpOptions } from './validators.js';
export {
  OSError, error, BlockingIOError, ChildProcessError, ConnectionError, BrokenPipeError,
  ConnectionAbortedError, ConnectionRefusedError, ConnectionResetError, FileExistsError,
  FileNotFoundError, InterruptedError, IsADirectoryError, NotADirectoryError, PermissionError,
  ProcessLookupError, TimeoutError, timeout, herror, gaierror,
} from './errors.js';
export { registerFamily, getFamily, registeredFamilies } from './family.js';
export type { FamilyPlugin, AddressContext, AddressTypes, AddressOf, SocketExtensions } from './family.js';
export type {
  MakefileOptions, SocketStream, SocketReadable, SocketWritable, SocketDuplex,
} from './makefile.js';
export { toNetSocket, toNetServer, fromNetSocket, fromNetServer } from './net-bridge.js';
export type { ToNetSocketOptions, FromNetOptions } from './net-bridge.js';
export * from './constants.generated.js';
