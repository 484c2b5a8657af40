/**
 * The AF_INET and AF_INET6 address tuples as zod schemas: the documented
 * contract of what `bind`, `connect`, `sendto` and friends accept. The codec
 * checks the same rules by hand on its hot path; a test proves that both
 * accept and reject the same values, with the same error class.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { hasNul, isBytesLike } from './bytes.js';

/** A bytes-like value: any ArrayBufferView (Buffer, Uint8Array, DataView, ...) or an ArrayBuffer. */
export const bytesLikeSchema = z.custom<ArrayBufferView | ArrayBuffer>(isBytesLike, {
  message: 'expected a string or bytes-like object',
});

/**
 * The host of an address: a name, a numeric address, `''` (any address) or
 * `'<broadcast>'`, as a string or as the bytes of one; never with a NUL.
 * A name must also resolve (and, when not ASCII, IDNA-encode): that is
 * found out when the address is used, not here.
 */
export const inetHostSchema = z
  .union([z.string(), bytesLikeSchema])
  .refine((host) => !hasNul(host), { message: 'host name must not contain null character' });

/** A port number, 0-65535. */
export const portSchema = z.number().int().min(0).max(0xffff);

/** An IPv6 flow label, 0-0xfffff (20 bits), in host order. */
export const flowinfoSchema = z.number().int().min(0).max(0xfffff);

/** An IPv6 scope id (an interface index), 0-0xffffffff. */
export const scopeIdSchema = z.number().int().min(0).max(0xffffffff);

/**
 * An AF_INET address as given: `[host, port]`.
 *
 * @example
 * ```ts
 * sock.bind(['127.0.0.1', 8080]);
 * sock.bind(['', 0]);                  // INADDR_ANY, any free port
 * await sock.connect(['localhost', 80]);
 * ```
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const inetAddressSchema = z.tuple([inetHostSchema, portSchema]).readonly();

/** An AF_INET address as given: `[host, port]`. */
export type InetAddress = z.output<typeof inetAddressSchema>;

/**
 * An AF_INET6 address as given: `[host, port]`, `[host, port, flowinfo]` or
 * `[host, port, flowinfo, scope_id]`. The host may carry a `%scope` suffix
 * (`'fe80::1%eth0'`); a `scope_id` in the tuple takes precedence over it.
 *
 * @example
 * ```ts
 * sock.bind(['::1', 8080]);
 * await sock.connect(['fe80::1%eth0', 80]);
 * await sock.sendto(data, ['ff02::1', 9, 0, ifNametoindex('eth0')]);
 * ```
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const inet6AddressSchema = z.union([
  z.tuple([inetHostSchema, portSchema]).readonly(),
  z.tuple([inetHostSchema, portSchema, flowinfoSchema]).readonly(),
  z.tuple([inetHostSchema, portSchema, flowinfoSchema, scopeIdSchema]).readonly(),
]);

/** An AF_INET6 address as given: `[host, port, flowinfo?, scope_id?]`. */
export type Inet6Address = z.output<typeof inet6AddressSchema>;

/**
 * An AF_INET address as bsdsock returns it (`getsockname`, `recvfrom`,
 * `accept`, ...): the host as a dotted quad, and the port.
 */
export type InetAddressResult = readonly [host: string, port: number];

/**
 * An AF_INET6 address as bsdsock returns it: the host in the C library's
 * `inet_ntop` form (`'::1'`, `'::ffff:127.0.0.1'`, no `%scope`), the port,
 * the flow info and the scope id.
 */
export type Inet6AddressResult = readonly [host: string, port: number, flowinfo: number, scopeId: number];
