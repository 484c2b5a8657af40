/**
 * The AF_RDS address as a zod schema: what `bind`, `connect` and `sendto`
 * accept on an RDS socket. The codec checks the same rules by hand; the
 * conformance suite proves that both agree.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { hasNul, isBytesLike, type BytesLike } from './bytes.js';

/**
 * The host of an RDS address, as of an AF_INET one: a dotted quad, `''`
 * (INADDR_ANY), `'<broadcast>'` or a name, as a string or as the bytes of
 * one; never with a NUL. Whether a name resolves is found out when the
 * address is used, not here.
 */
export const rdsHostSchema = z
  .union([z.string(), z.custom<BytesLike>(isBytesLike, { message: 'expected a string or bytes-like object' })])
  .refine((host) => !hasNul(host), { message: 'host name must not contain null character' });

/** A port number, 0-65535. */
export const rdsPortSchema = z.number().int().min(0).max(0xffff);

/**
 * An AF_RDS address: `[host, port]`, an IPv4 address exactly as for
 * AF_INET — CPython's getsockaddrarg() takes AF_RDS down the AF_INET path,
 * and the kernel's RDS takes a `struct sockaddr_in`. Binding to port 0 lets
 * the kernel pick a port; RDS needs both ends bound to an address of a
 * transport (any 127.x.y.z goes over the loopback transport; `''`, the
 * wildcard, is EINVAL).
 *
 * A numeric host (a dotted quad, `''`, `'<broadcast>'`) is encoded here.
 * A name (`'localhost'`, `'127.1'`) is resolved with getaddrinfo(3) as
 * CPython does, by the AF_INET family's own codec, which must be
 * registered: import `@bsdsock/inet` (or `bsdsock`) first; without it a
 * name raises OSError. CPython takes the port as a C `int` and then checks
 * 0-65535 (OverflowError); here that is a RangeError.
 *
 * @example
 * ```ts
 * sock.bind(['127.0.0.1', 0]);                      // the kernel picks the port
 * await sock.sendto(data, ['127.0.0.1', 4000]);
 * sock.bind(['localhost', 4001]);                   // with @bsdsock/inet imported
 * ```
 * @see https://manned.org/rds.7
 * @see https://docs.kernel.org/networking/rds.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const rdsAddressSchema = z.tuple([rdsHostSchema, rdsPortSchema]).readonly();

/**
 * An AF_RDS address as given: `[host, port]`.
 *
 * @example
 * ```ts
 * const peer: RdsAddress = ['127.0.0.1', 4000];
 * ```
 * @see https://manned.org/rds.7
 */
export type RdsAddress = z.output<typeof rdsAddressSchema>;

/**
 * An AF_RDS address as bsdsock returns it: `[host, port]`, the host a dotted
 * quad — what `getsockname` of a bound socket and `recvfrom` give. The
 * kernel writes these as `AF_INET` sockaddrs, so core decodes them with the
 * AF_INET family: with `@bsdsock/inet` (or `bsdsock`) imported they are
 * `[host, port]`, without it core's raw `[2, Buffer]`.
 *
 * @example
 * ```ts
 * const [data, [host, port]] = await sock.recvfrom(8192);
 * ```
 * @see https://manned.org/rds.7
 */
export type RdsAddressResult = readonly [host: string, port: number];

/**
 * What an RDS socket without an address returns: `getsockname()` of an
 * unbound socket is the kernel's `AF_UNSPEC` sockaddr, which CPython returns
 * as `(0, sa_data)`: `[0, <14 zero bytes>]`.
 *
 * @example
 * ```ts
 * new Socket(AF_RDS, SOCK_SEQPACKET).getsockname();   // [0, <Buffer 00 00 ... 00>]
 * ```
 * @see https://manned.org/rds.7
 */
export type RdsUnboundAddress = readonly [family: number, data: Buffer];
