/**
 * Python's `socket.sendmsg_afalg()`: one sendmsg(2) on an AF_ALG operation
 * socket whose ancillary data sets the operation (ALG_SET_OP), the
 * initialisation vector (ALG_SET_IV) and the AEAD associated-data length
 * (ALG_SET_AEAD_ASSOCLEN). Built on core's public `sendmsg` /
 * `sendmsgSync`, which bring the timeouts, the abort signal and the ordering
 * of a socket's pending sends.
 *
 * @packageDocumentation
 */
import { OSError, Socket, type AncillaryItem, type BytesLike } from '@bsdsock/core';
import { bytesOf, isBytesLike, layout, show, writeHostU32 } from '@bsdsock/core/internal';
import { AF_ALG, ALG_SET_AEAD_ASSOCLEN, ALG_SET_IV, ALG_SET_OP, SOL_ALG } from './constants.generated.js';

const IV_SIZE = layout('af_alg_iv');
const IV_LEN = layout('af_alg_iv.ivlen');
const IV_DATA = layout('af_alg_iv.iv');
const INT_MAX = 0x7fff_ffff;
const INT_MIN = -0x8000_0000;
const WHERE = 'sendmsg_afalg()';

/**
 * What an AF_ALG operation message sets: Python's `op`, `iv` and `assoclen`
 * keyword arguments of `sendmsg_afalg`, as {@link afalgAncillary} takes them.
 *
 * @see https://www.kernel.org/doc/html/latest/crypto/userspace-if.html
 * @example
 * ```ts
 * const options: AfalgAncillaryOptions = { op: ALG_OP_DECRYPT, iv, assoclen: 16 };
 * ```
 */
export interface AfalgAncillaryOptions {
  /** The operation, `ALG_OP_ENCRYPT` or `ALG_OP_DECRYPT`: required, 0-2147483647. */
  readonly op: number;
  /** The initialisation vector (`struct af_alg_iv`), for ciphers that take one. */
  readonly iv?: BytesLike;
  /** The length of the associated data at the start of an AEAD message, 0-2147483647. */
  readonly assoclen?: number;
}

/**
 * The options of {@link sendmsgAfalgSync}: Python's keyword arguments of
 * `sendmsg_afalg`.
 *
 * @see https://docs.python.org/3/library/socket.html#socket.socket.sendmsg_afalg
 * @example
 * ```ts
 * const options: AfalgOptions = { op: ALG_OP_ENCRYPT, iv, flags: MSG_MORE };
 * op.sendmsgAfalgSync(options);
 * ```
 */
export interface AfalgOptions extends AfalgAncillaryOptions {
  /** `MSG_*` flags for sendmsg(2), `MSG_MORE` to send more data with the same operation (default 0). */
  readonly flags?: number;
}

/**
 * The options of {@link sendmsgAfalg}: those of the Sync form and an abort
 * signal.
 *
 * @see https://docs.python.org/3/library/socket.html#socket.socket.sendmsg_afalg
 * @example
 * ```ts
 * const options: AfalgAsyncOptions = { op: ALG_OP_ENCRYPT, iv, signal: AbortSignal.timeout(1000) };
 * await op.sendmsgAfalg([plaintext], options);
 * ```
 */
