/**
 * `Socket`: Python's `socket.socket` for Node.js.
 *
 * Every operation that can wait has a Promise form under the plain name
 * (never blocks the event loop) and a `Sync` twin with Python's exact
 * blocking semantics. The fd is always non-blocking at the OS level; the
 * socket's mode (blocking, non-blocking, timeout) is bsdsock's own state,
 * and governs the Sync forms only.
 *
 * @see https://docs.python.org/3/library/socket.html#socket-objects
 * @packageDocumentation
 */
import { read, readSync } from 'node:fs';
import { inspect } from 'node:util';
import { aux, binding, BLOCKING_POLL_FIRST, BLOCKING_WAIT, POLL_FIRST_FOREVER, TIMED_OUT } from './binding.js';
import {
  BlockingIOError, EAGAIN, EALREADY, EBADF, ECONNRESET, EINPROGRESS, ENOTSOCK, OSError, fromErrno,
  timedOut,
} from './errors.js';
import { type AddressContext, type AddressOf, getFamily } from './family.js';
import type { Duplex, Readable, Writable } from 'node:stream';
import {
  makeStream, type MakefileOptions, type SocketDuplex, type SocketReadable, type SocketWritable,
} from './makefile.js';
import { kIoRef, kIoUnref } from './symbols.js';
import type { SocketExtensions } from './family.js';
import { type AncillaryItem, closeReceivedFds, packAncillary, parseAncillary } from './cmsg.js';
import { AGAIN, FULL_READ, IoState, PendingOp } from './io.js';
import {
  type Address, EncodeCache, addrScratch, decodeAddress, encodeAddress, encodeAddressAsync, readHostU16,
} from './sockaddr.js';
import {
  type BytesLike, type OpOptions, checkBytes, checkFlags, checkInt, checkSignal, checkWritable,
  isOptions, parseTimeout, typeName,
} from './validators.js';

const C = binding.constants as Record<string, number>;
const AF_INET = C.AF_INET!;
const AF_UNIX = C.AF_UNIX!;
const AF_INET6 = C.AF_INET6 ?? -1;
const IPPROTO_TCP = C.IPPROTO_TCP ?? 6;
const IPPROTO_MPTCP = C.IPPROTO_MPTCP ?? -1;
const SOCK_STREAM = C.SOCK_STREAM!;
const SOCK_NONBLOCK = C.SOCK_NONBLOCK ?? 0;
const SOCK_CLOEXEC = C.SOCK_CLOEXEC ?? 0;
const SOL_SOCKET = C.SOL_SOCKET!;
const SO_TYPE = C.SO_TYPE!;
const SO_PROTOCOL = C.SO_PROTOCOL;
const SOMAXCONN = C.SOMAXCONN ?? 128;
const MSG_DONTWAIT = C.MSG_DONTWAIT ?? 0;
const MSG_WAITALL = C.MSG_WAITALL ?? 0;
/** The options that bound a blocking call's wait (SOL_SOCKET). */
const TIMEO_OPTIONS = new Set(
  ['SO_RCVTIMEO', 'SO_SNDTIMEO', 'SO_RCVTIMEO_OLD', 'SO_SNDTIMEO_OLD', 'SO_RCVTIMEO_NEW', 'SO_SNDTIMEO_NEW']
    .map((n) => C[n])
    .filter((v): v is number => v !== undefined),
);
/** AF_VSOCK's options are 64-bit integers (CPython special-cases the family). */
const AF_VSOCK = C.AF_VSOCK;
const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const SA_FAMILY_OFFSET = binding.layouts['sockaddr.sa_family'] ?? 0;
const SA_FAMILY_END = SA_FAMILY_OFFSET + (binding.layouts.sa_family_t ?? 2);

/**
 * Whether a receive of `size` bytes goes straight into a Buffer from Node's
 * pool (sizes Buffer.allocUnsafe serves from its pool). Larger sizes are
 * received into a reused scratch and copied out at the length received: a
 * fresh large Buffer per call is slow, and a short message would keep all
 * of it alive (a 64-byte recv(4096) would hold 4 KiB).
 */
function small(size: number): boolean {
  return size < Buffer.poolSize >>> 1;
}
/** The most one sendfile(2) call is asked for, as Python's blocksize cap. */
const SENDFILE_BLOCK = 2 ** 30;
/** The block size of the send() fallback of sendfile, as Python's. */
const SEND_BLOCK = 8192;
const SEEK_SET = C.SEEK_SET ?? 0;
let recvScratch = Buffer.allocUnsafe(65536);
const EMPTY = Buffer.alloc(0);

let defaultTimeoutNs = -1;

/**
 * The default timeout in seconds for new sockets, or `null` (blocking).
 * @see https://docs.python.org/3/library/socket.html#socket.getdefaulttimeout
 */
export function getdefaulttimeout(): number | null {
  return defaultTimeoutNs < 0 ? null : defaultTimeoutNs / 1e9;
}

/**
 * Sets the default timeout of new sockets (seconds, or `null` for none).
 * @see https://docs.python.org/3/library/socket.html#socket.setdefaulttimeout
 */
export function setdefaulttimeout(timeout: number | null): void {
  defaultTimeoutNs = parseTimeout(timeout, 'setdefaulttimeout');
}

/** Every socket's fd is closed when its Socket is garbage-collected unclosed (Python's dealloc). */
const finalizer = new FinalizationRegistry<IoState>((io) => {
  const fd = io.release();
  if (fd >= 0) {
    binding.close(fd);
    process.emitWarning(`unclosed socket fd=${fd} was garbage-collected`, 'ResourceWarning');
  }
});

/** An fd this module just created (accept, dup, socketpair), passed as `fileno`: no syscalls. */
const kAdopt = Symbol('adopt');
interface AdoptToken {
  readonly [kAdopt]: true;
  readonly fd: number;
  readonly timeoutNs: number;
  /** The fd's socket surely has no SO_RCVTIMEO / SO_SNDTIMEO (see Socket#noTimeo). */
  readonly noTimeo: boolean;
}

/** @internal */
export function adoptToken(fd: number, timeoutNs: number, noTimeo = false): number {
  return { [kAdopt]: true, fd, timeoutNs, noTimeo } as AdoptToken as unknown as number;
}

/** The wait of a blocking Sync recv whose previous call had to wait: poll first. */
function pollFirst(wait: number): number {
  if (wait === BLOCKING_WAIT) return BLOCKING_POLL_FIRST;
  if (wait === -1) return POLL_FIRST_FOREVER;
  return wait;
}

function isAdoptToken(v: unknown): v is AdoptToken {
  return typeof v === 'object' && v !== null && kAdopt in v;
}

// ---------------------------------------------------------------------------
// Pending operations of the Promise forms. Each performs its syscall once.

class RecvOp extends PendingOp<Buffer> {
  constructor(private readonly size: number, private readonly flags: number) {
    super('recv');
  }
  attempt(fd: number): number {
    const r = recvBytes(fd, this.size, this.flags, undefined);
    if (typeof r === 'number') return r;
    this.value = r;
    this.full = r.length === this.size && this.size >= FULL_READ;
    return 0;
  }
}

/** recv with MSG_WAITALL on a stream: fills the whole count (or stops at EOF). */
class RecvAllOp extends PendingOp<Buffer> {
  got = 0;
  constructor(private readonly buf: ArrayBufferView, private readonly n: number, private readonly flags: number) {
    super('recv');
  }
  attempt(fd: number): number {
    while (this.got < this.n) {
      const r = binding.recv(fd, this.buf, this.got, this.n - this.got, this.flags);
      if (r === 0) break;
      if (r < 0) {
        if (r === AGAIN || this.got === 0) return r;
        break;
      }
      this.got += r;
    }
    if (Buffer.isBuffer(this.buf)) this.value = this.got === this.n ? this.buf : this.buf.subarray(0, this.got);
    return 0;
  }
}

class RecvIntoOp extends PendingOp<number> {
  constructor(
    private readonly buf: ArrayBufferView, private readonly n: number, private readonly flags: number,
  ) {
    super('recv');
  }
  attempt(fd: number): number {
    const r = binding.recv(fd, this.buf, 0, this.n, this.flags);
    if (r >= 0) this.value = r;
    this.full = r === this.n && r >= FULL_READ;
    return r;
  }
}

class RecvfromOp extends PendingOp<[Buffer, Address]> {
  constructor(private readonly sock: Socket, private readonly size: number, private readonly flags: number) {
    super('recvfrom');
  }
  attempt(fd: number): number {
    const pooled = small(this.size);
    const buf = pooled ? Buffer.allocUnsafe(this.size) : scratchFor(this.size);
    const r = binding.recvfrom(fd, buf, 0, this.size, this.flags, addrScratch);
    if (r < 0) return r;
    const data = pooled ? (r === this.size ? buf : buf.subarray(0, r)) : Buffer.from(buf.subarray(0, r));
    this.value = [data, decodeAddress(addrScratch, aux[0]!, this.sock[kCtx]('recvfrom'))];
    return 0;
  }
}

class RecvfromIntoOp extends PendingOp<[number, Address]> {
  constructor(
    private readonly sock: Socket, private readonly buf: ArrayBufferView, private readonly n: number,
    private readonly flags: number,
  ) {
    super('recvfrom');
  }
  attempt(fd: number): number {
    const r = binding.recvfrom(fd, this.buf, 0, this.n, this.flags, addrScratch);
    if (r < 0) return r;
    this.value = [r, decodeAddress(addrScratch, aux[0]!, this.sock[kCtx]('recvfrom_into'))];
    return 0;
  }
}

class AcceptOp extends PendingOp<[Socket, unknown]> {
  constructor(private readonly sock: Socket) {
    super('accept');
  }
  attempt(fd: number): number {
    const r = binding.accept(fd, acceptAddressBuffer(this.sock.family));
    if (r < 0) return r;
    this.value = this.sock[kAccepted](r);
    return 0;
  }
}

class SendOp extends PendingOp<number> {
  constructor(
    syscall: string, private readonly data: ArrayBufferView, private readonly flags: number,
    private readonly addr: Buffer | undefined,
  ) {
    super(syscall);
  }
  attempt(fd: number): number {
    const r = this.addr === undefined
      ? binding.send(fd, this.data, 0, this.data.byteLength, this.flags)
      : binding.sendto(fd, this.data, 0, this.data.byteLength, this.flags, this.addr);
    if (r >= 0) this.value = r;
    return r;
  }
}

