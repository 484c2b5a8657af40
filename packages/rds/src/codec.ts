/**
 * The AF_RDS family plugin: `[host, port]` to and from
 * `struct sockaddr_in`, with CPython's semantics: getsockaddrarg() in
 * Modules/socketmodule.c takes AF_RDS down its AF_INET path, and
 * makesockaddr() decodes by the sockaddr's own family.
 *
 * This package is built the way a package outside bsdsock would be: on
 * `@bsdsock/core`'s public API only. It therefore cannot read core's
 * compiled-in layouts (`@bsdsock/core/internal`), and takes the layout of
 * `struct sockaddr_in` from ip(7) and `<linux/in.h>`, the same on every
 * Linux architecture; RDS uses it as it is, `sin_family` AF_INET included:
 *
 * ```
 * struct sockaddr_in {
 *     sa_family_t    sin_family;  // offset 0, u16, AF_INET, host order
 *     in_port_t      sin_port;    // offset 2, u16, network order
 *     struct in_addr sin_addr;    // offset 4, 4 bytes, network order
 *     unsigned char  __pad[8];    // offset 8, zero
 * };                              // 16 bytes
 * ```
 *
 * @packageDocumentation
 */
import { endianness } from 'node:os';
import { AddressFamily, OSError, getFamily, type AddressContext, type FamilyPlugin } from '@bsdsock/core';
import { isBytesLike, hasNul, hostText, type BytesLike } from './bytes.js';
import { AF_RDS } from './constants.js';
import { formatDottedQuad, parseDottedQuad } from './ipv4.js';
import { prefix, show } from './messages.js';
import { rdsAddressSchema, type RdsAddressResult, type RdsUnboundAddress } from './schema.js';

/** sizeof(struct sockaddr_in). */
export const SOCKADDR_IN_SIZE = 16;
const SIN_FAMILY = 0;
const SIN_PORT = 2;
const SIN_ADDR = 4;
/** offsetof(struct sockaddr, sa_data) and its size: what CPython returns for a family it does not know. */
const SA_DATA = 2;
const SA_DATA_SIZE = 14;

/** AF_INET, this platform's value, from core's AddressFamily map. */
const AF_INET = AddressFamily.AF_INET;
const LITTLE_ENDIAN = endianness() === 'LE';
const RDS = 'AF_RDS';
const SHAPE = '[host: string, port: number]';
const MAX_PORT = 0xffff;

/** Checks the tuple, and starts its sockaddr_in: family and port written, the address left zero. */
function start(address: unknown, ctx: AddressContext): { host: string | BytesLike; text: string; buf: Buffer } {
  if (!Array.isArray(address) || address.length !== 2) {
    throw new TypeError(`${prefix(ctx)}${RDS} address must be ${SHAPE}, got ${show(address)}`);
  }
  const host: unknown = address[0];
  if (typeof host !== 'string' && !isBytesLike(host)) {
    throw new TypeError(`${prefix(ctx)}${RDS} host must be a string or bytes-like object, got ${show(host)}`);
  }
  if (hasNul(host)) throw new TypeError(`${prefix(ctx)}${RDS} host name must not contain null character`);
  const port: unknown = address[1];
  if (typeof port !== 'number' || !Number.isInteger(port)) {
    throw new TypeError(`${prefix(ctx)}${RDS} port must be an integer, got ${show(port)}`);
  }
  if (port < 0 || port > MAX_PORT) {
    throw new RangeError(`${prefix(ctx)}${RDS} port must be 0-${MAX_PORT}, got ${show(port)}`);
  }
  const buf = Buffer.alloc(SOCKADDR_IN_SIZE);
  if (LITTLE_ENDIAN) buf.writeUInt16LE(AF_INET, SIN_FAMILY);
  else buf.writeUInt16BE(AF_INET, SIN_FAMILY);
  buf.writeUInt16BE(port, SIN_PORT);
  return { host, text: hostText(host), buf };
}

/**
 * Writes a host that needs no lookup, as CPython's setipaddr() does: `''`
 * is INADDR_ANY, `'<broadcast>'` INADDR_BROADCAST, a dotted quad itself.
 *
 * @returns `false` for a name (or a short form such as `127.1`).
 */
function numeric(text: string, buf: Buffer): boolean {
  if (text === '') return true;
  if (text === '<broadcast>') {
    buf.fill(0xff, SIN_ADDR, SIN_ADDR + 4);
    return true;
  }
  return parseDottedQuad(text, buf, SIN_ADDR);
}

