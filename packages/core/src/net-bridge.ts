/**
 * Bridges between bsdsock and Node's own networking (`node:net`, and so
 * `http`, `https`, `tls` and every library that takes a `net.Socket` or a
 * `net.Server`).
 *
 * Who owns which fd:
 *
 * - {@link toNetSocket} and {@link toNetServer} hand the socket's fd over:
 *   the bsdsock Socket is detached (its `fileno()` is -1 afterwards and
 *   every operation reports EBADF), and the Node object owns the fd and
 *   closes it when it is destroyed or closed. One fd, one owner.
 * - {@link fromNetSocket} and {@link fromNetServer} duplicate the fd
 *   (libuv cannot let go of an fd without closing it): the new Socket owns
 *   the duplicate. By default the Node object is then destroyed / closed,
 *   which closes only its own fd; the connection or listening socket lives
 *   on in bsdsock. With `{ share: true }` the Node object stays in charge
 *   of the I/O and the Socket is for socket options and inspection only.
 *
 * libuv and bsdsock never watch the same fd: a handoff detaches first,
 * which stops bsdsock's watch, before Node opens the fd.
 *
 * @packageDocumentation
 */
import { createRequire } from 'node:module';
import type * as net from 'node:net';
import { constants as osConstants } from 'node:os';
import { binding } from './binding.js';
import { AddressFamily, SocketKind } from './constants.generated.js';
import { OSError, fromErrno } from './errors.js';
import { IoState } from './io.js';
import { Socket } from './socket.js';
import { typeName } from './validators.js';

const C = binding.constants as Record<string, number>;
const AF_INET = C.AF_INET!;
const AF_INET6 = C.AF_INET6!;
const AF_UNIX = C.AF_UNIX!;
const SOCK_STREAM = C.SOCK_STREAM!;
const SOL_SOCKET = C.SOL_SOCKET!;
const SO_ACCEPTCONN = C.SO_ACCEPTCONN!;
const { EBADF, EINVAL, ENOTCONN } = osConstants.errno;

/** node:net and node:cluster, loaded on first use (importing core should not load them). */
let netModule: typeof net | undefined;
let clusterModule: { readonly isWorker: boolean } | undefined;
function nodeNet(): typeof net {
  return (netModule ??= createRequire(__filename)('node:net') as typeof net);
}
function inClusterWorker(): boolean {
  return (clusterModule ??= createRequire(__filename)('node:cluster') as { isWorker: boolean }).isWorker;
}

/** Options of {@link toNetSocket}: those of `new net.Socket()` but `fd`. */
export interface ToNetSocketOptions {
  /**
   * Whether the net.Socket stays writable after the peer ended its side;
   * default `false`, as for every net.Socket.
   */
  allowHalfOpen?: boolean;
  /** Whether the net.Socket reads (default `true`). */
  readable?: boolean;
  /** Whether the net.Socket writes (default `true`). */
  writable?: boolean;
  /** Destroys the net.Socket when aborted. */
  signal?: AbortSignal;
  /** TCP_NODELAY, as `socket.setNoDelay()` sets it. */
  noDelay?: boolean;
  /** SO_KEEPALIVE, as `socket.setKeepAlive()` sets it. */
  keepAlive?: boolean;
  /** The keep-alive idle time in milliseconds. */
  keepAliveInitialDelay?: number;
}

/** Options of {@link fromNetSocket} and {@link fromNetServer}. */
export interface FromNetOptions {
  /**
   * `false` (the default): take the connection / listening socket over —
   * the Node object is destroyed / closed once its fd is duplicated.
   * `true`: leave the Node object in charge of the I/O; the returned
   * Socket (a duplicate fd) is for socket options (`getsockopt`,
   * `setsockopt`) and inspection, and must not read, write or accept,
   * which would race libuv for the same data. Closing it closes only the
   * duplicate.
   */
  share?: boolean;
}

function familyName(family: number): string {
  const name = (AddressFamily as Record<number, string | number>)[family];
  return typeof name === 'string' ? `${name} (${family})` : `family ${family}`;
}

function kindName(type: number): string {
  const name = (SocketKind as Record<number, string | number>)[type];
  return typeof name === 'string' ? name : `type ${type}`;
}

/**
 * What every handoff to Node checks before it detaches anything: an open
 * SOCK_STREAM socket of a family libuv wraps (AF_INET and AF_INET6 as TCP
 * handles, AF_UNIX as pipes).
 */