class SendallOp extends PendingOp<void> {
  private sent = 0;
  constructor(private readonly data: ArrayBufferView, private readonly flags: number) {
    super('send');
  }
  attempt(fd: number): number {
    const total = this.data.byteLength;
    while (this.sent < total) {
      const r = binding.send(fd, this.data, this.sent, total - this.sent, this.flags);
      if (r < 0) return r;
      this.sent += r;
    }
    return 0;
  }
}

class ConnectOp extends PendingOp<number> {
  constructor(private readonly ex: boolean, private readonly addr: Buffer, private readonly tcp: boolean) {
    super('connect');
  }
  attempt(fd: number): number {
    const r = binding.connectFinish(fd, this.addr, this.tcp, true);
    if (this.ex) {
      this.value = r === 0 ? 0 : -r;
      return 0;
    }
    this.value = 0;
    return r;
  }
  override fail(code: number): unknown {
    return fromErrno(-code, 'connect');
  }
}

/** A `fs.promises` FileHandle, or anything with an `fd`. */
export interface FileHandleLike {
  readonly fd: number;
}

/** What recvmsg resolves with: data (or a count for recvmsg_into), ancillary items, msg_flags, address. */
type RecvmsgValue<D> = [D, AncillaryItem[], number, unknown];

/**
 * Turns a successful recvmsg syscall into Python's 4-tuple. Reads aux at
 * once (the next native call overwrites it); closes every received fd if
 * anything fails after the syscall, as CPython does.
 */
function finishRecvmsg<D>(
  sock: Socket, data: D, control: Buffer | null, caller: string,
): RecvmsgValue<D> {
  const namelen = aux[0]!;
  const msgFlags = aux[1]!;
  const controllen = aux[2]!;
  try {
    const anc = control === null ? [] : parseAncillary(control, controllen);
    const addr = decodeAddress(addrScratch, namelen, sock[kCtx](caller));
    return [data, anc, msgFlags, addr];
  } catch (err) {
    if (control !== null) closeReceivedFds(control, controllen);
    throw err;
  }
}

class RecvmsgOp extends PendingOp<RecvmsgValue<Buffer>> {
  constructor(
    private readonly sock: Socket, private readonly size: number, private readonly ancbufsize: number,
    private readonly flags: number,
  ) {
    super('recvmsg');
  }
  attempt(fd: number): number {
    const pooled = small(this.size);
    const buf = pooled ? Buffer.allocUnsafe(this.size) : scratchFor(this.size);
    const control = this.ancbufsize > 0 ? Buffer.alloc(this.ancbufsize) : null;
    const r = binding.recvmsg(fd, buf, control, this.flags, addrScratch);
    if (r < 0) return r;
    const data = pooled ? (r === this.size ? buf : buf.subarray(0, r)) : Buffer.from(buf.subarray(0, r));
    this.value = finishRecvmsg(this.sock, data, control, 'recvmsg');
    return 0;
  }
}

class RecvmsgIntoOp extends PendingOp<RecvmsgValue<number>> {
  constructor(
    private readonly sock: Socket, private readonly bufs: ArrayBufferView[], private readonly ancbufsize: number,
    private readonly flags: number,
  ) {
    super('recvmsg');
  }
  attempt(fd: number): number {
    const control = this.ancbufsize > 0 ? Buffer.alloc(this.ancbufsize) : null;
    const r = binding.recvmsg(fd, this.bufs, control, this.flags, addrScratch);
    if (r < 0) return r;
    this.value = finishRecvmsg(this.sock, r, control, 'recvmsg_into');
    return 0;
  }
}

class SendmsgOp extends PendingOp<number> {
  constructor(
    private readonly bufs: ArrayBufferView[], private readonly control: Buffer | null, private readonly flags: number,
    private readonly addr: Buffer | null,
  ) {
    super('sendmsg');
  }
  attempt(fd: number): number {
    const r = binding.sendmsg(fd, this.bufs, this.control, this.flags, this.addr);
    if (r >= 0) this.value = r;
    return r;
  }
}

/** sendfile(2) on a regular file, as many calls as it takes; `sent` counts progress. */
class SendfileOp extends PendingOp<number> {
  sent = 0;
  constructor(private readonly fd: number, private readonly offset: number, private readonly count: number | null) {
    super('sendfile');
  }
  attempt(sock: number): number {
    for (;;) {
      const block = this.count === null ? SENDFILE_BLOCK : Math.min(this.count - this.sent, SENDFILE_BLOCK);
      if (block <= 0) break;
      const r = binding.sendfile(sock, this.fd, this.offset + this.sent, block);
      if (r === 0) break;
      if (r < 0) return r;
      this.sent += r;
    }
    this.value = this.sent;
    return 0;
  }
}

function isTimeout(err: OSError): boolean {
  return err.errno === null;
}

/** The most messages one sendmmsg/recvmmsg call takes (UIO_MAXIOV). */
const MMSG_MAX = 1024;
let mmsgAddrs = Buffer.alloc(0);
let mmsgLens = new Int32Array(0);

/** One recvmmsg(2) call: the messages, or a result code. */
function recvmmsgOnce(
  sock: Socket, fd: number, vlen: number, size: number, flags: number, waitMs: number | undefined,
): [Buffer, unknown][] | number {
  const SS = addrScratch.length;
  if (mmsgAddrs.length < SS * vlen) mmsgAddrs = Buffer.alloc(SS * vlen);
  if (mmsgLens.length < 3 * vlen) mmsgLens = new Int32Array(3 * vlen);
  const buf = scratchFor(size * vlen);
  const r = binding.recvmmsg(fd, buf, size, vlen, mmsgAddrs, mmsgLens, flags, waitMs);
  if (r < 0) return r;
  const ctx = sock[kCtx]('recvmmsg');
  const out: [Buffer, unknown][] = [];
  let prev: unknown = null;
  let prevLen = -1;
  for (let i = 0; i < r; i++) {
    const len = mmsgLens[3 * i]!;
    const data = Buffer.allocUnsafe(len);
    buf.copy(data, 0, i * size, i * size + len);
    const alen = mmsgLens[3 * i + 1]!;
    // The same sender as the message before (the common case): a copy of
    // its decoded address rather than a second decode.
    let addr: unknown;
    if (alen === prevLen && alen > 0 &&
      mmsgAddrs.compare(mmsgAddrs, (i - 1) * SS, (i - 1) * SS + alen, i * SS, i * SS + alen) === 0) {
      addr = copyAddress(prev);
    }
    if (addr === undefined) addr = decodeAddress(mmsgAddrs.subarray(i * SS, (i + 1) * SS), alen, ctx);
    prev = addr;
    prevLen = alen;
    out.push([data, addr]);
  }
  return out;
}

/**
 * A decoded address for another message: a new array when it is an array
 * of primitives (as a tuple is), else a fresh decode is needed (`undefined`
 * marks that).
 */
function copyAddress(addr: unknown): unknown {
  if (!Array.isArray(addr)) return addr === null || typeof addr !== 'object' ? addr : undefined;
  for (let k = 0; k < addr.length; k++) {
    const v: unknown = addr[k];
    if (v !== null && typeof v === 'object') return undefined;
  }
  return addr.slice();
}

class RecvmmsgOp extends PendingOp<[Buffer, unknown][]> {
  constructor(
    private readonly sock: Socket, private readonly vlen: number, private readonly size: number,
    private readonly flags: number,
  ) {
    super('recvmmsg');
  }
  attempt(fd: number): number {
    const r = recvmmsgOnce(this.sock, fd, this.vlen, this.size, this.flags, undefined);
    if (typeof r === 'number') return r;
    this.value = r;
    return 0;
  }
}

class SendmmsgOp extends PendingOp<number> {
  private sent = 0;
  constructor(
    private readonly datas: ArrayBufferView[], private readonly addrs: (Buffer | null)[], private readonly flags: number,
  ) {
    super('sendmmsg');
  }
  attempt(fd: number): number {
    while (this.sent < this.datas.length) {
      const end = Math.min(this.datas.length, this.sent + MMSG_MAX);
      const r = binding.sendmmsg(fd, this.datas.slice(this.sent, end), this.addrs.slice(this.sent, end), this.flags);
      if (r < 0) {
        if (this.sent === 0) return r;
        break;
      }
      this.sent += r;
      if (this.sent < end) break;
    }
    this.value = this.sent;
    return 0;
  }
}

/** Where accept(2) writes the peer's address: nowhere for families that refuse one (AF_ALG). */
function acceptAddressBuffer(family: number): Buffer | null {
  return getFamily(family)?.acceptAddress === false ? null : addrScratch;
}

function scratchFor(size: number): Buffer {
  if (recvScratch.length < size) recvScratch = Buffer.allocUnsafe(size);
  return recvScratch;
}

/** recv(2) of up to `size` bytes into a fresh Buffer; a number on failure. */
function recvBytes(fd: number, size: number, flags: number, waitMs: number | undefined): Buffer | number {
  if (small(size)) {
    const buf = Buffer.allocUnsafe(size);
    const r = binding.recv(fd, buf, 0, size, flags, waitMs);
    if (r < 0) return r;
    return r === size ? buf : buf.subarray(0, r);
  }
  const scratch = scratchFor(size);
  const r = binding.recv(fd, scratch, 0, size, flags, waitMs);
  if (r < 0) return r;
  const out = Buffer.allocUnsafe(r);
  scratch.copy(out, 0, 0, r);
  return out;
}

const kCtx = Symbol('ctx');
const kAccepted = Symbol('accepted');


