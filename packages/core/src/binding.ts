/**
 * The one typed boundary between TypeScript and the native addon.
 *
 * Conventions of every function here:
 * - Each call is one syscall (or one syscall retried on EINTR, or one wait
 *   loop when a `waitMs` is given). No validation beyond what keeps the
 *   process safe: a wrong JavaScript type throws a plain `TypeError` from the
 *   addon; everything else is the TypeScript layer's job.
 * - Results are a non-negative number on success and `-errno` on failure.
 *   Secondary results (an address length, a second fd, an option value that
 *   may be negative) are written to the per-environment `aux` array given to
 *   {@link NativeBinding.init}.
 * - `waitMs`: omitted, `undefined` or `0` means one non-blocking try;
 *   `-1` means wait for readiness without limit (a blocking call); `> 0`
 *   means wait at most that many milliseconds in total (fractions allowed);
 *   {@link BLOCKING_WAIT} waits as a blocking syscall would, bounded by the
 *   socket's SO_RCVTIMEO (reads) or SO_SNDTIMEO (writes).
 *   When the wait runs out the result is {@link TIMED_OUT}. EINTR is retried
 *   with the remaining time (PEP 475).
 *
 * @internal
 * @packageDocumentation
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';

/** The result code of a wait that ran out of time (not an errno). */
export const TIMED_OUT = -0x7fff_0000;

/** The `waitMs` of blocking mode: SO_RCVTIMEO / SO_SNDTIMEO bound the wait. */
export const BLOCKING_WAIT = -2;

/**
 * Blocking mode when the previous call on the socket had to wait: wait for
 * readiness before the first try (saves a syscall that would hit EAGAIN).
 * `recv` reports in aux[3] whether it waited.
 */
export const BLOCKING_POLL_FIRST = -3;

/**
 * {@link BLOCKING_POLL_FIRST} on a socket known to have no SO_RCVTIMEO /
 * SO_SNDTIMEO: wait first, for ever, without reading them.
 */
export const POLL_FIRST_FOREVER = -4;

/** Readiness bits, as libuv's UV_READABLE / UV_WRITABLE and poll(2)'s POLLIN / POLLOUT. */
export const READABLE = 1;
export const WRITABLE = 2;

/** A uv_poll_t watching one fd on the calling environment's own loop. */
export interface NativePoller {
  /**
   * Watches for `events` (READABLE | WRITABLE). Calling it again with other
   * events changes the set. The callback gets `(status, events)`; status is
   * 0 or a negative errno. Returns 0, or -errno if the watch cannot start
   * (EBADF: the fd was closed).
   */
  start(events: number): number;
  /** Stops watching; the poller can be started again. */
  stop(): void;
  /** Stops watching for good and releases the libuv handle. Idempotent. */
  close(): void;
  /** Whether the watch keeps the event loop alive (uv_ref / uv_unref). */
  ref(flag: boolean): void;
  /**
   * This poller's id (> 0). While its callback runs, `aux[AUX_POLLER_IN_CALLBACK]`
   * holds it, and a ref request written to `aux[AUX_POLLER_REF_REQUEST]`
   * (1 ref, 0 unref) is applied when the callback and its microtasks are done.
   */
  readonly id: number;
}

export interface NativePollerConstructor {
  new (fd: number, callback: (status: number, events: number) => void): NativePoller;
}

/** A row of getaddrinfo's result: family, socktype, protocol, canonname, sockaddr bytes. */
export type RawAddrinfo = [number, number, number, string, Buffer];

/** A hostent: h_name, h_aliases, h_addrtype, and each address's bytes (h_addr_list). */
export type RawHostent = [string, string[], number, Buffer[]];

export interface NativeBinding {
  /** Gives the addon this environment's scratch array for secondary results. */
  init(aux: Int32Array): void;

  /** Every constant the system headers define, by name (64-bit values as bigint). */
  readonly constants: Readonly<Record<string, number | bigint>>;
  /** sizeof / offsetof of each sockaddr structure, e.g. `sockaddr_in.sin_port`. */
  readonly layouts: Readonly<Record<string, number>>;

