/**
 * `@bsdsock/core/internal`: the low-level pieces that this repository's own
 * family packages build on — the typed native binding, the sockaddr layouts
 * and the errno helpers. Outside packages should use the public API of
 * `@bsdsock/core` (registerFamily and friends); this entry point carries no
 * stability promise between minor versions.
 *
 * @packageDocumentation
 */
export { binding, aux, TIMED_OUT, READABLE, WRITABLE } from './binding.js';
export type { NativeBinding, NativePoller, RawAddrinfo } from './binding.js';
export { fromErrno, errorClassFor, timedOut, strerror, errnoName } from './errors.js';
export { layouts, layout } from './layouts.js';
export { kIoRef, kIoUnref } from './symbols.js';
export { IoState, PendingOp, AGAIN } from './io.js';
