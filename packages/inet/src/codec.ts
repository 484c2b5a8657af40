/**
 * The AF_INET and AF_INET6 family plugins: address tuples to and from
 * `struct sockaddr_in` / `struct sockaddr_in6`, with CPython's semantics
 * (`getsockaddrarg()` and `makesockaddr()` in Modules/socketmodule.c).
 *
 * @packageDocumentation
 */
import { endianness } from 'node:os';
import type { AddressContext, FamilyPlugin } from '@bsdsock/core';
import { layout } from '@bsdsock/core/internal';
import { bytesHostText, hasNul, isBytesLike } from './bytes.js';
import { AF_INET, AF_INET6 } from './constants.generated.js';
import { formatIPv4, formatIPv6, parseIPv4, parseIPv6 } from './ip-text.js';
import { prefix, show } from './messages.js';
import {
  lookupAsync, lookupName, lookupSync, numericIPv4, numericIPv6, type HostInput,
} from './resolve.js';
import {
  inet6AddressSchema, inetAddressSchema, type Inet6AddressResult, type InetAddressResult,
} from './schema.js';

const SIN_SIZE = layout('sockaddr_in');
const SIN_FAMILY = layout('sockaddr_in.sin_family');
const SIN_PORT = layout('sockaddr_in.sin_port');
const SIN_ADDR = layout('sockaddr_in.sin_addr');
const SIN6_SIZE = layout('sockaddr_in6');
const SIN6_FAMILY = layout('sockaddr_in6.sin6_family');
const SIN6_PORT = layout('sockaddr_in6.sin6_port');
const SIN6_FLOWINFO = layout('sockaddr_in6.sin6_flowinfo');
const SIN6_ADDR = layout('sockaddr_in6.sin6_addr');
const SIN6_SCOPE_ID = layout('sockaddr_in6.sin6_scope_id');

const LITTLE_ENDIAN = endianness() === 'LE';

const INET = 'AF_INET';
const INET6 = 'AF_INET6';
const INET_SHAPE = '[host: string, port: number]';
const INET6_SHAPE = '[host: string, port: number, flowinfo?: number, scope_id?: number]';
const MAX_PORT = 0xffff;
const MAX_FLOWINFO = 0xfffff;
const MAX_SCOPE_ID = 0xffffffff;

function writeHostU16(buf: Buffer, value: number, offset: number): void {
  if (LITTLE_ENDIAN) buf.writeUInt16LE(value, offset);
  else buf.writeUInt16BE(value, offset);
}

function writeHostU32(buf: Buffer, value: number, offset: number): void {
  if (LITTLE_ENDIAN) buf.writeUInt32LE(value, offset);
  else buf.writeUInt32BE(value, offset);
}

function readHostU32(buf: Buffer, offset: number): number {
  return LITTLE_ENDIAN ? buf.readUInt32LE(offset) : buf.readUInt32BE(offset);
}

function checkHost(host: unknown, ctx: AddressContext | undefined, name: string): HostInput {
  if (typeof host !== 'string' && !isBytesLike(host)) {
    throw new TypeError(`${prefix(ctx)}${name} host must be a string or bytes-like object, got ${show(host)}`);
  }
  if (hasNul(host)) throw new TypeError(`${prefix(ctx)}${name} host name must not contain null character`);
  return host;
}