function checkHandoff(sock: unknown, fn: string): asserts sock is Socket {
  if (!(sock instanceof Socket)) {
    throw new TypeError(`${fn}(): sock must be a bsdsock Socket, not ${typeName(sock)}`);
  }
  if (sock.fileno() < 0) throw fromErrno(EBADF, fn);
  if (sock.type !== SOCK_STREAM) {
    throw new TypeError(
      `${fn}(): Node's net module takes SOCK_STREAM sockets only, got ${kindName(sock.type)}`,
    );
  }
  const f = sock.family;
  if (f !== AF_INET && f !== AF_INET6 && f !== AF_UNIX) {
    throw new TypeError(
      `${fn}(): Node's net module takes AF_INET, AF_INET6 and AF_UNIX sockets only (libuv's TCP and pipe handles), ` +
      `got ${familyName(f)}; sock.makefile('rwb') gives a Duplex stream over any stream socket`,
    );
  }
}

function listening(sock: Socket): boolean {
  return sock.getsockopt(SOL_SOCKET, SO_ACCEPTCONN) !== 0;
}

/**
 * The detach of a handoff: bsdsock stops watching the fd — this Socket
 * (its waiting operations reject with EBADF, as they do on close) and any
 * other Socket object on the same fd number — before libuv starts.
 */
function handOver(sock: Socket): number {
  const fd = sock.detach();
  IoState.unwatchFd(fd);
  return fd;
}

/**
 * Hands a connected SOCK_STREAM socket to Node as a `net.Socket`, so that
 * `http`, `https`, `tls` and every library taking a net.Socket work over a
 * socket made with options Node cannot set (IPPROTO_MPTCP,
 * SO_BINDTODEVICE, IP_TRANSPARENT, a TCP_CONGESTION, ...).
 *
 * The fd moves to the net.Socket (`new net.Socket({ fd })`), which owns it
 * from then on: `sock` is detached (`fileno()` returns -1, its operations
 * report EBADF, `close()` does nothing), operations still waiting on it
 * reject with EBADF, and streams from its `makefile()` fail with EBADF.
 * The socket's timeout does not carry over (see `net.Socket.setTimeout`).
 *
 * Availability: AF_INET and AF_INET6 (a TCP handle) and AF_UNIX (a pipe)
 * SOCK_STREAM sockets, as libuv wraps them.
 *
 * @throws OSError EBADF when `sock` is closed; ENOTCONN when it is not
 *   connected. TypeError for anything but a Socket, another type than
 *   SOCK_STREAM, another family, or a listening socket (see
 *   {@link toNetServer}). Nothing is detached when it throws.
 *
 * @example
 * ```ts
 * import * as http from 'node:http';
 * import { Socket, SOCK_STREAM, toNetSocket } from '@bsdsock/core';
 * import { AF_INET, IPPROTO_MPTCP } from '@bsdsock/inet';
 *
 * http.get('http://example.com/', {
 *   createConnection: (opts, done) => {
 *     const s = new Socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP);
 *     s.connect([opts.host!, Number(opts.port)])
 *       .then(() => done(null, toNetSocket(s)), (err) => { s.close(); done(err, undefined!); });
 *     return undefined;
 *   },
 * }, (res) => res.pipe(process.stdout));
 * ```
 * @see https://nodejs.org/api/net.html#new-netsocketoptions
 */
export function toNetSocket(sock: Socket, options: ToNetSocketOptions = {}): net.Socket {
  checkHandoff(sock, 'toNetSocket');
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`toNetSocket(): options must be an object, not ${typeName(options)}`);
  }
  if (listening(sock)) {
    throw new TypeError('toNetSocket(): the socket is listening; hand it to toNetServer() instead');
  }
  sock.getpeername(); // OSError ENOTCONN unless connected
  const NetSocket = nodeNet().Socket;
  const fd = handOver(sock);
  try {
    return new NetSocket({ ...options, fd, readable: options.readable ?? true, writable: options.writable ?? true });
  } catch (err) {
    // Node refused the fd after bsdsock let it go: nobody owns it now.
    binding.close(fd);
    throw err;
  }
}