export interface AfalgAsyncOptions extends AfalgOptions {
  /** Aborts the pending send: the promise rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

const ANCILLARY_KEYS = ['op', 'iv', 'assoclen'];
const SYNC_KEYS = [...ANCILLARY_KEYS, 'flags'];
const ASYNC_KEYS = [...SYNC_KEYS, 'signal'];

function u32(value: number): Buffer {
  const buf = Buffer.alloc(4);
  writeHostU32(buf, value, 0);
  return buf;
}

/** Whether `value` is an options object rather than the message: a plain object literal. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function checkOptions(options: unknown, where: string, keys: readonly string[]): Record<string, unknown> {
  if (options === undefined) throw new TypeError(`${where}: Invalid or missing argument 'op'`);
  if (!isPlainObject(options)) {
    throw new TypeError(`${where}: options must be an object { ${keys.join(', ')} }, got ${show(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!keys.includes(key)) throw new TypeError(`${where}: unexpected option ${JSON.stringify(key)} (takes ${keys.join(', ')})`);
  }
  return options;
}

/** Python's `PyLong_AsInt` on an option: an integer, a RangeError beyond a C int. */
function checkCInt(value: unknown, where: string, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${where}: ${field} must be an integer, got ${show(value)}`);
  }
  if (value < INT_MIN || value > INT_MAX) {
    throw new RangeError(`${where}: ${field} must fit in a C int, got ${show(value)}`);
  }
  return value;
}

function ancillaryOf(options: Record<string, unknown>, where: string): AncillaryItem[] {
  const { op, iv, assoclen } = options;
  // CPython: any op that is missing, negative or beyond a C int is this TypeError.
  if (op === undefined) throw new TypeError(`${where}: Invalid or missing argument 'op'`);
  if (typeof op !== 'number' || !Number.isInteger(op)) {
    throw new TypeError(`${where}: op must be an integer, got ${show(op)}`);
  }
  if (op < 0 || op > INT_MAX) {
    throw new TypeError(`${where}: Invalid or missing argument 'op' (must be 0-${INT_MAX}, got ${show(op)})`);
  }
  let ivBytes: Buffer | undefined;
  if (iv !== undefined) {
    if (!isBytesLike(iv)) throw new TypeError(`${where}: iv must be a bytes-like object, got ${show(iv)}`);
    ivBytes = bytesOf(iv);
  }
  let associated: number | undefined;
  if (assoclen !== undefined) {
    associated = checkCInt(assoclen, where, 'assoclen');
    if (associated < 0) throw new TypeError(`${where}: assoclen must be positive, got ${show(associated)}`);
  }

  const items: AncillaryItem[] = [[SOL_ALG, ALG_SET_OP, u32(op)]];
  if (ivBytes !== undefined) {
    const data = Buffer.alloc(IV_SIZE + ivBytes.length);
    writeHostU32(data, ivBytes.length, IV_LEN);
    ivBytes.copy(data, IV_DATA);
    items.push([SOL_ALG, ALG_SET_IV, data]);
  }
  if (associated !== undefined) items.push([SOL_ALG, ALG_SET_AEAD_ASSOCLEN, u32(associated)]);
  return items;
}

/**
 * The ancillary data `sendmsg_afalg` sends, as `[level, type, data]` items
 * for core's `sendmsg`: `[SOL_ALG, ALG_SET_OP, u32 op]`, then, when given,
 * `[SOL_ALG, ALG_SET_IV, struct af_alg_iv]` (a u32 length and the IV) and
 * `[SOL_ALG, ALG_SET_AEAD_ASSOCLEN, u32 assoclen]`, in host byte order.
 * For building a message by hand, say with more buffers or an address.
 *
 * @throws TypeError when `op` is missing, not an integer or outside
 *   0-2147483647, when `iv` is not bytes-like, or when `assoclen` is not an
 *   integer or negative (all as CPython); RangeError for an `assoclen` beyond
 *   a C int (CPython's OverflowError).
 * @see https://www.kernel.org/doc/html/latest/crypto/userspace-if.html
 * @example
 * ```ts
 * const [op] = await algo.accept();
 * await op.sendmsg([plaintext], afalgAncillary({ op: ALG_OP_ENCRYPT, iv }));
 * ```
 */
export function afalgAncillary(options: AfalgAncillaryOptions): AncillaryItem[] {
  const where = 'afalgAncillary()';
  return ancillaryOf(checkOptions(options, where, ANCILLARY_KEYS), where);
}

/** The message: an iterable of bytes-like objects (default none), as Buffers. */
function checkMessage(msg: unknown): Buffer[] {
  if (msg === undefined) return [];
  const iterable = msg !== null && typeof (msg as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
  if (!iterable || typeof msg === 'string') {
    throw new TypeError(`${WHERE}: msg must be an iterable of bytes-like objects, got ${show(msg)}`);
  }
  const out: Buffer[] = [];
  for (const part of msg as Iterable<unknown>) {
    if (!isBytesLike(part)) {
      throw new TypeError(`${WHERE}: msg must be an iterable of bytes-like objects, got an item ${show(part)}`);
    }
    out.push(bytesOf(part));
  }
  return out;
}

/** What both forms check before the send: the socket, its family, the message and the options. */
function prepare(
  sock: unknown, msg: unknown, options: unknown, keys: readonly string[],
): [Socket, Buffer[], AncillaryItem[], number, Record<string, unknown>] {
  if (!(sock instanceof Socket)) throw new TypeError(`${WHERE}: expects a Socket, got ${show(sock)}`);
  if (sock.family !== AF_ALG) throw new OSError('algset is only supported for AF_ALG');
  if (options === undefined && isPlainObject(msg)) {
    options = msg;
    msg = undefined;
  }
  const bufs = checkMessage(msg);
  const opts = checkOptions(options, WHERE, keys);
  const ancdata = ancillaryOf(opts, WHERE);
  const flags = opts.flags === undefined ? 0 : checkCInt(opts.flags, WHERE, 'flags');
  return [sock, bufs, ancdata, flags, opts];
}

/**
 * Sends data to an AF_ALG operation socket with the operation, IV and
 * associated-data length as ancillary data: Python's
 * `sock.sendmsg_afalg(msg, *, op, iv, assoclen, flags)`, Promise form.
 * Returns the number of bytes sent.
 *
 * `msg` is an iterable of bytes-like objects (default none); `op` is
 * `ALG_OP_ENCRYPT` or `ALG_OP_DECRYPT`; `iv` a bytes-like IV; `assoclen` the
 * length of the associated data an AEAD message starts with; `flags` the
 * `MSG_*` flags (`MSG_MORE` to send the data itself later, with `sendall`).
 * The options may come alone, as the first argument: Python's
 * `sendmsg_afalg(op=..., iv=...)`. The socket's timeout bounds the wait and
 * `signal` aborts it; sends on one socket complete in order.
 *
 * The promise rejects, as CPython raises: with `OSError`
 * `algset is only supported for AF_ALG` (errno `null`) on a socket of
 * another family; with TypeError `Invalid or missing argument 'op'` when
 * `op` is missing, negative or beyond a C int, and `assoclen must be
 * positive` for a negative `assoclen`; with RangeError for an `assoclen` or
 * `flags` beyond a C int; with TypeError for anything of the wrong type or an
 * unknown option; and with the OSError subclass of what the kernel refuses
 * (say, `EINVAL` for an IV of the wrong length).
 *
 * @see https://man7.org/linux/man-pages/man2/sendmsg.2.html
 * @see https://www.kernel.org/doc/html/latest/crypto/userspace-if.html
 * @see https://docs.python.org/3/library/socket.html#socket.socket.sendmsg_afalg
 * @example
 * ```ts
 * const algo = new Socket(AF_ALG, SOCK_SEQPACKET, 0);
 * algo.bind(['skcipher', 'cbc(aes)']);
 * algo.setsockopt(SOL_ALG, ALG_SET_KEY, key);
 * const [op] = await algo.accept();
 * await sendmsgAfalg(op, [plaintext], { op: ALG_OP_ENCRYPT, iv });
 * const ciphertext = await op.recv(plaintext.length);
 * ```
 */
export function sendmsgAfalg(sock: Socket, options: AfalgAsyncOptions): Promise<number>;
export function sendmsgAfalg(sock: Socket, msg?: Iterable<BytesLike>, options?: AfalgAsyncOptions): Promise<number>;
export function sendmsgAfalg(sock: Socket, msg?: unknown, options?: unknown): Promise<number> {
  try {
    const [s, bufs, ancdata, flags, opts] = prepare(sock, msg, options, ASYNC_KEYS);
    const { signal } = opts;
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new TypeError(`${WHERE}: signal must be an AbortSignal, got ${show(signal)}`);
    }
    return s.sendmsg(bufs, ancdata, flags, null, { signal });
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * {@link sendmsgAfalg}, blocking as Python's `sendmsg_afalg` does: it waits
 * in blocking mode, raises `TimeoutError` in timeout mode and
 * `BlockingIOError` at once in non-blocking mode. Returns the number of bytes
 * sent.
 *
 * @throws as {@link sendmsgAfalg} rejects.
 * @see https://man7.org/linux/man-pages/man2/sendmsg.2.html
 * @see https://docs.python.org/3/library/socket.html#socket.socket.sendmsg_afalg
 * @example
 * ```ts
 * const [op] = algo.acceptSync();
 * sendmsgAfalgSync(op, { op: ALG_OP_DECRYPT, iv, flags: MSG_MORE });
 * op.sendallSync(ciphertext);
 * const plaintext = op.recvSync(ciphertext.length);
 * ```
 */
export function sendmsgAfalgSync(sock: Socket, options: AfalgOptions): number;
export function sendmsgAfalgSync(sock: Socket, msg?: Iterable<BytesLike>, options?: AfalgOptions): number;
export function sendmsgAfalgSync(sock: Socket, msg?: unknown, options?: unknown): number {
  const [s, bufs, ancdata, flags] = prepare(sock, msg, options, SYNC_KEYS);
  return s.sendmsgSync(bufs, ancdata, flags);
}

declare module '@bsdsock/core' {
  interface SocketExtensions<F extends number = number> {
    /**
     * Sends data to an AF_ALG operation socket with the operation, IV and
     * associated-data length as ancillary data: Python's
     * `sendmsg_afalg(msg, *, op, iv, assoclen, flags)`, Promise form; added
     * by `@bsdsock/alg`. Returns the number of bytes sent. The options may
     * come alone, as the first argument. See the plain function
     * `sendmsgAfalg` of `@bsdsock/alg` for the errors.
     *
     * @see https://docs.python.org/3/library/socket.html#socket.socket.sendmsg_afalg
     * @see https://www.kernel.org/doc/html/latest/crypto/userspace-if.html
     * @example
     * ```ts
     * const [op] = await algo.accept();
     * await op.sendmsgAfalg([plaintext], { op: ALG_OP_ENCRYPT, iv });
     * const ciphertext = await op.recv(plaintext.length);
     * ```
     */
    sendmsgAfalg(options: AfalgAsyncOptions): Promise<number>;
    sendmsgAfalg(msg?: Iterable<BytesLike>, options?: AfalgAsyncOptions): Promise<number>;
    /**
     * `sendmsgAfalg`, blocking as Python's `sendmsg_afalg` does; added by
     * `@bsdsock/alg`. Returns the number of bytes sent.
     *
     * @see https://docs.python.org/3/library/socket.html#socket.socket.sendmsg_afalg
     * @example
     * ```ts
     * const [op] = algo.acceptSync();
     * op.sendmsgAfalgSync([ciphertext], { op: ALG_OP_DECRYPT, iv });
     * const plaintext = op.recvSync(ciphertext.length);
     * ```
     */
    sendmsgAfalgSync(options: AfalgOptions): number;
    sendmsgAfalgSync(msg?: Iterable<BytesLike>, options?: AfalgOptions): number;
  }
}

/** The methods {@link installSendmsgAfalg} puts on `Socket.prototype`: the plain functions with `this` as the socket. */
const METHODS = {
  sendmsgAfalg(this: Socket, msg?: unknown, options?: unknown): Promise<number> {
    return sendmsgAfalg(this, msg as Iterable<BytesLike>, options as AfalgAsyncOptions);
  },
  sendmsgAfalgSync(this: Socket, msg?: unknown, options?: unknown): number {
    return sendmsgAfalgSync(this, msg as Iterable<BytesLike>, options as AfalgOptions);
  },
};

/**
 * Adds `sendmsgAfalg` and `sendmsgAfalgSync` to `Socket.prototype`
 * (non-enumerable, like the class's own methods). Importing `@bsdsock/alg`
 * calls it; calling it again changes nothing.
 *
 * @see https://docs.python.org/3/library/socket.html#socket.socket.sendmsg_afalg
 * @example
 * ```ts
 * import '@bsdsock/alg';   // installs the methods
 * await op.sendmsgAfalg([data], { op: ALG_OP_ENCRYPT, iv });
 * ```
 */
export function installSendmsgAfalg(): void {
  for (const [name, value] of Object.entries(METHODS)) {
    if (Object.getOwnPropertyDescriptor(Socket.prototype, name)?.value === value) continue;
    Object.defineProperty(Socket.prototype, name, { value, writable: true, configurable: true, enumerable: false });
  }
}