/** The registered AF_INET plugin, which resolves names; OSError when there is none. */
function resolver(text: string, ctx: AddressContext): FamilyPlugin {
  const inet = getFamily(AF_INET);
  if (inet === undefined) {
    throw new OSError(
      `${prefix(ctx)}${RDS} host ${show(text)} is a name; resolving it needs the AF_INET family: import '@bsdsock/inet' (or 'bsdsock')`,
    );
  }
  return inet;
}

/**
 * The AF_RDS family plugin's type: core's `FamilyPlugin` contract plus the
 * zod schema it documents.
 *
 * @example
 * ```ts
 * const [host, port] = rdsFamily.schema.parse(['127.0.0.1', 4000]);
 * ```
 * @see https://docs.kernel.org/networking/rds.html
 */
export interface RdsFamilyPlugin extends FamilyPlugin<RdsAddressResult | RdsUnboundAddress> {
  /** The zod schema of the addresses `encode` accepts. */
  readonly schema: typeof rdsAddressSchema;
}

/**
 * AF_RDS: `[host, port]` to and from `struct sockaddr_in` (16 bytes).
 *
 * `encode` checks the pair (see {@link rdsAddressSchema}) and writes a
 * `sockaddr_in` with `sin_family` AF_INET, as CPython does for RDS: `''`
 * is INADDR_ANY, `'<broadcast>'` INADDR_BROADCAST, a dotted quad is parsed
 * as inet_pton(3) parses it, and any other host is a name, which the
 * registered AF_INET family resolves with getaddrinfo(3) (`encode` on this
 * thread, `encodeAsync` off it), as CPython's setipaddr() does; without an
 * AF_INET family a name raises OSError.
 *
 * `decode` returns CPython's makesockaddr() result: `[dotted quad, port]`
 * for an AF_INET sockaddr, and `[sa_family, sa_data]` (14 bytes) for any
 * other, such as the AF_UNSPEC one an unbound socket's getsockname gives.
 * Core calls it only for sockaddrs of family AF_RDS or AF_UNSPEC: the
 * kernel writes RDS addresses as AF_INET ones, which core hands to the
 * AF_INET family.
 *
 * @example
 * ```ts
 * rdsFamily.encode(['127.0.0.1', 4000], { family: AF_RDS, type: SOCK_SEQPACKET, proto: 0, caller: 'bind' });
 * // <Buffer 02 00 0f a0 7f 00 00 01 00 00 00 00 00 00 00 00>
 * ```
 * @see https://docs.kernel.org/networking/rds.html
 * @see https://man7.org/linux/man-pages/man7/ip.7.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const rdsFamily: RdsFamilyPlugin = {
  family: AF_RDS,
  name: RDS,
  schema: rdsAddressSchema,

  encode(address: unknown, ctx: AddressContext): Buffer {
    const { host, text, buf } = start(address, ctx);
    if (numeric(text, buf)) return buf;
    return resolver(text, ctx).encode([host, buf.readUInt16BE(SIN_PORT)], ctx);
  },

  encodeAsync(address: unknown, ctx: AddressContext): Buffer | Promise<Buffer> {
    const { host, text, buf } = start(address, ctx);
    if (numeric(text, buf)) return buf;
    const inet = resolver(text, ctx);
    const named = [host, buf.readUInt16BE(SIN_PORT)];
    return inet.encodeAsync ? inet.encodeAsync(named, ctx) : inet.encode(named, ctx);
  },

  decode(bytes: Buffer, length: number): RdsAddressResult | RdsUnboundAddress {
    const avail = Math.min(length, bytes.length);
    let sa = bytes;
    if (avail < SOCKADDR_IN_SIZE) {
      sa = Buffer.alloc(SOCKADDR_IN_SIZE);
      bytes.copy(sa, 0, 0, avail);
    }
    const family = LITTLE_ENDIAN ? sa.readUInt16LE(SIN_FAMILY) : sa.readUInt16BE(SIN_FAMILY);
    if (family === AF_INET) return [formatDottedQuad(sa, SIN_ADDR), sa.readUInt16BE(SIN_PORT)];
    return [family, Buffer.from(sa.subarray(SA_DATA, SA_DATA + SA_DATA_SIZE))];
  },
};