/**
 * Hands a listening SOCK_STREAM socket to a `net.Server`: a new one
 * (`net.createServer(options, connectionListener)`), or one given — an
 * `http.Server`, `https.Server`, `tls.Server` or any other net.Server
 * that is not listening yet. The server listens on the socket's fd
 * (`server.listen({ fd })`) and owns it from then on; `sock` is detached
 * as by {@link toNetSocket} (waiting `accept()`s reject with EBADF).
 *
 * Node calls listen(2) again on the fd, with Node's backlog (511) unless
 * `backlog` is given (0 counts as not given, as in Node). As with
 * `server.listen()`, the server is listening from the next tick
 * ('listening' event); a failure Node meets on the way is emitted as
 * 'error'. Closing the server closes the fd. For an AF_UNIX socket,
 * `server.address()` is `null` (Node knows a pipe's path only when it bound
 * it) and closing the server leaves the path in place, as Python does.
 *
 * Not available in a `cluster` worker: Node routes `listen({ fd })`
 * through the primary process, where the fd does not exist.
 *
 * @throws OSError EBADF when `sock` is closed; EINVAL when it is not
 *   listening. TypeError as for {@link toNetSocket}. An Error with code
 *   `ERR_SERVER_ALREADY_LISTEN` when `server` listens already. Nothing is
 *   detached when it throws.
 *
 * @example
 * ```ts
 * import * as http from 'node:http';
 * import { Socket, SOCK_STREAM, toNetServer } from '@bsdsock/core';
 * import { AF_INET, IPPROTO_MPTCP } from '@bsdsock/inet';
 *
 * const l = new Socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP);
 * l.bind(['0.0.0.0', 8080]);
 * l.listen();
 * toNetServer(l, http.createServer((req, res) => res.end('over MPTCP\n')));
 * ```
 * @see https://nodejs.org/api/net.html#serverlistenhandle-backlog-callback
 */
export function toNetServer<S extends net.Server>(sock: Socket, server: S, backlog?: number): S;
export function toNetServer(
  sock: Socket, options?: net.ServerOpts & { backlog?: number }, connectionListener?: (socket: net.Socket) => void,
): net.Server;
export function toNetServer(sock: Socket, connectionListener: (socket: net.Socket) => void): net.Server;
export function toNetServer(sock: Socket, arg?: unknown, arg2?: unknown): net.Server {
  checkHandoff(sock, 'toNetServer');
  if (!listening(sock)) {
    throw new OSError(EINVAL, 'the socket is not listening: call listen() before toNetServer()', 'toNetServer');
  }
  if (inClusterWorker()) {
    throw new TypeError("toNetServer(): not available in a cluster worker (Node's cluster module listens in the primary process)");
  }
  let server: net.Server;
  let backlog: unknown;
  let fresh = false;
  const { Server, createServer } = nodeNet();
  if (arg instanceof Server) {
    if (arg.listening || (arg as unknown as { _handle?: unknown })._handle) {
      throw Object.assign(
        new Error('toNetServer(): the server is listening already'), { code: 'ERR_SERVER_ALREADY_LISTEN' },
      );
    }
    server = arg;
    backlog = arg2;
  } else {
    let options: (net.ServerOpts & { backlog?: number }) | undefined;
    let listener: unknown;
    if (typeof arg === 'function') listener = arg;
    else {
      if (arg !== undefined && (arg === null || typeof arg !== 'object')) {
        throw new TypeError(`toNetServer(): options must be an object or a net.Server, not ${typeName(arg)}`);
      }
      options = arg as typeof options;
      listener = arg2;
    }
    if (listener !== undefined && typeof listener !== 'function') {
      throw new TypeError(`toNetServer(): connectionListener must be a function, not ${typeName(listener)}`);
    }
    const { backlog: b, ...serverOpts } = options ?? {};
    backlog = b;
    server = createServer(serverOpts, listener as (socket: net.Socket) => void);
    fresh = true;
  }
  if (backlog !== undefined && !(Number.isInteger(backlog) && (backlog as number) >= 0)) {
    throw new RangeError(`toNetServer(): backlog must be a non-negative integer, got ${String(backlog)}`);
  }
  const fd = handOver(sock);
  try {
    // listen({ fd }) takes the backlog from its second argument only.
    return backlog === undefined ? server.listen({ fd }) : server.listen({ fd }, backlog as number);
  } catch (err) {
    binding.close(fd);
    if (fresh) server.close();
    throw err;
  }
}

/** The fd of a Node handle, when libuv exposes one (Unix: TCP and pipe handles). */
function handleFd(obj: object): number {
  const handle = (obj as { _handle?: { fd?: unknown } | null })._handle;
  const fd = handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : -1;
}

/** A Socket on a duplicate of `fd`; family, type and proto read from it. */
function adoptDup(fd: number): Socket {
  const r = binding.dup(fd);
  if (r < 0) throw fromErrno(-r, 'dup');
  try {
    return new Socket(-1, -1, -1, r);
  } catch (err) {
    binding.close(r);
    throw err;
  }
}

