/**
 * The vsock socket options of type u64: SO_VM_SOCKETS_BUFFER_SIZE,
 * SO_VM_SOCKETS_BUFFER_MIN_SIZE and SO_VM_SOCKETS_BUFFER_MAX_SIZE at level
 * AF_VSOCK.
 *
 * CPython's `getsockopt` / `setsockopt` read and write an `unsigned long
 * long` on AF_VSOCK sockets, and so do bsdsock's (a number, or a bigint
 * beyond 2**53; a negative value wraps around, as in CPython). These two
 * helpers always give a bigint, and refuse a value outside 0-2**64-1.
 *
 * @packageDocumentation
 */
import { Socket } from '@bsdsock/core';
import { show } from '@bsdsock/core/internal';
import { AF_VSOCK } from './constants.generated.js';

const MAX_U64 = 0xffff_ffff_ffff_ffffn;

function checkSocket(sock: unknown, where: string): Socket {
  if (!(sock instanceof Socket)) throw new TypeError(`${where}: expects a Socket, got ${show(sock)}`);
  return sock;
}

function checkOptname(optname: unknown, where: string): number {
  if (typeof optname !== 'number' || !Number.isInteger(optname)) {
    throw new TypeError(`${where}: optname must be an integer, got ${show(optname)}`);
  }
  return optname;
}

/**
 * Reads a u64 vsock option (getsockopt(2) at level AF_VSOCK):
 * `SO_VM_SOCKETS_BUFFER_SIZE`, `SO_VM_SOCKETS_BUFFER_MIN_SIZE` or
 * `SO_VM_SOCKETS_BUFFER_MAX_SIZE`, as CPython's
 * `sock.getsockopt(AF_VSOCK, name)` returns it.
 *
 * @throws TypeError for a socket or option name of the wrong type; the
 *   OSError subclass of what the kernel refuses.
 * @see https://man7.org/linux/man-pages/man7/vsock.7.html
 * @example
 * ```ts
 * const size = getVsockOption(sock, SO_VM_SOCKETS_BUFFER_SIZE);   // 262144n
 * ```
 */
export function getVsockOption(sock: Socket, optname: number): bigint {
  const where = 'getVsockOption()';
  const s = checkSocket(sock, where);
  return BigInt(s.getsockopt(AF_VSOCK, checkOptname(optname, where)));
}

/**
 * Sets a u64 vsock option (setsockopt(2) at level AF_VSOCK),
 * as CPython's `sock.setsockopt(AF_VSOCK, name, value)` does. The kernel
 * keeps BUFFER_SIZE between MIN and MAX: raise MAX first to grow it.
 *
 * @throws TypeError for a value that is not an integer (a number or a
 *   bigint); RangeError for one outside 0-2^64-1 (CPython wraps a negative
 *   one around instead); the OSError subclass of what the kernel refuses.
 * @see https://man7.org/linux/man-pages/man7/vsock.7.html
 * @example
 * ```ts
 * setVsockOption(sock, SO_VM_SOCKETS_BUFFER_MAX_SIZE, 512 * 1024);
 * setVsockOption(sock, SO_VM_SOCKETS_BUFFER_SIZE, 512n * 1024n);
 * ```
 */
export function setVsockOption(sock: Socket, optname: number, value: number | bigint): void {
  const where = 'setVsockOption()';
  const s = checkSocket(sock, where);
  const name = checkOptname(optname, where);
  if (!(typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value)))) {
    throw new TypeError(`${where}: value must be an integer (number or bigint), got ${show(value)}`);
  }
  const v = BigInt(value);
  if (v < 0n || v > MAX_U64) throw new RangeError(`${where}: value must be 0-${MAX_U64}, got ${show(value)}`);
  s.setsockopt(AF_VSOCK, name, v);
}
