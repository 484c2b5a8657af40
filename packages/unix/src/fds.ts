/**
 * Passing file descriptors over AF_UNIX sockets: Python's `socket.send_fds`
 * and `socket.recv_fds`, built on `Socket.sendmsg` / `Socket.recvmsg` with
 * one SCM_RIGHTS control message, exactly as CPython 3.13's socket.py does.
 *
 * @see https://man7.org/linux/man-pages/man7/unix.7.html (SCM_RIGHTS)
 * @see https://docs.python.org/3/library/socket.html#socket.send_fds
 * @packageDocumentation
 */
import { endianness } from 'node:os';
import {
  CMSG_LEN, SCM_RIGHTS, SOL_SOCKET,
  type Address, type AddressOf, type AncillaryItem, type BytesLike, type OpOptions, type Socket,
} from '@bsdsock/core';
import { layout } from '@bsdsock/core/internal';

/** sizeof(int): the size of one fd in an SCM_RIGHTS array (Python's `array('i').itemsize`). */
const INT = layout('int');
const LE = endianness() === 'LE';
const INT_MIN = -0x8000_0000;
const INT_MAX = 0x7fff_ffff;

/** What {@link recvFds} returns: Python's `(data, fds, msg_flags, address)`. */
export type RecvFdsResult<A = Address | null> = [data: Buffer, fds: number[], msgFlags: number, address: A];

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'Array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

/** A plain options object (not an address, array or buffer), as the Promise forms take last. */
function isOptions(value: unknown): value is OpOptions {
  return typeof value === 'object' && value !== null && !Array.isArray(value) &&
    !ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer);
}

function checkSocket(sock: unknown, fn: string, method: 'sendmsg' | 'recvmsg'): void {
  if (typeof sock !== 'object' || sock === null || typeof (sock as Record<string, unknown>)[method] !== 'function') {
    throw new TypeError(`${fn}(): sock must be a Socket, not ${typeName(sock)}`);
  }
}

/**
 * The SCM_RIGHTS payload for `fds`: C ints in host byte order, as Python's
 * `array.array('i', fds)` builds it (any iterable of integers that fit a C
 * int; the kernel, not this function, rejects an fd that is not open).
 */