function checkFromOptions(options: unknown, fn: string): boolean {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${fn}(): options must be an object, not ${typeName(options)}`);
  }
  const share = (options as FromNetOptions).share;
  if (share !== undefined && typeof share !== 'boolean') {
    throw new TypeError(`${fn}(): options.share must be a boolean, not ${typeName(share)}`);
  }
  return share === true;
}

/**
 * Adopts a connected `net.Socket` into bsdsock: a new Socket on a
 * duplicate of its fd (family, type and proto read from the fd; the
 * default timeout). Unless `options.share`, the net.Socket is then
 * destroyed — which closes only its own fd, so the connection lives on in
 * the Socket, its only owner. To make sure no data is lost, that needs a
 * quiet net.Socket: nothing received and not yet read from it, nothing
 * written and not yet sent.
 *
 * Availability: Unix, where libuv exposes the handle's fd (TCP and pipe
 * sockets); not a `tls.TLSSocket` (its bytes are TLS records).
 *
 * @throws OSError EBADF when the net.Socket has no fd (destroyed, never
 *   connected); ENOTCONN while it is still connecting. TypeError for
 *   anything but a net.Socket, a TLSSocket, or (unless `share`) a
 *   net.Socket with data buffered in either direction.
 *
 * @example
 * ```ts
 * const ns = net.connect(port, host);
 * await once(ns, 'connect');
 * const sock = fromNetSocket(ns);            // ns is destroyed
 * sock.setsockopt(IPPROTO_TCP, TCP_CORK, 1);
 * await sock.sendall(data);
 * ```
 */
export function fromNetSocket(socket: net.Socket, options: FromNetOptions = {}): Socket {
  if (!(socket instanceof nodeNet().Socket)) {
    throw new TypeError(`fromNetSocket(): socket must be a net.Socket, not ${typeName(socket)}`);
  }
  const share = checkFromOptions(options, 'fromNetSocket');
  if ((socket as { encrypted?: unknown }).encrypted === true) {
    throw new TypeError('fromNetSocket(): a tls.TLSSocket carries TLS records; adopt the net.Socket under it instead');
  }
  if (socket.destroyed) throw fromErrno(EBADF, 'fromNetSocket');
  if (socket.connecting) throw fromErrno(ENOTCONN, 'fromNetSocket');
  const fd = handleFd(socket);
  if (fd < 0) throw fromErrno(EBADF, 'fromNetSocket');
  if (!share) {
    if (socket.readableLength > 0) {
      throw new TypeError(
        `fromNetSocket(): the net.Socket holds ${socket.readableLength} bytes received but not read; read them first`,
      );
    }
    const queued = socket.writableLength + Number((socket as { _handle?: { writeQueueSize?: number } })._handle?.writeQueueSize ?? 0);
    if (queued > 0) {
      throw new TypeError(
        `fromNetSocket(): the net.Socket has ${queued} bytes written but not sent yet; wait for them ('drain' or the write callback)`,
      );
    }
  }
  const sock = adoptDup(fd);
  if (!share) socket.destroy();
  return sock;
}

/**
 * Adopts a listening `net.Server` into bsdsock: a new Socket on a
 * duplicate of its listening fd. Unless `options.share`, the server is then
 * closed (`server.close()`: it stops accepting at once and closes its own
 * fd; connections it accepted before go on, and 'close' follows when they
 * end), and bsdsock's Socket is the listening socket's only owner: clients
 * waiting in the kernel's accept queue are accepted by `sock.accept()`.
 *
 * Availability: Unix, where libuv exposes the handle's fd; not in a
 * `cluster` worker (the listening fd lives in the primary process).
 *
 * @throws OSError EBADF when the server has no fd (not listening, closed,
 *   or a cluster worker's shared handle). TypeError for anything but a
 *   net.Server, and (unless `share`) for a server listening on an AF_UNIX
 *   path: libuv unlinks that path when it closes the server, which would
 *   leave the socket unreachable.
 */
export function fromNetServer(server: net.Server, options: FromNetOptions = {}): Socket {
  if (!(server instanceof nodeNet().Server)) {
    throw new TypeError(`fromNetServer(): server must be a net.Server, not ${typeName(server)}`);
  }
  const share = checkFromOptions(options, 'fromNetServer');
  const fd = handleFd(server);
  if (fd < 0) throw fromErrno(EBADF, 'fromNetServer');
  const addr = server.address();
  if (!share && typeof addr === 'string' && addr !== '' && !addr.startsWith('\0')) {
    throw new TypeError(
      `fromNetServer(): the server listens on the path ${JSON.stringify(addr)}, which libuv unlinks when the server ` +
      'closes; listen with bsdsock and use toNetServer(), or pass { share: true }',
    );
  }
  const sock = adoptDup(fd);
  if (!share) server.close();
  return sock;
}