  /** socket(2) with SOCK_CLOEXEC | SOCK_NONBLOCK added. */
  socket(family: number, type: number, proto: number): number;
  /** socketpair(2) with SOCK_CLOEXEC | SOCK_NONBLOCK added; fds in aux[0], aux[1]. */
  socketpair(family: number, type: number, proto: number): number;
  /** close(2); the fd stops being owned by this environment. */
  close(fd: number): number;
  /**
   * Marks an fd as owned by this environment: fds it still owns are closed
   * when the environment ends (a terminated worker). socket, socketpair,
   * accept and dup own their new fds already.
   */
  track(fd: number): void;
  /** The fd was given away (detach): no longer closed with the environment. */
  untrack(fd: number): void;
  /** fcntl(F_DUPFD_CLOEXEC). */
  dup(fd: number): number;
  /** fcntl(F_GETFD) & FD_CLOEXEC, as 0/1. */
  getCloexec(fd: number): number;
  setCloexec(fd: number, on: boolean): number;
  /** fcntl(F_GETFL) & O_NONBLOCK, as 0/1. */
  getNonblock(fd: number): number;
  setNonblock(fd: number, on: boolean): number;
  /** fstat(2): 1 if the fd is a socket, 0 if not. */
  isSocket(fd: number): number;

  bind(fd: number, addr: ArrayBufferView): number;
  listen(fd: number, backlog: number): number;
  /**
   * connect(2). With a `waitMs`, EINPROGRESS is followed by a wait for
   * writability and the result: for a TCP socket (`tcp`) a second
   * connect(2) reports it, for others SO_ERROR.
   */
  connect(fd: number, addr: ArrayBufferView, waitMs?: number, tcp?: boolean): number;
  /** After an EINPROGRESS connect became writable: SO_ERROR as -errno, or 0. */
  connectResult(fd: number): number;
  /**
   * The end of a non-blocking connect (after EINPROGRESS): 0, -errno, or
   * -EALREADY while it still runs. `settled`: the fd polled writable. TCP
   * (`tcp`) asks connect(2) again, which leaves the socket fully connected;
   * other families read SO_ERROR once settled. The Sync connect does the same.
   */
  connectFinish(fd: number, addr: ArrayBufferView, tcp: boolean, settled: boolean): number;
  /**
   * accept4(2) with SOCK_CLOEXEC | SOCK_NONBLOCK; the peer address into
   * `addr`, its length in aux[0]. With `addr` null no address is asked for
   * (AF_ALG refuses one) and aux[0] is 0. aux[3]: whether it waited (as recv).
   */
  accept(fd: number, addr: Buffer | null, waitMs?: number): number;
  shutdown(fd: number, how: number): number;
  /** Address into `addr`; returns its length. */
  getsockname(fd: number, addr: Buffer): number;
  getpeername(fd: number, addr: Buffer): number;
  /** An int option; returns 0 and puts the value in aux[0]. */
  getsockoptInt(fd: number, level: number, name: number): number;
  /** A buffer option; returns the length the kernel wrote into `out`. */
  getsockoptBuf(fd: number, level: number, name: number, out: Buffer): number;
  setsockoptInt(fd: number, level: number, name: number, value: number): number;
  setsockoptBuf(fd: number, level: number, name: number, value: ArrayBufferView): number;
  /** setsockopt with a NULL optval and the given optlen. */
  setsockoptNull(fd: number, level: number, name: number, optlen: number): number;