function packFds(fds: unknown, fn: string): Buffer {
  if (
    fds === null || fds === undefined || typeof fds === 'string' ||
    typeof (fds as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function'
  ) {
    throw new TypeError(`${fn}(): fds must be an iterable of integers, not ${typeName(fds)}`);
  }
  const list: number[] = [];
  for (const fd of fds as Iterable<unknown>) {
    if (typeof fd !== 'number' || !Number.isInteger(fd)) {
      throw new TypeError(`${fn}(): each fd must be an integer, not ${typeName(fd)}`);
    }
    if (fd < INT_MIN || fd > INT_MAX) throw new RangeError(`${fn}(): fd must fit in a C int, got ${fd}`);
    list.push(fd);
  }
  const buf = Buffer.alloc(list.length * INT);
  list.forEach((fd, i) => (LE ? buf.writeInt32LE(fd, i * INT) : buf.writeInt32BE(fd, i * INT)));
  return buf;
}

/** The control buffer size recv_fds asks for: `CMSG_LEN(maxfds * sizeof(int))`. */
function ancbufsizeFor(maxfds: unknown, fn: string): number {
  if (typeof maxfds !== 'number' || !Number.isInteger(maxfds)) {
    throw new TypeError(`${fn}(): maxfds must be an integer, not ${typeName(maxfds)}`);
  }
  return CMSG_LEN(maxfds * INT);
}

/** The whole fds of every SCM_RIGHTS item (a partial int at the end of an item is dropped, as in Python). */
function fdsOf(ancdata: readonly AncillaryItem[]): number[] {
  const fds: number[] = [];
  for (const [level, type, data] of ancdata) {
    if (level !== SOL_SOCKET || type !== SCM_RIGHTS) continue;
    for (let off = 0; off + INT <= data.length; off += INT) {
      fds.push(LE ? data.readInt32LE(off) : data.readInt32BE(off));
    }
  }
  return fds;
}

/**
 * Sends `buffers` (gathered into one message) together with the file
 * descriptors `fds`, in one SCM_RIGHTS control message (sendmsg(2)); the
 * promise resolves with the number of bytes sent. The receiver gets new
 * fds for the same open files; yours stay open.
 *
 * As in Python 3.13, `flags` and `address` are accepted and ignored (the
 * message is sent with flags 0 to the connected peer). The last argument
 * may be `{ signal }` to abort the wait.
 *
 * @see https://docs.python.org/3/library/socket.html#socket.send_fds
 * @see https://man7.org/linux/man-pages/man7/unix.7.html
 * @example
 * ```ts
 * import { openSync } from 'node:fs';
 * import { socketpair } from '@bsdsock/core';
 * import { sendFds, recvFds } from '@bsdsock/unix';
 *
 * const [a, b] = socketpair();
 * const fd = openSync('/etc/hostname', 'r');
 * await sendFds(a, [Buffer.from('here')], [fd]);
 * const [msg, fds] = await recvFds(b, 100, 1);   // msg 'here', fds [a new fd for /etc/hostname]
 * ```
 */
export function sendFds(
  sock: Socket, buffers: Iterable<BytesLike>, fds: Iterable<number>,
  flags?: number | OpOptions, address?: Address | null | OpOptions, options?: OpOptions,
): Promise<number> {
  try {
    checkSocket(sock, 'send_fds', 'sendmsg');
    if (isOptions(flags)) options = flags;
    else if (isOptions(address)) options = address;
    const item: [number, number, Buffer] = [SOL_SOCKET, SCM_RIGHTS, packFds(fds, 'send_fds')];
    return sock.sendmsg(buffers, [item], 0, null, options);
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * {@link sendFds}, blocking as Python's `send_fds` does (the socket's mode
 * and timeout apply). `flags` and `address` are ignored, as in Python 3.13.
 *
 * @see https://docs.python.org/3/library/socket.html#socket.send_fds
 * @example
 * ```ts
 * sendFdsSync(sock, [Buffer.from('x')], [fd1, fd2]); // 1
 * ```
 */
export function sendFdsSync(
  sock: Socket, buffers: Iterable<BytesLike>, fds: Iterable<number>,
  _flags?: number, _address?: Address | null,
): number {
  checkSocket(sock, 'send_fds', 'sendmsg');
  return sock.sendmsgSync(buffers, [[SOL_SOCKET, SCM_RIGHTS, packFds(fds, 'send_fds')]], 0, null);
}

/**
 * Receives up to `bufsize` bytes and up to `maxfds` file descriptors
 * (recvmsg(2) with a control buffer of `CMSG_LEN(maxfds * sizeof(int))`,
 * as Python's `recv_fds`): resolves with `[data, fds, msg_flags, address]`.
 *
 * The received fds are new descriptors in this process, close-on-exec;
 * closing them is the caller's job (`fs.closeSync`, or adopt one with
 * `new Socket(..., fd)`). Fds sent beyond `maxfds` are closed by the kernel
 * and `msg_flags` has MSG_CTRUNC. As in Python 3.13, `flags` is accepted
 * and ignored. The last argument may be `{ signal }` to abort the wait.
 *
 * @see https://docs.python.org/3/library/socket.html#socket.recv_fds
 * @see https://man7.org/linux/man-pages/man7/unix.7.html
 * @example
 * ```ts
 * const [data, fds, flags] = await recvFds(sock, 1024, 4);
 * if (flags & MSG_CTRUNC) console.warn('more fds were sent than asked for');
 * for (const fd of fds) fs.closeSync(fd);
 * ```
 */
export function recvFds<F extends number>(
  sock: Socket<F>, bufsize: number, maxfds: number, flags?: number | OpOptions, options?: OpOptions,
): Promise<RecvFdsResult<AddressOf<F> | null>> {
  try {
    checkSocket(sock, 'recv_fds', 'recvmsg');
    if (isOptions(flags)) options = flags;
    const anc = ancbufsizeFor(maxfds, 'recv_fds');
    return sock.recvmsg(bufsize, anc, 0, options).then(
      ([data, ancdata, msgFlags, address]): RecvFdsResult<AddressOf<F> | null> =>
        [data, fdsOf(ancdata), msgFlags, address],
    );
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * {@link recvFds}, blocking as Python's `recv_fds` does (the socket's mode
 * and timeout apply). `flags` is ignored, as in Python 3.13.
 *
 * @see https://docs.python.org/3/library/socket.html#socket.recv_fds
 * @example
 * ```ts
 * const [data, [fd]] = recvFdsSync(sock, 100, 1);
 * ```
 */
export function recvFdsSync<F extends number>(
  sock: Socket<F>, bufsize: number, maxfds: number, _flags?: number,
): RecvFdsResult<AddressOf<F> | null> {
  checkSocket(sock, 'recv_fds', 'recvmsg');
  const anc = ancbufsizeFor(maxfds, 'recv_fds');
  const [data, ancdata, msgFlags, address] = sock.recvmsgSync(bufsize, anc, 0);
  return [data, fdsOf(ancdata), msgFlags, address];
}
