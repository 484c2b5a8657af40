/**
 * `@bsdsock/core/internal`: the low-level pieces that this repository's own
 * family packages build on — the typed native binding, the sockaddr layouts,
 * the errno helpers, and the helpers the family codecs share (bytes, host
 * byte order, how an address error shows a bad value). Outside packages
 * should use the public API of `@bsdsock/core` (registerFamily and friends);
 * this entry point carries no stability promise between minor versions.
 *
 * @packageDocumentation
 */
export { binding, aux, TIMED_OUT, READABLE, WRITABLE } from './binding.js';
export type { NativeBinding, NativePoller, RawAddrinfo } from './binding.js';
export { fromErrno, errorClassFor, timedOut, strerror, errnoName } from './errors.js';
export { layouts, layout } from './layouts.js';
export { kIoRef, kIoUnref } from './symbols.js';
export { IoState, PendingOp, AGAIN } from './io.js';
export {
  isBytesLike, bytesOf,
  readHostU16, writeHostU16, readHostU32, writeHostU32, readHostI32, writeHostI32,
  readHostU64, writeHostU64, readHostLong, writeHostLong,
  readCString, isWellFormed, zeroPadded,
  show, prefix, checkInteger, checkRange,
  interfaceIndex, interfaceName,
} from './family-helpers.js';