  recv(fd: number, buf: ArrayBufferView, offset: number, length: number, flags: number, waitMs?: number): number;
  /** recvfrom(2); the source address into `addr`, its length in aux[0]. */
  recvfrom(
    fd: number, buf: ArrayBufferView, offset: number, length: number, flags: number,
    addr: Buffer, waitMs?: number,
  ): number;
  /** send(2) with MSG_NOSIGNAL added. */
  send(fd: number, buf: ArrayBufferView, offset: number, length: number, flags: number, waitMs?: number): number;
  /** sendto(2) with MSG_NOSIGNAL added; `addr` is the encoded sockaddr, its byteLength the addrlen. */
  sendto(
    fd: number, buf: ArrayBufferView, offset: number, length: number, flags: number,
    addr: ArrayBufferView, waitMs?: number,
  ): number;
  /**
   * send(2) in a loop until every byte is sent, one deadline for all of it.
   * Returns the total sent, or -errno / TIMED_OUT; the count sent before
   * the failure is in aux[0].
   */
  sendall(fd: number, buf: ArrayBufferView, offset: number, length: number, flags: number, waitMs?: number): number;
  /**
   * ppoll(2) on one fd for READABLE/WRITABLE. `waitMs` as above (-1: no
   * limit). Returns the ready bits, or TIMED_OUT, or -errno.
   */
  wait(fd: number, events: number, waitMs: number): number;

  /**
   * recvmsg(2) with MSG_CMSG_CLOEXEC added, into one view or several
   * (scatter). Returns the byte count; aux[0] is the address length (the
   * address in `addr`), aux[1] msg_flags, aux[2] the control data length.
   */
  recvmsg(
    fd: number, buffers: ArrayBufferView | readonly ArrayBufferView[], control: Buffer | null,
    flags: number, addr: Buffer, waitMs?: number,
  ): number;
  /** sendmsg(2) with MSG_NOSIGNAL added, from one view or several (gather). */
  sendmsg(
    fd: number, buffers: ArrayBufferView | readonly ArrayBufferView[], control: ArrayBufferView | null,
    flags: number, addr: ArrayBufferView | null, waitMs?: number,
  ): number;
  /**
   * sendmmsg(2): one datagram per `datas[i]` to `addrs[i]` (null: the
   * connected peer). Returns the count sent, or -errno if the first failed.
   */
  sendmmsg(fd: number, datas: readonly ArrayBufferView[], addrs: readonly (ArrayBufferView | null)[], flags: number, waitMs?: number): number;
  /**
   * recvmmsg(2): up to `vlen` datagrams into consecutive `bufsize` windows
   * of `buf` and sockaddr_storage slots of `addrs`; lens[3i], lens[3i+1],
   * lens[3i+2] get each one's length, address length and msg_flags.
   */
  recvmmsg(
    fd: number, buf: ArrayBufferView, bufsize: number, vlen: number, addrs: Buffer, lens: Int32Array,
    flags: number, waitMs?: number,
  ): number;
  /** sendfile(2): up to `count` bytes of `inFd` from `offset` to the socket `outFd`; returns the count sent. */
  sendfile(outFd: number, inFd: number, offset: number, count: number, waitMs?: number): number;
  /**
   * ioctl(2) with one int the kernel writes (SIOCINQ, SIOCOUTQ, SIOCOUTQNSD,
   * SIOCATMARK, IOCTL_VM_SOCKETS_GET_LOCAL_CID; any other request is
   * -ENOTTY): 0 with the int in aux[0], or -errno.
   */
  ioctlInt(fd: number, request: number): number;
  /** lseek(2): the new offset, or -errno. */
  lseek(fd: number, offset: number, whence: number): number;
  /** fstat(2): [1 if a regular file else 0, size], or -errno. */
  fileKind(fd: number): [number, number] | number;
  /** if_nameindex(3) as [index, name] pairs, or -errno. */
  ifNameindex(): [number, string][] | number;
  /** if_nametoindex(3): the index, 0 if there is no such interface. */
  ifNametoindex(name: string): number;
  /** if_indextoname(3): the name, or -errno. */
  ifIndextoname(index: number): string | number;
  /** gethostname(2) as bytes, or -errno. */
  gethostname(): Buffer | number;
  /** sethostname(2): 0 or -errno. */
  sethostname(name: ArrayBufferView): number;