/**
 * A socket: Python's `socket.socket`.
 *
 * @example
 * ```ts
 * import { Socket, SOCK_STREAM } from '@bsdsock/core';
 * import { AF_INET } from '@bsdsock/inet';
 *
 * using srv = new Socket(AF_INET, SOCK_STREAM);
 * srv.bind(['127.0.0.1', 0]);
 * srv.listen();
 * const [conn, addr] = await srv.accept();
 * ```
 * @see https://docs.python.org/3/library/socket.html#socket.socket
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Socket<F extends number = number> extends SocketExtensions<F> {}
export class Socket<F extends number = number> {
  /** The address family, e.g. `AF_INET`. */
  readonly family: F;
  /** The socket type with SOCK_NONBLOCK / SOCK_CLOEXEC removed, e.g. `SOCK_STREAM`. */
  readonly type: number;
  /** The protocol number. */
  readonly proto: number;

  readonly #io: IoState;
  #ioRefs = 0;
  #closeRequested = false;
  /** The last blocking Sync recv had to wait: the next one waits first (see BLOCKING_POLL_FIRST). */
  #recvWaited = false;
  /** The same for a blocking acceptSync. */
  #acceptWaited = false;
  /** -1 none (blocking), 0 non-blocking, > 0 the timeout in nanoseconds. */
  #timeoutNs: number;
  /**
   * The socket surely has no SO_RCVTIMEO / SO_SNDTIMEO, so that a blocking
   * Sync call that must wait need not read them (one syscall fewer per
   * wait): true for a socket this module created and whose fd nobody else
   * has had (socket(), socketpair(), accept() from such a listener, which
   * the accepted socket inherits the options from); false once the fd is
   * handed out (fileno(), dup()) or one of the options is set.
   */
  #noTimeo = false;
  /** sendto's last address, kept encoded (see EncodeCache). */
  #encodeCache: EncodeCache | undefined = undefined;
  #sendtoContext: AddressContext | undefined = undefined;

  /**
   * Creates a socket with socket(2), or adopts an existing fd.
   *
   * `new Socket()` is an AF_INET stream socket. Given `fileno`, the socket
   * takes over that fd (no dup) and detects family, type and proto from it
   * unless they are passed. The new socket is close-on-exec, and its timeout
   * is {@link getdefaulttimeout} (or 0 when `type` has SOCK_NONBLOCK).
   *
   * @see https://man7.org/linux/man-pages/man2/socket.2.html
   */
  constructor(family: F = -1 as F, type = -1, proto = -1, fileno: number | null = null) {
    checkInt(family, 'Socket(): family');
    checkInt(type, 'Socket(): type');
    checkInt(proto, 'Socket(): proto');
    let fd: number;
    if (fileno === null || fileno === undefined) {
      if (family === -1) family = AF_INET as F;
      if (type === -1) type = SOCK_STREAM;
      if (proto === -1) proto = 0;
      fd = binding.socket(family, type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC), proto);
      if (fd < 0) throw fromErrno(-fd, 'socket');
      this.#noTimeo = true;
    } else if (isAdoptToken(fileno)) {
      fd = fileno.fd;
      this.family = family;
      this.type = type;
      this.proto = proto;
      this.#timeoutNs = fileno.timeoutNs;
      this.#noTimeo = fileno.noTimeo;
      this.#io = new IoState(fd);
      finalizer.register(this, this.#io, this.#io);
      return;
    } else {
      if (typeof fileno !== 'number' || !Number.isInteger(fileno)) {
        throw new TypeError(`Socket(): fileno must be an integer, not ${typeName(fileno)}`);
      }
      if (fileno < 0) throw new RangeError('negative file descriptor');
      if (fileno > 0x7fff_ffff) throw new RangeError(`Socket(): fileno out of range: ${fileno}`);
      fd = fileno;
      const len = binding.getsockname(fd, addrScratch);
      if (len >= 0) {
        if (family === -1) family = (len >= SA_FAMILY_END ? readHostU16(addrScratch, SA_FAMILY_OFFSET) : AF_UNIX) as F;
      } else if (-len === EBADF || -len === ENOTSOCK) {
        throw fromErrno(-len, 'getsockname');
      }
      if (type === -1) {
        const r = binding.getsockoptInt(fd, SOL_SOCKET, SO_TYPE);
        if (r < 0) throw fromErrno(-r, 'getsockopt');
        type = aux[0]!;
      }
      if (proto === -1) {
        if (SO_PROTOCOL !== undefined && binding.getsockoptInt(fd, SOL_SOCKET, SO_PROTOCOL) === 0) proto = aux[0]!;
        else proto = 0;
      }
      if (family === -1) family = AF_INET as F;
      // bsdsock's invariant: the fd is non-blocking at the OS level.
      const nb = binding.setNonblock(fd, true);
      if (nb < 0) throw fromErrno(-nb, 'fcntl');
      binding.track(fd);
    }
    this.family = family;
    this.type = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    this.proto = proto;
    this.#timeoutNs = (type & SOCK_NONBLOCK) !== 0 && SOCK_NONBLOCK !== 0 ? 0 : defaultTimeoutNs;
    this.#io = new IoState(fd);
    finalizer.register(this, this.#io, this.#io);
  }

  // -------------------------------------------------------------------------
  // Internals

  /** The fd, or throws EBADF if closed. */
  #fd(syscall: string): number {
    const fd = this.#io.fd;
    if (fd < 0) throw fromErrno(EBADF, syscall);
    return fd;
  }

  /** @internal */
  [kIoRef](): void {
    this.#ioRefs++;
  }

  /** @internal */
  [kIoUnref](): void {
    if (this.#ioRefs > 0) this.#ioRefs--;
    if (this.#ioRefs === 0 && this.#closeRequested) this.close();
  }

  /** @internal */
  [kCtx](caller: string): AddressContext {
    return { family: this.family, type: this.type, proto: this.proto, caller };
  }

  /** Builds the accepted socket and its peer address (after a successful accept4). @internal */
  [kAccepted](fd: number): [Socket<F>, AddressOf<F>] {
    const addr = decodeAddress(addrScratch, aux[0]!, this[kCtx]('accept')) as AddressOf<F>;
    const sock = new Socket<F>(this.family, this.type, this.proto, adoptToken(fd, defaultTimeoutNs, this.#noTimeo));
    return [sock, addr];
  }

  /** How long a Sync call may wait: ms, 0 (try once) or -1 (no limit). */
  #waitMs(_write: boolean, flags = 0): number {
    if ((flags & MSG_DONTWAIT) !== 0) return 0;
    const t = this.#timeoutNs;
    if (t > 0) return t / 1e6;
    if (t === 0) return 0;
    // Blocking mode: SO_RCVTIMEO / SO_SNDTIMEO bound the wait, as they bound
    // a blocking syscall; the addon reads them when it has to wait, unless
    // the socket surely has none.
    return this.#noTimeo ? -1 : BLOCKING_WAIT;
  }

  /** The error of a failed Sync call. */
  #syncError(code: number, syscall: string): OSError {
    if (code === TIMED_OUT) {
      if (this.#timeoutNs > 0) return timedOut(syscall);
      // SO_RCVTIMEO / SO_SNDTIMEO ran out: what the blocking syscall reports.
      return new BlockingIOError(syscall === 'connect' ? EINPROGRESS : EAGAIN, undefined, syscall);
    }
    return fromErrno(-code, syscall);
  }

  /** The deadline of a Promise form in ms (0: none). */
  get #asyncTimeoutMs(): number {
    return this.#timeoutNs > 0 ? this.#timeoutNs / 1e6 : 0;
  }

  // -------------------------------------------------------------------------
  // Synchronous methods

  /**
   * The socket's timeout in seconds (read-only; see {@link settimeout}).
   */
  get timeout(): number | null {
    return this.gettimeout();
  }

  /**
   * The file descriptor, or -1 once closed or detached.
   * @see https://docs.python.org/3/library/socket.html#socket.socket.fileno
   */
  fileno(): number {
    // Whoever has the fd may set SO_RCVTIMEO / SO_SNDTIMEO behind our back.
    this.#noTimeo = false;
    return this.#io.fd;
  }

  /**
   * Binds the socket to `address` (bind(2)). A host name is resolved on
   * the calling thread, as Python does.
   * @see https://man7.org/linux/man-pages/man2/bind.2.html
   */
  bind(address: Address): void {
    const fd = this.#fd('bind');
    const addr = encodeAddress(address, this[kCtx]('bind'));
    const r = binding.bind(fd, addr);
    if (r < 0) throw fromErrno(-r, 'bind');
  }

  /**
   * Marks the socket as accepting connections (listen(2)). `backlog`
   * defaults to min(SOMAXCONN, 128); a negative backlog is 0.
   * @see https://man7.org/linux/man-pages/man2/listen.2.html
   */
  listen(backlog?: number): void {
    let b = backlog === undefined ? Math.min(SOMAXCONN, 128) : checkInt(backlog, 'listen(): backlog');
    if (b < 0) b = 0;
    const r = binding.listen(this.#fd('listen'), b);
    if (r < 0) throw fromErrno(-r, 'listen');
  }

  /**
   * Closes the socket. Pending operations reject with EBADF. Calling it
   * again does nothing.
   * @see https://man7.org/linux/man-pages/man2/close.2.html
   */
  close(): void {
    if (this.#io.fd < 0) return;
    // Streams from makefile() keep the fd open until the last one closes.
    if (this.#ioRefs > 0) {
      this.#closeRequested = true;
      return;
    }
    finalizer.unregister(this.#io);
    const fd = this.#io.release();
    const r = binding.close(fd);
    if (r < 0 && -r !== ECONNRESET) throw fromErrno(-r, 'close');
  }

  /**
   * Gives up the fd without closing it and returns it (-1 if already
   * closed). The fd is left in the blocking state the socket's mode implies
   * (blocking when the timeout is `null`), as Python leaves it.
   */
  detach(): number {
    if (this.#io.fd < 0) return -1;
    finalizer.unregister(this.#io);
    const fd = this.#io.release();
    binding.untrack(fd);
    if (this.#timeoutNs < 0) binding.setNonblock(fd, false);
    return fd;
  }

  /**
   * A new Socket on a duplicate of the fd (close-on-exec), with the same
   * family, type, proto and timeout.
   */
  dup(): Socket<F> {
    const r = binding.dup(this.#fd('dup'));
    if (r < 0) throw fromErrno(-r, 'dup');
    this.#noTimeo = false;
    // Of the same class, as Python's dup() (`self.__class__`).
    const Cls = this.constructor as new (...args: unknown[]) => Socket<F>;
    try {
      return new Cls(this.family, this.type, this.proto, adoptToken(r, this.#timeoutNs));
    } catch (err) {
      binding.close(r);
      throw err;
    }
  }

  /** Whether the fd is inherited by child processes (not FD_CLOEXEC). */
  getInheritable(): boolean {
    const r = binding.getCloexec(this.#fd('fcntl'));
    if (r < 0) throw fromErrno(-r, 'fcntl');
    return r === 0;
  }

  /** Sets whether the fd is inherited by child processes. */
  setInheritable(flag: boolean): void {
    const r = binding.setCloexec(this.#fd('fcntl'), !flag);
    if (r < 0) throw fromErrno(-r, 'fcntl');
  }

  /**
   * The socket's own address (getsockname(2)).
   * @see https://man7.org/linux/man-pages/man2/getsockname.2.html
   */
  getsockname(): AddressOf<F> {
    const r = binding.getsockname(this.#fd('getsockname'), addrScratch);
    if (r < 0) throw fromErrno(-r, 'getsockname');
    return decodeAddress(addrScratch, r, this[kCtx]('getsockname')) as AddressOf<F>;
  }

  /**
   * The peer's address (getpeername(2)).
   * @see https://man7.org/linux/man-pages/man2/getpeername.2.html
   */
  getpeername(): AddressOf<F> {
    const r = binding.getpeername(this.#fd('getpeername'), addrScratch);
    if (r < 0) throw fromErrno(-r, 'getpeername');
    return decodeAddress(addrScratch, r, this[kCtx]('getpeername')) as AddressOf<F>;
  }

  /**
   * Reads a socket option (getsockopt(2)): an integer, or, given `buflen`
   * (1-1024), the raw bytes the kernel wrote. On an AF_VSOCK socket, as in
   * CPython, the option is an unsigned 64-bit integer (a bigint beyond
   * 2**53) and `buflen` raises OSError.
   * @see https://man7.org/linux/man-pages/man2/getsockopt.2.html
   */
  getsockopt(level: number, optname: number): number;
  getsockopt(level: number, optname: number, buflen: number): Buffer;
  getsockopt(level: number, optname: number, buflen?: number): number | Buffer {
    checkInt(level, 'getsockopt(): level');
    checkInt(optname, 'getsockopt(): optname');
    const fd = this.#fd('getsockopt');
    if (AF_VSOCK !== undefined && this.family === AF_VSOCK) return this.#getsockoptVsock(fd, level, optname, buflen);
    if (buflen === undefined || buflen === 0) {
      const r = binding.getsockoptInt(fd, level, optname);
      if (r < 0) throw fromErrno(-r, 'getsockopt');
      return aux[0]!;
    }
    checkInt(buflen, 'getsockopt(): buflen');
    if (buflen < 0 || buflen > 1024) throw new OSError('getsockopt buflen out of range');
    const out = Buffer.alloc(buflen);
    const r = binding.getsockoptBuf(fd, level, optname, out);
    if (r < 0) throw fromErrno(-r, 'getsockopt');
    return r === buflen ? out : out.subarray(0, r);
  }

  /**
   * AF_VSOCK's getsockopt, as CPython has it: the option is an unsigned
   * 64-bit integer (a number, or a bigint beyond 2**53), and a buffer
   * cannot be asked for.
   */
  #getsockoptVsock(fd: number, level: number, optname: number, buflen: number | undefined): number {
    if (buflen !== undefined && buflen !== 0) {
      checkInt(buflen, 'getsockopt(): buflen');
      throw new OSError('getsockopt string buffer not allowed');
    }
    const out = Buffer.alloc(8);
    const r = binding.getsockoptBuf(fd, level, optname, out);
    if (r < 0) throw fromErrno(-r, 'getsockopt');
    const v = HOST_LE ? out.readBigUInt64LE(0) : out.readBigUInt64BE(0);
    return (v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v) as number;
  }

  /**
   * AF_VSOCK's setsockopt, as CPython has it: the value is an integer taken
   * as unsigned 64 bits (wrapping, so -1 is all ones); bytes and a null
   * optval are refused.
   */
  #setsockoptVsock(fd: number, level: number, optname: number, value: unknown, optlen: unknown): number {
    if (optlen !== undefined) throw new TypeError('setsockopt(): an AF_VSOCK option takes no optlen');
    let v: bigint;
    if (typeof value === 'bigint') v = value;
    else if (typeof value === 'boolean') v = value ? 1n : 0n;
    else if (typeof value === 'number' && Number.isInteger(value)) v = BigInt(value);
    else throw new TypeError(`setsockopt() argument 3 must be int, not ${typeName(value)}`);
    const b = Buffer.alloc(8);
    if (HOST_LE) b.writeBigUInt64LE(BigInt.asUintN(64, v));
    else b.writeBigUInt64BE(BigInt.asUintN(64, v));
    return binding.setsockoptBuf(fd, level, optname, b);
  }

  /**
   * Sets a socket option (setsockopt(2)): an integer (a boolean counts), a
   * bytes-like value, or `null` with an `optlen` (a NULL optval). On an
   * AF_VSOCK socket, as in CPython, only an integer (or bigint), set as an
   * unsigned 64-bit value.
   * @see https://man7.org/linux/man-pages/man2/setsockopt.2.html
   */
  setsockopt(level: number, optname: number, value: number | bigint | boolean | BytesLike): void;
  setsockopt(level: number, optname: number, value: null, optlen: number): void;
  setsockopt(level: number, optname: number, value: number | bigint | boolean | BytesLike | null, optlen?: number): void {
    checkInt(level, 'setsockopt(): level');
    checkInt(optname, 'setsockopt(): optname');
    const fd = this.#fd('setsockopt');
    if (level === SOL_SOCKET && TIMEO_OPTIONS.has(optname)) this.#noTimeo = false;
    let r: number;
    if (AF_VSOCK !== undefined && this.family === AF_VSOCK) {
      r = this.#setsockoptVsock(fd, level, optname, value, optlen);
    } else if (optlen !== undefined) {
      if (value !== null) {
        throw new TypeError('setsockopt(): with optlen, the value must be null');
      }
      const len = checkInt(optlen, 'setsockopt(): optlen');
      if (len < 0) throw new RangeError(`setsockopt(): optlen must be >= 0, got ${len}`);
      r = binding.setsockoptNull(fd, level, optname, len);
    } else if (typeof value === 'number' || typeof value === 'boolean') {
      const v = typeof value === 'boolean' ? Number(value) : value;
      if (!Number.isInteger(v)) throw new TypeError(`setsockopt(): value must be an integer, got ${v}`);
      if (v < -0x8000_0000 || v > 0x7fff_ffff) {
        throw new TypeError(`setsockopt(): an integer value must fit in a C int (or pass bytes), got ${v}`);
      }
      r = binding.setsockoptInt(fd, level, optname, v);
    } else if (value === null || value === undefined) {
      throw new TypeError('setsockopt(): value must be an integer or a bytes-like object, not null (a null optval needs optlen)');
    } else {
      r = binding.setsockoptBuf(fd, level, optname, checkBytes(value, 'setsockopt()'));
    }
    if (r < 0) throw fromErrno(-r, 'setsockopt');
  }

  /**
   * Shuts down one or both halves of the connection (shutdown(2)): SHUT_RD,
   * SHUT_WR or SHUT_RDWR.
   * @see https://man7.org/linux/man-pages/man2/shutdown.2.html
   */
  shutdown(how: number): void {
    checkInt(how, 'shutdown(): how');
    const r = binding.shutdown(this.#fd('shutdown'), how);
    if (r < 0) throw fromErrno(-r, 'shutdown');
  }

  /**
   * `false` for non-blocking mode (timeout 0), `true` otherwise.
   * @see https://docs.python.org/3/library/socket.html#socket.socket.getblocking
   */
  getblocking(): boolean {
    return this.#timeoutNs !== 0;
  }

  /**
   * Blocking mode (`true`: timeout `null`) or non-blocking (`false`:
   * timeout 0). Only the truthiness of `flag` counts, as in Python.
   */
  setblocking(flag: unknown): void {
    this.#fd('setblocking');
    this.#timeoutNs = flag ? -1 : 0;
  }

  /** The timeout in seconds, 0 for non-blocking, `null` for blocking. */
  gettimeout(): number | null {
    return this.#timeoutNs < 0 ? null : this.#timeoutNs / 1e9;
  }

  /**
   * Sets the timeout in seconds: `null` blocks, 0 never waits, a positive
   * number raises TimeoutError from a Sync call (and rejects a Promise form)
   * once it runs out.
   */
  settimeout(value: number | null): void {
    const ns = parseTimeout(value, 'settimeout');
    this.#fd('settimeout');
    this.#timeoutNs = ns;
  }

  /**
   * A Node stream over the socket, as Python's `makefile`: a Readable for
   * `'r'`, a Writable for `'w'`, a Duplex for `'rw'`; binary with `'b'`,
   * text otherwise (`options.encoding`, default UTF-8). The socket's fd
   * stays open until the socket and every stream from it are closed.
   * `end()` on a writing stream sends what is buffered, then shuts down the
   * sending side (as `net.Socket` does; `shutdownOnEnd: false` only
   * flushes); `destroy()` is Python's `close()`: it drops the stream's hold
   * on the socket and shuts nothing down. On a closed socket it throws
   * OSError EBADF at once (Python returns a file that fails on first use).
   * @see https://docs.python.org/3/library/socket.html#socket.socket.makefile
   */
  makefile(mode?: 'r' | 'rb', options?: MakefileOptions): SocketReadable;
  makefile(mode: 'w' | 'wb', options?: MakefileOptions): SocketWritable;
  makefile(mode: 'rw' | 'wr' | 'rwb' | 'wrb' | 'rbw' | 'wbr' | 'brw' | 'bwr' | 'br' | 'bw', options?: MakefileOptions): SocketDuplex;
  makefile(mode?: string, options?: MakefileOptions): SocketReadable | SocketWritable | SocketDuplex;
  makefile(mode?: string, options?: MakefileOptions): Readable | Writable | Duplex {
    return makeStream(this, mode, options);
  }

  // -------------------------------------------------------------------------
  // Operations that can wait: Promise form and Sync twin.

  /**
   * Waits for a connection and accepts it (accept4(2)): `[conn, address]`.
   * The new socket gets the default timeout, as in Python.
   * @see https://man7.org/linux/man-pages/man2/accept.2.html
   */
  accept(options?: OpOptions): Promise<[Socket<F>, AddressOf<F>]> {
    try {
      const signal = checkSignal(options, 'accept');
      this.#fd('accept');
      return this.#io.run(new AcceptOp(this), false, this.#asyncTimeoutMs, signal) as Promise<[Socket<F>, AddressOf<F>]>;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** {@link accept}, blocking the calling thread as Python does. */
  acceptSync(): [Socket<F>, AddressOf<F>] {
    let wait = this.#waitMs(false);
    // A server that waited for its last connection waits before the next
    // accept4 too, rather than making one that fails with EAGAIN first.
    if (this.#acceptWaited) wait = pollFirst(wait);
    const r = binding.accept(this.#fd('accept'), acceptAddressBuffer(this.family), wait);
    this.#acceptWaited = aux[3] === 1;
    if (r < 0) throw this.#syncError(r, 'accept');
    return this[kAccepted](r);
  }

  /**
   * Connects to `address` (connect(2)); a host name is resolved without
   * blocking the event loop.
   * @see https://man7.org/linux/man-pages/man2/connect.2.html
   */
  connect(address: Address, options?: OpOptions): Promise<void> {
    return this.#connectAsync(address, options, false) as Promise<unknown> as Promise<void>;
  }

  /** {@link connect}, blocking as Python does. */
  connectSync(address: Address): void {
    const r = this.#connectSync(address, 'connect');
    if (r < 0) throw this.#syncError(r, 'connect');
  }

  /**
   * Like {@link connect}, but resolves with the errno instead of rejecting
   * (0 on success); a bad address or a failed lookup still rejects.
   */
  connectEx(address: Address, options?: OpOptions): Promise<number> {
    return this.#connectAsync(address, options, true);
  }

  /** {@link connectEx}, blocking as Python does. */
  connectExSync(address: Address): number {
    const r = this.#connectSync(address, 'connect_ex');
    if (r === TIMED_OUT) return EAGAIN;
    return r < 0 ? -r : 0;
  }

  #connectSync(address: Address, caller: string): number {
    const addr = encodeAddress(address, this[kCtx](caller));
    // connect_ex reports a closed socket as errno EBADF, as CPython's does.
    if (caller === 'connect_ex' && this.#io.fd < 0) return -EBADF;
    const fd = this.#fd('connect');
    return binding.connect(fd, addr, this.#waitMs(true), this.#isTcp());
  }

  /** A TCP (or MPTCP) socket: its connect result comes from connecting again. */
  #isTcp(): boolean {
    return (this.family === AF_INET || this.family === AF_INET6) && this.type === SOCK_STREAM &&
      (this.proto === 0 || this.proto === IPPROTO_TCP || this.proto === IPPROTO_MPTCP);
  }

  #connectAsync(address: Address, options: OpOptions | undefined, ex: boolean): Promise<number> {
    try {
      const signal = checkSignal(options, ex ? 'connectEx' : 'connect');
      const addr = encodeAddressAsync(address, this[kCtx](ex ? 'connect_ex' : 'connect'));
      if (addr instanceof Promise) {
        return addr.then((a) => this.#startConnect(a, ex, signal));
      }
      return this.#startConnect(addr, ex, signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  #startConnect(addr: Buffer, ex: boolean, signal: AbortSignal | undefined): Promise<number> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (ex && this.#io.fd < 0) return Promise.resolve(EBADF);
    const fd = this.#fd('connect');
    let r = binding.connect(fd, addr);
    if (r === 0) return Promise.resolve(0);
    const tcp = this.#isTcp();
    if (-r === EINPROGRESS) {
      // Over loopback a TCP connect is over already: no trip through the
      // event loop (see SysConnectFinish).
      const now = binding.connectFinish(fd, addr, tcp, false);
      if (now === 0) return Promise.resolve(0);
      if (-now !== EALREADY) r = now;
    }
    if (-r !== EINPROGRESS) {
      return ex ? Promise.resolve(-r) : Promise.reject(fromErrno(-r, 'connect'));
    }
    const op = new ConnectOp(ex, addr, tcp);
    const p = this.#io.enqueue(op, true, this.#asyncTimeoutMs, signal);
    return ex ? p.catch((err: unknown) => (err instanceof OSError && err.errno === null ? EAGAIN : Promise.reject(err))) : p;
  }

  /**
   * Receives up to `bufsize` bytes (recv(2)). A zero `bufsize` returns an
   * empty Buffer without a syscall; an empty result means the peer closed.
   * @see https://man7.org/linux/man-pages/man2/recv.2.html
   */
  recv(bufsize: number, flags?: number | OpOptions, options?: OpOptions): Promise<Buffer> {
    try {
      if (isOptions(flags)) { options = flags; flags = undefined; }
      const size = checkBufsize(bufsize, 'recv');
      const f = checkFlags(flags, 'recv');
      const signal = checkSignal(options, 'recv');
      // As in CPython, a zero size returns before anything else is looked at.
      if (size === 0) return Promise.resolve(EMPTY);
      this.#fd('recv');
      const op = this.#waitAll(f) ? new RecvAllOp(Buffer.allocUnsafe(size), size, f) : new RecvOp(size, f);
      return this.#io.run(op, false, this.#asyncTimeoutMs, signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** {@link recv}, blocking as Python does. */
  recvSync(bufsize: number, flags?: number): Buffer {
    const size = checkBufsize(bufsize, 'recv');
    const f = checkFlags(flags, 'recv');
    if (size === 0) return EMPTY;
    const fd = this.#fd('recv');
    if (this.#waitAll(f) && this.#timeoutNs < 0) {
      const buf = Buffer.allocUnsafe(size);
      const n = this.#recvAllSync(fd, buf, size, f);
      return n === size ? buf : buf.subarray(0, n);
    }
    let wait = this.#waitMs(false, f);
    if (this.#recvWaited) wait = pollFirst(wait);
    const r = recvBytes(fd, size, f, wait);
    this.#recvWaited = aux[3] === 1;
    if (typeof r === 'number') throw this.#syncError(r, 'recv');
    return r;
  }

  /**
   * Receives into `buffer` (up to `nbytes`, default its length); returns
   * the count. An empty buffer returns 0 without a syscall.
   */
  recvInto(buffer: ArrayBufferView, nbytes?: number | OpOptions, flags?: number | OpOptions, options?: OpOptions): Promise<number> {
    try {
      if (isOptions(nbytes)) { options = nbytes; nbytes = undefined; }
      if (isOptions(flags)) { options = flags; flags = undefined; }
      const [buf, n] = checkInto(buffer, nbytes, 'recv_into', 'buffer too small for requested bytes');
      const f = checkFlags(flags, 'recvInto');
      const signal = checkSignal(options, 'recvInto');
      if (n === 0) return Promise.resolve(0);
      this.#fd('recv');
      if (this.#waitAll(f)) {
        const op = new RecvAllOp(buf, n, f);
        return this.#io.run(op, false, this.#asyncTimeoutMs, signal).then(() => op.got);
      }
      return this.#io.run(new RecvIntoOp(buf, n, f), false, this.#asyncTimeoutMs, signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** {@link recvInto}, blocking as Python does. */
  recvIntoSync(buffer: ArrayBufferView, nbytes?: number, flags?: number): number {
    const [buf, n] = checkInto(buffer, nbytes, 'recv_into', 'buffer too small for requested bytes');
    const f = checkFlags(flags, 'recvInto');
    if (n === 0) return 0;
    const fd = this.#fd('recv');
    if (this.#waitAll(f) && this.#timeoutNs < 0) return this.#recvAllSync(fd, buf, n, f);
    let wait = this.#waitMs(false, f);
    if (this.#recvWaited) wait = pollFirst(wait);
    const r = binding.recv(fd, buf, 0, n, f, wait);
    this.#recvWaited = aux[3] === 1;
    if (r < 0) throw this.#syncError(r, 'recv');
    return r;
  }

  /**
   * MSG_WAITALL on a stream socket: a blocking recv(2) waits for the whole
   * count (or EOF, or an error after some bytes); the fd is non-blocking,
   * so bsdsock completes the count itself.
   */
  #waitAll(flags: number): boolean {
    return (flags & MSG_WAITALL) !== 0 && (flags & MSG_DONTWAIT) === 0 && this.type === SOCK_STREAM;
  }

  /** The blocking MSG_WAITALL loop of the Sync forms; returns the count received. */
  #recvAllSync(fd: number, buf: ArrayBufferView, n: number, flags: number): number {
    let got = 0;
    while (got < n) {
      const r = binding.recv(fd, buf, got, n - got, flags, this.#waitMs(false));
      if (r === 0) break;
      if (r < 0) {
        if (got > 0) break;
        throw this.#syncError(r, 'recv');
      }
      got += r;
    }
    return got;
  }

  /**
   * Receives up to `bufsize` bytes and the sender's address (recvfrom(2)):
   * `[data, address]`; the address is `null` when the kernel gives none.
   * Unlike {@link recv}, a zero `bufsize` still makes the syscall.
   */
  recvfrom(bufsize: number, flags?: number | OpOptions, options?: OpOptions): Promise<[Buffer, AddressOf<F> | null]> {
    try {
      if (isOptions(flags)) { options = flags; flags = undefined; }
      const size = checkBufsize(bufsize, 'recvfrom');
      const f = checkFlags(flags, 'recvfrom');
      const signal = checkSignal(options, 'recvfrom');
      this.#fd('recvfrom');
      return this.#io.run(new RecvfromOp(this, size, f), false, this.#asyncTimeoutMs, signal) as Promise<[Buffer, AddressOf<F> | null]>;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** {@link recvfrom}, blocking as Python does. */
  recvfromSync(bufsize: number, flags?: number): [Buffer, AddressOf<F> | null] {
    const size = checkBufsize(bufsize, 'recvfrom');
    const f = checkFlags(flags, 'recvfrom');
    const fd = this.#fd('recvfrom');
    const pooled = small(size);
    const buf = pooled ? Buffer.allocUnsafe(size) : scratchFor(size);
    const r = binding.recvfrom(fd, buf, 0, size, f, addrScratch, this.#waitMs(false, f));
    if (r < 0) throw this.#syncError(r, 'recvfrom');
    const data = pooled ? (r === size ? buf : buf.subarray(0, r)) : Buffer.from(buf.subarray(0, r));
    return [data, decodeAddress(addrScratch, aux[0]!, this[kCtx]('recvfrom')) as AddressOf<F> | null];
  }

  /** Receives into `buffer` and returns `[nbytes, address]`; always makes the syscall. */
  recvfromInto(
    buffer: ArrayBufferView, nbytes?: number | OpOptions, flags?: number | OpOptions, options?: OpOptions,
  ): Promise<[number, AddressOf<F> | null]> {
    try {
      if (isOptions(nbytes)) { options = nbytes; nbytes = undefined; }
      if (isOptions(flags)) { options = flags; flags = undefined; }
      const [buf, n] = checkInto(buffer, nbytes, 'recvfrom_into', 'nbytes is greater than the length of the buffer');
      const f = checkFlags(flags, 'recvfromInto');
      const signal = checkSignal(options, 'recvfromInto');
      this.#fd('recvfrom');
      return this.#io.run(new RecvfromIntoOp(this, buf, n, f), false, this.#asyncTimeoutMs, signal) as Promise<[number, AddressOf<F> | null]>;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** {@link recvfromInto}, blocking as Python does. */
  recvfromIntoSync(buffer: ArrayBufferView, nbytes?: number, flags?: number): [number, AddressOf<F> | null] {
    const [buf, n] = checkInto(buffer, nbytes, 'recvfrom_into', 'nbytes is greater than the length of the buffer');
    const f = checkFlags(flags, 'recvfromInto');
    const fd = this.#fd('recvfrom');
    const r = binding.recvfrom(fd, buf, 0, n, f, addrScratch, this.#waitMs(false, f));
    if (r < 0) throw this.#syncError(r, 'recvfrom');
    return [r, decodeAddress(addrScratch, aux[0]!, this[kCtx]('recvfrom_into')) as AddressOf<F> | null];
  }

  /**
   * Sends `data` (send(2), with MSG_NOSIGNAL); returns the number of bytes
   * sent, which may be fewer than given.
   * @see https://man7.org/linux/man-pages/man2/send.2.html
   */
  send(data: BytesLike, flags?: number | OpOptions, options?: OpOptions): Promise<number> {
    try {
      if (isOptions(flags)) { options = flags; flags = undefined; }
      const view = checkBytes(data, 'send()');
      const f = checkFlags(flags, 'send');
      const signal = checkSignal(options, 'send');
      this.#fd('send');
      return this.#io.run(new SendOp('send', view, f, undefined), true, this.#asyncTimeoutMs, signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** {@link send}, blocking as Python does. */
  sendSync(data: BytesLike, flags?: number): number {
    const view = checkBytes(data, 'send()');
    const f = checkFlags(flags, 'send');
    const fd = this.#fd('send');
    const wait = this.#waitMs(true, f);
    if (this.#timeoutNs < 0 && wait !== 0) {
      // A blocking send(2) returns only once every byte is queued, or with
      // the partial count when SO_SNDTIMEO runs out after some progress.
      const r = binding.sendall(fd, view, 0, view.byteLength, f, wait);
      if (r >= 0) return r;
      if (aux[0]! > 0) return aux[0]!;
      throw this.#syncError(r, 'send');
    }
    const r = binding.send(fd, view, 0, view.byteLength, f, wait);
    if (r < 0) throw this.#syncError(r, 'send');
    return r;
  }

  /**
   * Sends every byte of `data`, waiting as needed; the socket's timeout is
   * one deadline for the whole call.
   */
  sendall(data: BytesLike, flags?: number | OpOptions, options?: OpOptions): Promise<void> {
    try {
      if (isOptions(flags)) { options = flags; flags = undefined; }
      const view = checkBytes(data, 'sendall()');
      const f = checkFlags(flags, 'sendall');
      const signal = checkSignal(options, 'sendall');
      this.#fd('send');
      return this.#io.run(new SendallOp(view, f), true, this.#asyncTimeoutMs, signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** {@link sendall}, blocking as Python does. */
  sendallSync(data: BytesLike, flags?: number): void {
    const view = checkBytes(data, 'sendall()');
    const f = checkFlags(flags, 'sendall');
    const r = binding.sendall(this.#fd('send'), view, 0, view.byteLength, f, this.#waitMs(true, f));
    if (r < 0) throw this.#syncError(r, 'send');
  }

  /**
   * Sends a datagram to `address` (sendto(2)): `sendto(data, address)` or
   * `sendto(data, flags, address)`; returns the number of bytes sent.
   * @see https://man7.org/linux/man-pages/man2/sendto.2.html
   */
  sendto(data: BytesLike, address: Address, options?: OpOptions): Promise<number>;
  sendto(data: BytesLike, flags: number, address: Address, options?: OpOptions): Promise<number>;
  sendto(data: BytesLike, ...rest: unknown[]): Promise<number> {
    try {
      let options: unknown;
      // An address is never a plain object, so a trailing one is the options.
      if (rest.length > 0 && isOptions(rest[rest.length - 1])) options = rest.pop();
      const [view, f, address] = parseSendto(data, rest);
      const signal = checkSignal(options, 'sendto');
      this.#fd('sendto');
      const addr = this.#sendtoCache().encodeAsync(address, this.#sendtoCtx());
      if (addr instanceof Promise) {
        return addr.then((a) => this.#io.run(new SendOp('sendto', view, f, a), true, this.#asyncTimeoutMs, signal));
      }
      return this.#io.run(new SendOp('sendto', view, f, addr), true, this.#asyncTimeoutMs, signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** The encoded last sendto address (created on first use: most sockets never sendto). */
  #sendtoCache(): EncodeCache {
    return (this.#encodeCache ??= new EncodeCache());
  }

  /** The address context of sendto, made once. */
  #sendtoCtx(): AddressContext {
    return (this.#sendtoContext ??= this[kCtx]('sendto'));
  }

  /** {@link sendto}, blocking as Python does. */
  sendtoSync(data: BytesLike, address: Address): number;
  sendtoSync(data: BytesLike, flags: number, address: Address): number;
  sendtoSync(data: BytesLike, ...rest: unknown[]): number {
    const [view, f, address] = parseSendto(data, rest);
    const fd = this.#fd('sendto');
    const addr = this.#sendtoCache().encode(address, this.#sendtoCtx());
    const r = binding.sendto(fd, view, 0, view.byteLength, f, addr, this.#waitMs(true, f));
    if (r < 0) throw this.#syncError(r, 'sendto');
    return r;
  }

  /**
   * Receives a message with its ancillary data (recvmsg(2)):
   * `[data, ancdata, msg_flags, address]`, where `ancdata` is a list of
   * `[level, type, data]` and `address` is `null` when the kernel gives none.
   * `ancbufsize` is the control buffer size (use {@link CMSG_SPACE}); fds
   * received through SCM_RIGHTS are close-on-exec.
   * @see https://man7.org/linux/man-pages/man2/recvmsg.2.html
   * @see https://docs.python.org/3/library/socket.html#socket.socket.recvmsg
   */
  recvmsg(
    bufsize: number, ancbufsize?: number | OpOptions, flags?: number | OpOptions, options?: OpOptions,
  ): Promise<[Buffer, AncillaryItem[], number, AddressOf<F> | null]> {
    try {
      if (isOptions(ancbufsize)) { options = ancbufsize; ancbufsize = undefined; }
      if (isOptions(flags)) { options = flags; flags = undefined; }
      const [size, anc] = checkRecvmsg(bufsize, ancbufsize);
      const f = checkFlags(flags, 'recvmsg');
      const signal = checkSignal(options, 'recvmsg');
      this.#fd('recvmsg');
      return this.#io.run(new RecvmsgOp(this, size, anc, f), false, this.#asyncTimeoutMs, signal) as
        Promise<[Buffer, AncillaryItem[], number, AddressOf<F> | null]>;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** {@link recvmsg}, blocking as Python does. */
  recvmsgSync(bufsize: number, ancbufsize?: number, flags?: number): [Buffer, AncillaryItem[], number, AddressOf<F> | null] {
    const [size, anc] = checkRecvmsg(bufsize, ancbufsize);
    const f = checkFlags(flags, 'recvmsg');
    const fd = this.#fd('recvmsg');
    const buf = Buffer.allocUnsafe(size);
    const control = anc > 0 ? Buffer.alloc(anc) : null;
    const r = binding.recvmsg(fd, buf, control, f, addrScratch, this.#waitMs(false, f));
    if (r < 0) throw this.#syncError(r, 'recvmsg');
    return finishRecvmsg(this, r === size ? buf : buf.subarray(0, r), control, 'recvmsg') as
      [Buffer, AncillaryItem[], number, AddressOf<F> | null];
  }

  /**
   * {@link recvmsg} into the given writable buffers, filled in order
   * (scatter): `[nbytes, ancdata, msg_flags, address]`.
   * @see https://docs.python.org/3/library/socket.html#socket.socket.recvmsg_into
   */
  recvmsgInto(
    buffers: Iterable<ArrayBufferView>, ancbufsize?: number | OpOptions, flags?: number | OpOptions, options?: OpOptions,
  ): Promise<[number, AncillaryItem[], number, AddressOf<F> | null]> {
    try {
      if (isOptions(ancbufsize)) { options = ancbufsize; ancbufsize = undefined; }
      if (isOptions(flags)) { options = flags; flags = undefined; }
      const bufs = checkIntoBuffers(buffers);
      const [, anc] = checkRecvmsg(0, ancbufsize);
      const f = checkFlags(flags, 'recvmsg_into');
      const signal = checkSignal(options, 'recvmsgInto');
      this.#fd('recvmsg');
      return this.#io.run(new RecvmsgIntoOp(this, bufs, anc, f), false, this.#asyncTimeoutMs, signal) as
        Promise<[number, AncillaryItem[], number, AddressOf<F> | null]>;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** {@link recvmsgInto}, blocking as Python does. */
  recvmsgIntoSync(
    buffers: Iterable<ArrayBufferView>, ancbufsize?: number, flags?: number,
  ): [number, AncillaryItem[], number, AddressOf<F> | null] {
    const bufs = checkIntoBuffers(buffers);
    const [, anc] = checkRecvmsg(0, ancbufsize);
    const f = checkFlags(flags, 'recvmsg_into');
    const fd = this.#fd('recvmsg');
    const control = anc > 0 ? Buffer.alloc(anc) : null;
    const r = binding.recvmsg(fd, bufs, control, f, addrScratch, this.#waitMs(false, f));
    if (r < 0) throw this.#syncError(r, 'recvmsg');
    return finishRecvmsg(this, r, control, 'recvmsg_into') as [number, AncillaryItem[], number, AddressOf<F> | null];
  }

  /**
   * Sends the buffers as one message (sendmsg(2), gather), with ancillary
   * data as `[level, type, data]` items and an optional destination
   * address; returns the number of bytes sent.
   * @see https://man7.org/linux/man-pages/man2/sendmsg.2.html
   * @see https://docs.python.org/3/library/socket.html#socket.socket.sendmsg
   */
  sendmsg(
    buffers: Iterable<BytesLike>, ancdata?: Iterable<readonly [number, number, BytesLike]> | null,
    flags?: number, address?: Address | null, options?: OpOptions,
  ): Promise<number> {
    try {
      const bufs = checkSendBuffers(buffers);
      const control = packAncillary(ancdata, 'sendmsg');
      const f = checkFlags(flags, 'sendmsg');
      const signal = checkSignal(options, 'sendmsg');
      this.#fd('sendmsg');
      if (address === undefined || address === null) {
        return this.#io.run(new SendmsgOp(bufs, control, f, null), true, this.#asyncTimeoutMs, signal);
      }
      const addr = encodeAddressAsync(address, this[kCtx]('sendmsg'));
      if (addr instanceof Promise) {
        return addr.then((a) => this.#io.run(new SendmsgOp(bufs, control, f, a), true, this.#asyncTimeoutMs, signal));
      }
      return this.#io.run(new SendmsgOp(bufs, control, f, addr), true, this.#asyncTimeoutMs, signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** {@link sendmsg}, blocking as Python does. */
  sendmsgSync(
    buffers: Iterable<BytesLike>, ancdata?: Iterable<readonly [number, number, BytesLike]> | null,
    flags?: number, address?: Address | null,
  ): number {
    const bufs = checkSendBuffers(buffers);
    const control = packAncillary(ancdata, 'sendmsg');
    const f = checkFlags(flags, 'sendmsg');
    const addr = address === undefined || address === null ? null : encodeAddress(address, this[kCtx]('sendmsg'));
    const r = binding.sendmsg(this.#fd('sendmsg'), bufs, control, f, addr, this.#waitMs(true, f));
    if (r < 0) throw this.#syncError(r, 'sendmsg');
    return r;
  }

  /**
   * Sends a file over this SOCK_STREAM socket: sendfile(2) for a regular
   * file, `send` otherwise, as Python's `sendfile`. `file` is an fd or a
   * `fs.promises` FileHandle; `offset` is where to start, `count` how many
   * bytes (default: to EOF). Returns the number of bytes sent; the file's
   * position is left after the last byte sent. A non-blocking socket is
   * refused, as in Python; the socket's timeout bounds the whole call.
   * @see https://man7.org/linux/man-pages/man2/sendfile.2.html
   * @see https://docs.python.org/3/library/socket.html#socket.socket.sendfile
   */
  sendfile(file: number | FileHandleLike, offset?: number, count?: number | null, options?: OpOptions): Promise<number> {
    try {
      const [fd, off, cnt] = this.#checkSendfile(file, offset, count);
      const signal = checkSignal(options, 'sendfile');
      const kind = binding.fileKind(fd);
      if (typeof kind === 'number') throw fromErrno(-kind, 'fstat');
      if (kind[0] === 1) {
        if (kind[1] === 0) return Promise.resolve(0);
        const op = new SendfileOp(fd, off, cnt);
        return this.#io.run(op, true, this.#asyncTimeoutMs, signal).then(
          (n) => {
            if (n > 0) binding.lseek(fd, off + n, SEEK_SET);
            return n;
          },
          (err: unknown) => {
            if (op.sent > 0) binding.lseek(fd, off + op.sent, SEEK_SET);
            if (op.sent === 0 && err instanceof OSError && err.errno !== null && !isTimeout(err)) {
              return this.#sendfileBySend(fd, off, cnt, signal);
            }
            throw err;
          },
        );
      }
      return this.#sendfileBySend(fd, off, cnt, signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** {@link sendfile}, blocking as Python does. */
  sendfileSync(file: number | FileHandleLike, offset?: number, count?: number | null): number {
    const [fd, off, cnt] = this.#checkSendfile(file, offset, count);
    const sock = this.#fd('sendfile');
    const kind = binding.fileKind(fd);
    if (typeof kind === 'number') throw fromErrno(-kind, 'fstat');
    if (kind[0] === 1) {
      if (kind[1] === 0) return 0;
      let total = 0;
      let giveUp = false;
      try {
        for (;;) {
          const block = cnt === null ? SENDFILE_BLOCK : Math.min(cnt - total, SENDFILE_BLOCK);
          if (block <= 0) break;
          const r = binding.sendfile(sock, fd, off + total, block, this.#waitMs(true));
          if (r === 0) break; // EOF
          if (r < 0) {
            // sendfile(2) refused before sending anything: use send(), as Python does.
            if (total === 0 && r !== TIMED_OUT) {
              giveUp = true;
              break;
            }
            throw this.#syncError(r, 'sendfile');
          }
          total += r;
        }
      } finally {
        if (total > 0) binding.lseek(fd, off + total, SEEK_SET);
      }
      if (!giveUp) return total;
    }
    // Not a regular file, or sendfile(2) refused it: read and send.
    if (off > 0) {
      const r = binding.lseek(fd, off, SEEK_SET);
      if (r < 0) throw fromErrno(-r, 'lseek');
    }
    let total = 0;
    const buf = Buffer.allocUnsafe(SEND_BLOCK);
    try {
      for (;;) {
        const want = cnt === null ? SEND_BLOCK : Math.min(cnt - total, SEND_BLOCK);
        if (want <= 0) break;
        const n = readSync(fd, buf, 0, want, null);
        if (n === 0) break;
        this.sendallSync(buf.subarray(0, n));
        total += n;
      }
    } finally {
      if (total > 0) binding.lseek(fd, off + total, SEEK_SET);
    }
    return total;
  }

  /** The send() path of the Promise form. */
  async #sendfileBySend(fd: number, off: number, cnt: number | null, signal: AbortSignal | undefined): Promise<number> {
    if (off > 0) {
      const r = binding.lseek(fd, off, SEEK_SET);
      if (r < 0) throw fromErrno(-r, 'lseek');
    }
    let total = 0;
    const buf = Buffer.allocUnsafe(SEND_BLOCK);
    try {
      for (;;) {
        const want = cnt === null ? SEND_BLOCK : Math.min(cnt - total, SEND_BLOCK);
        if (want <= 0) break;
        const n = await new Promise<number>((resolve, reject) =>
          read(fd, buf, 0, want, null, (err, bytes) => (err ? reject(err) : resolve(bytes))));
        if (n === 0) break;
        await this.sendall(buf.subarray(0, n), signal === undefined ? undefined : { signal });
        total += n;
      }
    } finally {
      if (total > 0) binding.lseek(fd, off + total, SEEK_SET);
    }
    return total;
  }

  /** Python's `_check_sendfile_params`, plus the file's fd. */
  #checkSendfile(file: unknown, offset: unknown, count: unknown): [number, number, number | null] {
    let fd: number;
    if (typeof file === 'number') fd = file;
    else if (typeof file === 'object' && file !== null && typeof (file as FileHandleLike).fd === 'number') {
      fd = (file as FileHandleLike).fd;
    } else {
      throw new TypeError(`sendfile(): file must be an fd or a FileHandle, not ${typeName(file)}`);
    }
    checkInt(fd, 'sendfile(): file');
    if (fd < 0) throw fromErrno(EBADF, 'sendfile');
    if (this.type !== SOCK_STREAM) throw new RangeError('only SOCK_STREAM type sockets are supported');
    let cnt: number | null = null;
    if (count !== undefined && count !== null) {
      if (typeof count !== 'number' || !Number.isSafeInteger(count)) {
        throw new TypeError(`count must be a positive integer (got ${inspect(count)})`);
      }
      if (count <= 0) throw new RangeError(`count must be a positive integer (got ${count})`);
      cnt = count;
    }
    const off = offset === undefined ? 0 : offset;
    if (typeof off !== 'number' || !Number.isSafeInteger(off)) {
      throw new TypeError(`sendfile(): offset must be an integer, not ${typeName(off)}`);
    }
    if (off < 0) throw new RangeError(`sendfile(): offset must be >= 0, got ${off}`);
    this.#fd('sendfile');
    if (this.#timeoutNs === 0) throw new RangeError('non-blocking sockets are not supported');
    return [fd, off, cnt];
  }

  /**
   * Sends several datagrams in one system call (sendmmsg(2); beyond
   * Python): each message is `[data, address?]` (no address: the connected
   * peer; an {@link EncodedAddress} skips re-encoding). Resolves with how
   * many were sent — fewer than given when the send buffer filled after the
   * first; it waits (and honours the timeout) only for the first.
   * @see https://man7.org/linux/man-pages/man2/sendmmsg.2.html
   */
  sendmmsg(
    messages: Iterable<readonly [data: BytesLike, address?: Address | null]>, flags?: number | OpOptions,
    options?: OpOptions,
  ): Promise<number> {
    try {
      if (isOptions(flags)) { options = flags; flags = undefined; }
      const f = checkFlags(flags, 'sendmmsg');
      const signal = checkSignal(options, 'sendmmsg');
      this.#fd('sendmmsg');
      const [datas, raw] = checkMessages(messages);
      const ctx = this[kCtx]('sendmmsg');
      const encoded = raw.map((a) => (a === null ? null : encodeAddressAsync(a, ctx)));
      if (encoded.some((a) => a instanceof Promise)) {
        return Promise.all(encoded).then((addrs) =>
          this.#io.run(new SendmmsgOp(datas, addrs, f), true, this.#asyncTimeoutMs, signal));
      }
      return this.#io.run(new SendmmsgOp(datas, encoded as (Buffer | null)[], f), true, this.#asyncTimeoutMs, signal);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** {@link sendmmsg}, blocking as Python's calls do (for the first message). */
  sendmmsgSync(messages: Iterable<readonly [data: BytesLike, address?: Address | null]>, flags?: number): number {
    const f = checkFlags(flags, 'sendmmsg');
    const fd = this.#fd('sendmmsg');
    const [datas, raw] = checkMessages(messages);
    const ctx = this[kCtx]('sendmmsg');
    const addrs = raw.map((a) => (a === null ? null : encodeAddress(a, ctx)));
    let sent = 0;
    while (sent < datas.length) {
      const end = Math.min(datas.length, sent + MMSG_MAX);
      const r = binding.sendmmsg(fd, datas.slice(sent, end), addrs.slice(sent, end), f, sent === 0 ? this.#waitMs(true, f) : 0);
      if (r < 0) {
        if (sent > 0) break;
        throw this.#syncError(r, 'sendmmsg');
      }
      sent += r;
      if (sent < end) break;
    }
    return sent;
  }

  /**
   * Receives up to `vlen` datagrams of at most `bufsize` bytes each in one
   * system call (recvmmsg(2); beyond Python): `[data, address][]`, at
   * least one (it waits for the first).
   * @see https://man7.org/linux/man-pages/man2/recvmmsg.2.html
   */
  recvmmsg(
    vlen: number, bufsize: number, flags?: number | OpOptions, options?: OpOptions,
  ): Promise<[Buffer, AddressOf<F> | null][]> {
    try {
      if (isOptions(flags)) { options = flags; flags = undefined; }
      const [n, size] = checkMmsg(vlen, bufsize);
      const f = checkFlags(flags, 'recvmmsg');
      const signal = checkSignal(options, 'recvmmsg');
      this.#fd('recvmmsg');
      return this.#io.run(new RecvmmsgOp(this, n, size, f), false, this.#asyncTimeoutMs, signal) as
        Promise<[Buffer, AddressOf<F> | null][]>;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** {@link recvmmsg}, blocking as Python's calls do (for the first datagram). */
  recvmmsgSync(vlen: number, bufsize: number, flags?: number): [Buffer, AddressOf<F> | null][] {
    const [n, size] = checkMmsg(vlen, bufsize);
    const f = checkFlags(flags, 'recvmmsg');
    const fd = this.#fd('recvmmsg');
    const out = recvmmsgOnce(this, fd, n, size, f, this.#waitMs(false, f));
    if (typeof out === 'number') throw this.#syncError(out, 'recvmmsg');
    return out as [Buffer, AddressOf<F> | null][];
  }

  /** Closes the socket: `using sock = socket(...)`. */
  [Symbol.dispose](): void {
    this.close();
  }

  /** Closes the socket: `await using sock = socket(...)`. */
  [Symbol.asyncDispose](): Promise<void> {
    try {
      this.close();
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  get [Symbol.toStringTag](): string {
    return 'Socket';
  }

  /** What Python's repr shows: fd, family, type, proto, laddr, raddr, `[closed]`. */
  [inspect.custom](_depth: number, options: { stylize?: unknown }): string {
    const fd = this.#io.fd;
    const closed = fd < 0 ? ' [closed]' : '';
    let s = `<Socket${closed} fd=${fd}, family=${this.family}, type=${this.type}, proto=${this.proto}`;
    if (fd >= 0) {
      try {
        const laddr = this.getsockname();
        if (laddr !== null && laddr !== '' ) s += `, laddr=${inspect(laddr, options as object)}`;
      } catch {
        // no local address to show
      }
      try {
        const raddr = this.getpeername();
        if (raddr !== null && raddr !== '') s += `, raddr=${inspect(raddr, options as object)}`;
      } catch {
        // not connected
      }
    }
    return `${s}>`;
  }
}

function checkBufsize(bufsize: unknown, method: string): number {
  const n = checkInt(bufsize, `${method}(): bufsize`);
  if (n < 0) throw new RangeError(`negative buffersize in ${method}`);
  return n;
}

/** The buffer and byte count of recv_into / recvfrom_into, with Python's two messages. */
function checkInto(buffer: unknown, nbytes: unknown, method: string, tooSmall: string): [ArrayBufferView, number] {
  const buf = checkWritable(buffer, `${method}(): buffer`);
  let n = nbytes === undefined ? 0 : checkInt(nbytes, `${method}(): nbytes`);
  if (n < 0) throw new RangeError(`negative buffersize in ${method}`);
  if (n === 0) n = buf.byteLength;
  else if (n > buf.byteLength) throw new RangeError(tooSmall);
  return [buf, n];
}

/** sendmmsg's messages: an iterable of [data, address?]. */
function checkMessages(messages: unknown): [ArrayBufferView[], unknown[]] {
  const it = iterableOrThrow(messages, 'sendmmsg() argument 1 must be an iterable of [data, address?]');
  const datas: ArrayBufferView[] = [];
  const addrs: unknown[] = [];
  for (const m of it) {
    if (!Array.isArray(m) || m.length < 1 || m.length > 2) {
      throw new TypeError(`sendmmsg(): each message must be [data, address?], not ${typeName(m)}`);
    }
    datas.push(checkBytes(m[0], 'sendmmsg()'));
    addrs.push(m[1] === undefined ? null : m[1]);
  }
  return [datas, addrs];
}

function checkMmsg(vlen: unknown, bufsize: unknown): [number, number] {
  const n = checkInt(vlen, 'recvmmsg(): vlen');
  if (n < 1 || n > MMSG_MAX) throw new RangeError(`recvmmsg(): vlen must be 1-${MMSG_MAX}, got ${n}`);
  const size = checkInt(bufsize, 'recvmmsg(): bufsize');
  if (size < 0) throw new RangeError('negative buffersize in recvmmsg');
  if (size * n > 0x7fff_ffff) throw new RangeError('recvmmsg(): vlen * bufsize is too large');
  return [n, size];
}

/** recvmsg's bufsize and ancbufsize, with CPython's messages. */
function checkRecvmsg(bufsize: unknown, ancbufsize: unknown): [number, number] {
  const size = checkInt(bufsize, 'recvmsg(): bufsize');
  if (size < 0) throw new RangeError('negative buffer size in recvmsg()');
  const anc = ancbufsize === undefined ? 0 : checkInt(ancbufsize, 'recvmsg(): ancbufsize');
  if (anc < 0) throw new RangeError('invalid ancillary data buffer length');
  return [size, anc];
}

function iterableOrThrow(value: unknown, message: string): Iterable<unknown> {
  if (
    value === null || value === undefined || typeof value === 'string' || ArrayBuffer.isView(value) ||
    typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function'
  ) {
    throw new TypeError(message);
  }
  return value as Iterable<unknown>;
}

/** recvmsg_into's buffers: an iterable of writable views. */
function checkIntoBuffers(buffers: unknown): ArrayBufferView[] {
  const it = iterableOrThrow(buffers, 'recvmsg_into() argument 1 must be an iterable');
  const out: ArrayBufferView[] = [];
  for (const b of it) {
    if (!ArrayBuffer.isView(b)) {
      throw new TypeError('recvmsg_into() argument 1 must be an iterable of single-segment read-write buffers');
    }
    out.push(b);
  }
  return out;
}

/** sendmsg's buffers: an iterable of bytes-like objects. */
function checkSendBuffers(buffers: unknown): ArrayBufferView[] {
  const it = iterableOrThrow(buffers, 'sendmsg() argument 1 must be an iterable');
  const out: ArrayBufferView[] = [];
  for (const b of it) out.push(checkBytes(b, 'sendmsg()'));
  return out;
}

/** sendto(data, address) or sendto(data, flags, address). */
function parseSendto(data: unknown, rest: unknown[]): [ArrayBufferView, number, Address] {
  if (rest.length < 1 || rest.length > 2) {
    throw new TypeError(`sendto() takes 2 or 3 arguments (${rest.length + 1} given)`);
  }
  const view = checkBytes(data, 'sendto()');
  if (rest.length === 1) return [view, 0, rest[0]];
  return [view, checkInt(rest[0], 'sendto(): flags'), rest[1]];
}

/**
 * Creates a socket: the same as `new Socket(family, type, proto, fileno)`.
 * @see https://docs.python.org/3/library/socket.html#socket.socket
 */
export function socket<F extends number = number>(
  family: F = -1 as F, type = -1, proto = -1, fileno: number | null = null,
): Socket<F> {
  return new Socket<F>(family, type, proto, fileno);
}

/** Python's `socket.SocketType`: the Socket class. */
export const SocketType = Socket;

/**
 * A pair of connected sockets (socketpair(2)); AF_UNIX by default. Both
 * ends get the default timeout (0 with SOCK_NONBLOCK).
 * @see https://man7.org/linux/man-pages/man2/socketpair.2.html
 */
export function socketpair(family: number | null = null, type = SOCK_STREAM, proto = 0): [Socket, Socket] {
  const fam = family === null || family === undefined ? AF_UNIX : checkInt(family, 'socketpair(): family');
  checkInt(type, 'socketpair(): type');
  checkInt(proto, 'socketpair(): proto');
  const r = binding.socketpair(fam, type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC), proto);
  if (r < 0) throw fromErrno(-r, 'socketpair');
  const t = (type & SOCK_NONBLOCK) !== 0 && SOCK_NONBLOCK !== 0 ? 0 : defaultTimeoutNs;
  const kind = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
  return [
    new Socket(fam, kind, proto, adoptToken(aux[0]!, t, true)),
    new Socket(fam, kind, proto, adoptToken(aux[1]!, t, true)),
  ];
}

/**
 * A Socket on a duplicate of `fd` (the original stays open and usable).
 * @see https://docs.python.org/3/library/socket.html#socket.fromfd
 */
export function fromfd<F extends number>(fd: number, family: F, type: number, proto = 0): Socket<F> {
  checkInt(fd, 'fromfd(): fd');
  if (fd < 0) throw new RangeError('negative file descriptor');
  const r = binding.dup(fd);
  if (r < 0) throw fromErrno(-r, 'dup');
  try {
    return new Socket<F>(family, type, proto, r);
  } catch (err) {
    binding.close(r);
    throw err;
  }
}

/**
 * Duplicates a raw socket fd, as Python's `socket.dup(fd)`: the new fd is
 * not inheritable (close-on-exec), and the caller owns it.
 *
 * @example
 * ```ts
 * const copy = dup(sock.fileno());
 * const other = new Socket(AF_INET, SOCK_STREAM, 0, copy);   // adopts it
 * ```
 * @see https://docs.python.org/3/library/socket.html#socket.dup
 */
export function dup(fd: number): number {
  if (typeof fd !== 'number' || !Number.isInteger(fd)) {
    throw new TypeError(`dup(): fd must be an integer, not ${typeName(fd)}`);
  }
  if (fd < -0x80000000 || fd > 0x7fffffff) throw new RangeError(`dup(): fd must be a C int, got ${fd}`);
  const r = binding.dup(fd);
  if (r < 0) throw fromErrno(-r, 'dup');
  return r;
}

/**
 * Closes a raw socket fd (close(2)); ECONNRESET is ignored, as in Python.
 * @see https://docs.python.org/3/library/socket.html#socket.close
 */
export function close(fd: number): void {
  if (typeof fd !== 'number' || !Number.isInteger(fd)) {
    throw new TypeError(`close(): fd must be an integer, not ${typeName(fd)}`);
  }
  // A Socket still using this fd stops watching it first (libuv must never
  // watch a closed fd); the Socket itself then reports EBADF, as in Python.
  IoState.unwatchFd(fd);
  const r = binding.close(fd);
  if (r < 0 && -r !== ECONNRESET) throw fromErrno(-r, 'close');
}
