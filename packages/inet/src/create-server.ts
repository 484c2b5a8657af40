/**
 * `createServer`, `hasDualstackIpv6` and `has_ipv6`: Python's
 * `socket.create_server` and friends (Lib/socket.py).
 *
 * @packageDocumentation
 */
import { OSError, SOCK_STREAM, SOL_SOCKET, Socket, type Address } from '@bsdsock/core';
import { binding, errorClassFor } from '@bsdsock/core/internal';
import { intArg, optionsArg, pyRepr } from './args.js';
import { AF_INET } from './constants.generated.js';

/** Constants that may be absent from a platform's headers, as Python's `hasattr` checks find. */
const C = binding.constants as Readonly<Record<string, number | undefined>>;
const SO_REUSEADDR = C.SO_REUSEADDR;
const SO_REUSEPORT = C.SO_REUSEPORT;
const AF_INET6 = C.AF_INET6;
const IPPROTO_IPV6 = C.IPPROTO_IPV6;
const IPV6_V6ONLY = C.IPV6_V6ONLY;

/**
 * Whether this platform has IPv6 (Python's `socket.has_ipv6`): `true` where
 * the headers define AF_INET6.
 *
 * @see https://docs.python.org/3/library/socket.html#socket.has_ipv6
 */
export const has_ipv6: boolean = AF_INET6 !== undefined;

/**
 * Whether a TCP socket can accept both IPv4 and IPv6 connections here:
 * creates an AF_INET6 stream socket and clears IPV6_V6ONLY on it
 * (setsockopt(2)), as Python's `socket.has_dualstack_ipv6()` does.
 *
 * @see https://man7.org/linux/man-pages/man7/ipv6.7.html
 * @see https://docs.python.org/3/library/socket.html#socket.has_dualstack_ipv6
 * @example
 * ```ts
 * if (hasDualstackIpv6()) createServer(['', 8080], { family: AF_INET6, dualstackIpv6: true });
 * ```
 */
export function hasDualstackIpv6(): boolean {
  if (!has_ipv6 || IPPROTO_IPV6 === undefined || IPV6_V6ONLY === undefined) return false;
  let sock: Socket | undefined;
  try {
    sock = new Socket(AF_INET6!, SOCK_STREAM);
    sock.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 0);
    return true;
  } catch (err) {
    if (err instanceof OSError) return false;
    throw err;
  } finally {
    sock?.close();
  }
}

/** The options of {@link createServer}: Python's keyword-only arguments. */
export interface CreateServerOptions {
  /** AF_INET (the default) or AF_INET6. */
  family?: number;
  /** The listen(2) backlog; omitted or `null`: {@link Socket.listen}'s default. */
  backlog?: number | null;
  /** Set SO_REUSEPORT, so that several sockets can listen on the port. */
  reusePort?: boolean;
  /** For AF_INET6: accept IPv4 connections too (IPV6_V6ONLY cleared). */
  dualstackIpv6?: boolean;
}

/**
 * Creates a TCP socket bound to `address` and listening, as Python's
 * `socket.create_server` does: SO_REUSEADDR set (Python sets it everywhere
 * but Windows and Cygwin), SO_REUSEPORT with `reusePort`, and for AF_INET6
 * IPV6_V6ONLY set, or cleared with `dualstackIpv6` (then IPv4 peers appear
 * as `::ffff:a.b.c.d`).
 *
 * A failed bind(2) is raised as the same OSError class with the same
 * errno, its message naming the address:
 * `[Errno 98] Address already in use (while attempting to bind on address ('127.0.0.1', 8080))`.
 * The socket is closed whenever the call fails.
 *
 * @throws RangeError `SO_REUSEPORT not supported on this platform`,
 *   `dualstack_ipv6 not supported on this platform` or `dualstack_ipv6
 *   requires AF_INET6 family` (Python's ValueError); TypeError when
 *   `options` is not an object (the options are keyword-only in Python).
 * @see https://man7.org/linux/man-pages/man2/bind.2.html
 * @see https://docs.python.org/3/library/socket.html#socket.create_server
 * @example
 * ```ts
 * const server = createServer(['127.0.0.1', 0]);
 * const [conn, peer] = await server.accept();
 * ```
 */
export function createServer(address: Address, options?: CreateServerOptions): Socket {
  const opts = optionsArg<CreateServerOptions>(options, 'createServer');
  const family = opts.family === undefined ? AF_INET : intArg(opts.family, 'createServer(): family');
  const backlog = opts.backlog === undefined || opts.backlog === null ? undefined : intArg(opts.backlog, 'createServer(): backlog');
  const reusePort = Boolean(opts.reusePort);
  const dualstack = Boolean(opts.dualstackIpv6);
  if (reusePort && SO_REUSEPORT === undefined) throw new RangeError('SO_REUSEPORT not supported on this platform');
  if (dualstack) {
    if (!hasDualstackIpv6()) throw new RangeError('dualstack_ipv6 not supported on this platform');
    if (family !== AF_INET6) throw new RangeError('dualstack_ipv6 requires AF_INET6 family');
  }
  const sock = new Socket(family, SOCK_STREAM);
  try {
    if (SO_REUSEADDR !== undefined && process.platform !== 'win32' && process.platform !== 'cygwin') {
      try {
        sock.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
      } catch (err) {
        // As Python: a platform without the option fails later, in bind().
        if (!(err instanceof OSError)) throw err;
      }
    }
    if (reusePort) sock.setsockopt(SOL_SOCKET, SO_REUSEPORT!, 1);
    if (has_ipv6 && family === AF_INET6) {
      if (dualstack) sock.setsockopt(IPPROTO_IPV6!, IPV6_V6ONLY!, 0);
      else if (IPV6_V6ONLY !== undefined && IPPROTO_IPV6 !== undefined) sock.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 1);
    }
    try {
      sock.bind(address);
    } catch (err) {
      if (!(err instanceof OSError)) throw err;
      throw bindError(err, address);
    }
    if (backlog === undefined) sock.listen();
    else sock.listen(backlog);
    return sock;
  } catch (err) {
    sock.close();
    throw err;
  }
}

/**
 * `OSError(err.errno, '<strerror> (while attempting to bind on address <repr>)')`,
 * as socket.py raises it: the errno's own class, the errno kept.
 */
function bindError(err: OSError, address: unknown): OSError {
  const where = `(while attempting to bind on address ${pyRepr(address)})`;
  let out: OSError;
  if (err.errno === null) {
    out = new OSError(`[Errno None] ${err.strerror ?? 'None'} ${where}`);
  } else {
    const Cls = errorClassFor(err.errno);
    out = new Cls(err.errno, `${err.strerror} ${where}`, 'bind');
    if (err.code !== undefined) out.code = err.code;
  }
  out.syscall = 'bind';
  return out;
}