  /** strerror(3). */
  strerror(errno: number): string;
  /** gai_strerror(3). */
  gaiStrerror(code: number): string;
  /**
   * getaddrinfo(3) on the calling thread. Returns the rows, or a number:
   * an EAI_* code (negative), or, for EAI_SYSTEM, `-(0x10000 + errno)`.
   * Host and service are text (passed as UTF-8) or bytes (passed as they are).
   */
  getaddrinfo(
    host: string | ArrayBufferView | null, service: string | ArrayBufferView | null, family: number, type: number,
    proto: number, flags: number,
  ): RawAddrinfo[] | number;
  /** The same on libuv's thread pool; the callback gets what the sync form returns. */
  getaddrinfoAsync(
    host: string | ArrayBufferView | null, service: string | ArrayBufferView | null, family: number, type: number,
    proto: number, flags: number, callback: (result: RawAddrinfo[] | number) => void,
  ): void;
  /** getnameinfo(3) on the calling thread: [host, service] or an EAI_* code as above. */
  getnameinfo(addr: ArrayBufferView, flags: number): [string, string] | number;
  getnameinfoAsync(
    addr: ArrayBufferView, flags: number, callback: (result: [string, string] | number) => void,
  ): void;
  /**
   * gethostbyname_r(3) on the calling thread (the name as UTF-8, or its
   * bytes): `[h_name, aliases, h_addrtype, addresses]`, or h_errno.
   */
  gethostbynameEx(name: string | ArrayBufferView): RawHostent | number;
  /** The same on libuv's thread pool. */
  gethostbynameExAsync(name: string | ArrayBufferView, callback: (result: RawHostent | number) => void): void;
  /** gethostbyaddr_r(3) of the in_addr / in6_addr bytes on the calling thread: as gethostbynameEx. */
  gethostbyaddr(addr: ArrayBufferView, af: number): RawHostent | number;
  /** The same on libuv's thread pool. */
  gethostbyaddrAsync(addr: ArrayBufferView, af: number, callback: (result: RawHostent | number) => void): void;
  /** hstrerror(3). */
  hstrerror(code: number): string;
  /** getservbyname_r(3): the port in host order, or -1 when not found. */
  getservbyname(name: string, proto: string | null): number;
  /** getservbyport_r(3) of a port in host order: the service name, or -1 when not found. */
  getservbyport(port: number, proto: string | null): string | number;
  /** getprotobyname_r(3): the protocol number, or -1 when not found. */
  getprotobyname(name: string): number;

  Poller: NativePollerConstructor;
}

function load(): NativeBinding {
  // The compiled addon sits in packages/core/build/Release whether this file
  // runs from src/ (tests) or from dist/cjs/ (the published build).
  const req = createRequire(__filename);
  const here = __dirname;
  const candidates = [
    path.join(here, '..', 'build', 'Release', 'bsdsock.node'),
    path.join(here, '..', '..', 'build', 'Release', 'bsdsock.node'),
    path.join(here, '..', 'build', 'Debug', 'bsdsock.node'),
    path.join(here, '..', '..', 'build', 'Debug', 'bsdsock.node'),
  ];
  let lastError: unknown;
  for (const file of candidates) {
    try {
      return req(file) as NativeBinding;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
      lastError = err;
    }
  }
  throw new Error(
    `@bsdsock/core: the native addon is not built (run \`npm install\` or \`npm run build\`): ${String(lastError)}`,
  );
}

/** The addon of this environment (each worker thread loads its own instance). */
export const binding: NativeBinding = load();

/** This environment's scratch array for the addon's secondary results. */
export const aux = new Int32Array(8);
/** aux slot: the id of the poller whose callback runs (0: none). */
export const AUX_POLLER_IN_CALLBACK = 4;
/** aux slot: the ref request for that poller (-1 none, 0 unref, 1 ref). */
export const AUX_POLLER_REF_REQUEST = 5;
binding.init(aux);