function checkInteger(value: unknown, ctx: AddressContext | undefined, name: string, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${prefix(ctx)}${name} ${field} must be an integer, got ${show(value)}`);
  }
  return value;
}

function checkRange(value: number, max: number, ctx: AddressContext | undefined, name: string, field: string): void {
  if (value < 0 || value > max) {
    throw new RangeError(`${prefix(ctx)}${name} ${field} must be 0-${max}, got ${show(value)}`);
  }
}

/**
 * Validates an AF_INET address and starts its sockaddr: family and port
 * written, the address left zero.
 */
function startInet(address: unknown, ctx: AddressContext | undefined, buf: Buffer): HostInput {
  if (!Array.isArray(address) || address.length !== 2) {
    throw new TypeError(`${prefix(ctx)}${INET} address must be ${INET_SHAPE}, got ${show(address)}`);
  }
  const host = checkHost(address[0], ctx, INET);
  const port = checkInteger(address[1], ctx, INET, 'port');
  checkRange(port, MAX_PORT, ctx, INET, 'port');
  writeHostU16(buf, AF_INET, SIN_FAMILY);
  buf.writeUInt16BE(port, SIN_PORT);
  return host;
}

/**
 * Validates an AF_INET6 address and starts its sockaddr: family, port,
 * flowinfo and (when given) scope id written, the address left zero.
 */
function startInet6(address: unknown, ctx: AddressContext | undefined, buf: Buffer): HostInput {
  if (!Array.isArray(address) || address.length < 2 || address.length > 4) {
    throw new TypeError(`${prefix(ctx)}${INET6} address must be ${INET6_SHAPE}, got ${show(address)}`);
  }
  const length = address.length;
  const host = checkHost(address[0], ctx, INET6);
  const port = checkInteger(address[1], ctx, INET6, 'port');
  const flowinfo = length > 2 ? checkInteger(address[2], ctx, INET6, 'flowinfo') : 0;
  const scopeId = length > 3 ? checkInteger(address[3], ctx, INET6, 'scope_id') : 0;
  checkRange(port, MAX_PORT, ctx, INET6, 'port');
  checkRange(flowinfo, MAX_FLOWINFO, ctx, INET6, 'flowinfo');
  checkRange(scopeId, MAX_SCOPE_ID, ctx, INET6, 'scope_id');
  writeHostU16(buf, AF_INET6, SIN6_FAMILY);
  buf.writeUInt16BE(port, SIN6_PORT);
  buf.writeUInt32BE(flowinfo, SIN6_FLOWINFO);
  writeHostU32(buf, scopeId, SIN6_SCOPE_ID);
  return host;
}

function hostText(host: HostInput): string {
  return typeof host === 'string' ? host : bytesHostText(host);
}

/** Copies what a lookup found into an AF_INET6 sockaddr; the `%scope` only when the tuple had no scope_id. */
function fillInet6(buf: Buffer, found: Buffer, scopeGiven: boolean): Buffer {
  found.copy(buf, SIN6_ADDR, SIN6_ADDR, SIN6_ADDR + 16);
  if (!scopeGiven) found.copy(buf, SIN6_SCOPE_ID, SIN6_SCOPE_ID, SIN6_SCOPE_ID + 4);
  return buf;
}

/** `bytes` as at least `size` bytes: a zero-padded copy when the kernel gave fewer. */
function atLeast(bytes: Buffer, length: number, size: number): Buffer {
  if (length >= size && bytes.length >= size) return bytes;
  const padded = Buffer.alloc(size);
  bytes.copy(padded, 0, 0, Math.min(length, bytes.length, size));
  return padded;
}

/** Room for parseIPv6 when only checking that a host is a literal. */
const V6_SCRATCH = new Uint8Array(16);

/** The host of an address tuple needs no lookup (FamilyPlugin.stable). */
function numericHost(address: unknown, v6: boolean): boolean {
  const host = Array.isArray(address) ? address[0] : undefined;
  if (typeof host !== 'string') return false;
  if (host === '' || host === '<broadcast>') return true;
  return v6 ? !host.includes('%') && parseIPv6(host, V6_SCRATCH, 0) : parseIPv4(host) >= 0;
}

/** A family plugin of this package: the core contract plus the zod schema it documents. */
export interface InetFamilyPlugin<A> extends FamilyPlugin<A> {
  /** The zod schema of the addresses `encode` accepts. */
  readonly schema: typeof inetAddressSchema | typeof inet6AddressSchema;
}

/**
 * AF_INET: `[host, port]` to and from `struct sockaddr_in`.
 *
 * `encode` takes `''` as INADDR_ANY, `'<broadcast>'` and `'255.255.255.255'`
 * as INADDR_BROADCAST, a dotted quad as it is, and looks anything else up
 * with getaddrinfo(3) restricted to AF_INET (so `'127.1'` works and `'::1'`
 * raises `gaierror` EAI_ADDRFAMILY). `decode` returns `[dotted quad, port]`.
 *
 * @see https://man7.org/linux/man-pages/man7/ip.7.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const inetFamily: InetFamilyPlugin<InetAddressResult> = {
  family: AF_INET,
  name: INET,
  schema: inetAddressSchema,

  encode(address: unknown, ctx: AddressContext): Buffer {
    const buf = Buffer.allocUnsafe(SIN_SIZE).fill(0);
    const host = startInet(address, ctx, buf);
    const text = hostText(host);
    if (numericIPv4(text, buf, SIN_ADDR)) return buf;
    const name = lookupName(host, text, ctx, INET);
    if (name !== text && numericIPv4(name, buf, SIN_ADDR)) return buf;
    lookupSync(name, AF_INET).copy(buf, SIN_ADDR, SIN_ADDR, SIN_ADDR + 4);
    return buf;
  },

  encodeAsync(address: unknown, ctx: AddressContext): Buffer | Promise<Buffer> {
    const buf = Buffer.allocUnsafe(SIN_SIZE).fill(0);
    const host = startInet(address, ctx, buf);
    const text = hostText(host);
    if (numericIPv4(text, buf, SIN_ADDR)) return buf;
    const name = lookupName(host, text, ctx, INET);
    if (name !== text && numericIPv4(name, buf, SIN_ADDR)) return buf;
    return lookupAsync(name, AF_INET).then((found) => {
      found.copy(buf, SIN_ADDR, SIN_ADDR, SIN_ADDR + 4);
      return buf;
    });
  },

  stable(address: unknown): boolean {
    return numericHost(address, false);
  },

  decode(bytes: Buffer, length: number): InetAddressResult {
    const sa = atLeast(bytes, length, SIN_SIZE);
    return [formatIPv4(sa, SIN_ADDR), sa.readUInt16BE(SIN_PORT)];
  },
};

/**
 * AF_INET6: `[host, port, flowinfo?, scope_id?]` to and from
 * `struct sockaddr_in6`.
 *
 * `encode` takes `''` as in6addr_any and an IPv6 literal as it is; a literal
 * with `%scope` or a name is looked up with getaddrinfo(3) restricted to
 * AF_INET6. The scope id is the tuple's fourth item when there is one, else
 * the one getaddrinfo derived from `%scope`. (CPython always takes the
 * tuple's, 0 when absent, so there `'fe80::1%eth0'` loses its scope.)
 * `'<broadcast>'` raises `OSError('address family mismatched')`. `decode`
 * returns `[host, port, flowinfo, scope_id]` with the host as glibc's
 * inet_ntop(3) writes it.
 *
 * @see https://man7.org/linux/man-pages/man7/ipv6.7.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const inet6Family: InetFamilyPlugin<Inet6AddressResult> = {
  family: AF_INET6,
  name: INET6,
  schema: inet6AddressSchema,

  encode(address: unknown, ctx: AddressContext): Buffer {
    const buf = Buffer.allocUnsafe(SIN6_SIZE).fill(0);
    const host = startInet6(address, ctx, buf);
    const text = hostText(host);
    if (numericIPv6(text, buf, SIN6_ADDR)) return buf;
    const name = lookupName(host, text, ctx, INET6);
    if (name !== text && numericIPv6(name, buf, SIN6_ADDR)) return buf;
    return fillInet6(buf, lookupSync(name, AF_INET6), (address as readonly unknown[]).length > 3);
  },

  encodeAsync(address: unknown, ctx: AddressContext): Buffer | Promise<Buffer> {
    const buf = Buffer.allocUnsafe(SIN6_SIZE).fill(0);
    const host = startInet6(address, ctx, buf);
    const text = hostText(host);
    if (numericIPv6(text, buf, SIN6_ADDR)) return buf;
    const name = lookupName(host, text, ctx, INET6);
    if (name !== text && numericIPv6(name, buf, SIN6_ADDR)) return buf;
    const scopeGiven = (address as readonly unknown[]).length > 3;
    return lookupAsync(name, AF_INET6).then((found) => fillInet6(buf, found, scopeGiven));
  },

  stable(address: unknown): boolean {
    return numericHost(address, true);
  },

  decode(bytes: Buffer, length: number): Inet6AddressResult {
    const sa = atLeast(bytes, length, SIN6_SIZE);
    return [
      formatIPv6(sa, SIN6_ADDR),
      sa.readUInt16BE(SIN6_PORT),
      sa.readUInt32BE(SIN6_FLOWINFO),
      readHostU32(sa, SIN6_SCOPE_ID),
    ];
  },
};
