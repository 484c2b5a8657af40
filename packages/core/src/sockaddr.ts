/**
 * Addresses between Python's tuples and the kernel's sockaddr bytes, through
 * the family registry. An unregistered family uses `[family, Buffer]`: the
 * family number and the whole raw sockaddr.
 *
 * @packageDocumentation
 */
import { endianness } from 'node:os';
import { layouts } from './layouts.js';
import { type AddressContext, type FamilyPlugin, getFamily } from './family.js';
import { typeName } from './validators.js';

/** An address as the methods take and return it; its shape depends on the family. */
export type Address = unknown;

const SOCKADDR_STORAGE = layouts.sockaddr_storage as number;
const SA_FAMILY_OFFSET = layouts['sockaddr.sa_family'] as number;

/**
 * The buffer every native call writes a sockaddr into. One per environment:
 * each syscall's address is decoded before the next call can overwrite it.
 */
export const addrScratch: Buffer = Buffer.alloc(SOCKADDR_STORAGE);

const LITTLE_ENDIAN = endianness() === 'LE';

/** A host-byte-order u16 (such as `sa_family`) from sockaddr bytes. */
export function readHostU16(bytes: Buffer, offset: number): number {
  return LITTLE_ENDIAN ? bytes.readUInt16LE(offset) : bytes.readUInt16BE(offset);
}

function rawEncode(address: unknown, ctx: AddressContext): Buffer {
  if (
    !Array.isArray(address) ||
    address.length !== 2 ||
    typeof address[0] !== 'number' ||
    !ArrayBuffer.isView(address[1])
  ) {
    throw new TypeError(
      `${ctx.caller}(): address family ${ctx.family} has no registered codec: give the raw sockaddr as [family: number, bytes: Buffer], got ${typeName(address)}`,
    );
  }
  const view = address[1] as ArrayBufferView;
  const bytes = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  if (bytes.length > SOCKADDR_STORAGE) {
    throw new RangeError(`${ctx.caller}(): a raw sockaddr is at most ${SOCKADDR_STORAGE} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/**
 * An address validated and encoded once, for reuse: pass it wherever an
 * address is taken (sendto, sendmsg, sendmmsg, connect, bind) to skip the
 * validation and encoding of a tuple on every call.
 *
 * @example
 * ```ts
 * const dest = EncodedAddress.of(sock, ['127.0.0.1', 9000]);
 * for (const packet of packets) await sock.sendto(packet, dest);
 * ```
 */
export class EncodedAddress {
  private constructor(
    /** The address family it was encoded for. */
    readonly family: number,
    /** The sockaddr bytes. */
    readonly bytes: Buffer,
  ) {}

  /**
   * Encodes `address` for sockets like `sock` (its family, type and proto);
   * a host name is resolved now, on this thread.
   */
  static of(sock: { family: number; type: number; proto: number }, address: unknown): EncodedAddress {
    const ctx = { family: sock.family, type: sock.type, proto: sock.proto, caller: 'EncodedAddress.of' };
    return new EncodedAddress(sock.family, Buffer.from(encodeAddress(address, ctx)));
  }
}

function encodedBytes(address: EncodedAddress, ctx: AddressContext): Buffer {
  if (address.family !== ctx.family) {
    throw new TypeError(`${ctx.caller}(): this address was encoded for family ${address.family}, not ${ctx.family}`);
  }
  return address.bytes;
}

/** Encodes an address for the socket described by `ctx`, resolving names on this thread. */
export function encodeAddress(address: unknown, ctx: AddressContext): Buffer {
  if (address instanceof EncodedAddress) return encodedBytes(address, ctx);
  const plugin = getFamily(ctx.family);
  return plugin === undefined ? rawEncode(address, ctx) : plugin.encode(address, ctx);
}

function isPrimitive(v: unknown): boolean {
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'bigint' || t === 'boolean';
}

/**
 * The last address a socket sent to, kept encoded while the caller keeps
 * passing an equal one (the same string, or an array of the same primitive
 * items): a sendto loop to one peer validates and encodes it once. Only an
 * address its plugin calls {@link FamilyPlugin.stable} is kept (a host name
 * is looked up again on every call, as Python does), and only while that
 * plugin is still the registered one.
 */
export class EncodeCache {
  private key: unknown = undefined;
  private items: unknown[] | undefined = undefined;
  private bytes: Buffer | undefined = undefined;
  private plugin: FamilyPlugin | undefined = undefined;

  /** The kept bytes if `address` equals the kept address (never modify them). */
  lookup(address: unknown, ctx: AddressContext): Buffer | undefined {
    const bytes = this.bytes;
    if (bytes === undefined || getFamily(ctx.family) !== this.plugin) return undefined;
    if (address === this.key && isPrimitive(address)) return bytes;
    const items = this.items;
    if (items === undefined || !Array.isArray(address) || address.length !== items.length) return undefined;
    for (let i = 0; i < items.length; i++) if (address[i] !== items[i]) return undefined;
    return bytes;
  }

  /** Keeps `bytes`, what `address` just encoded to, if its plugin calls it stable. */
  keep(address: unknown, ctx: AddressContext, bytes: Buffer): void {
    const plugin = getFamily(ctx.family);
    if (plugin?.stable === undefined) return;
    const items = Array.isArray(address) && address.length <= 8 && address.every(isPrimitive)
      ? address.slice() : undefined;
    if ((items === undefined && !isPrimitive(address)) || !plugin.stable(address)) return;
    this.key = items === undefined ? address : undefined;
    this.items = items;
    this.bytes = bytes;
    this.plugin = plugin;
  }

  /** The sockaddr bytes of `address`, resolving names on this thread (see {@link encodeAddress}). */
  encode(address: unknown, ctx: AddressContext): Buffer {
    const hit = this.lookup(address, ctx);
    if (hit !== undefined) return hit;
    const bytes = encodeAddress(address, ctx);
    this.keep(address, ctx, bytes);
    return bytes;
  }

  /** The same without blocking the event loop (see {@link encodeAddressAsync}). */
  encodeAsync(address: unknown, ctx: AddressContext): Buffer | Promise<Buffer> {
    const hit = this.lookup(address, ctx);
    if (hit !== undefined) return hit;
    const bytes = encodeAddressAsync(address, ctx);
    if (!(bytes instanceof Promise)) this.keep(address, ctx, bytes);
    return bytes;
  }
}

/** The same without blocking the event loop: a Buffer when no lookup is needed. */
export function encodeAddressAsync(address: unknown, ctx: AddressContext): Buffer | Promise<Buffer> {
  if (address instanceof EncodedAddress) return encodedBytes(address, ctx);
  const plugin = getFamily(ctx.family);
  if (plugin === undefined) return rawEncode(address, ctx);
  return plugin.encodeAsync !== undefined ? plugin.encodeAsync(address, ctx) : plugin.encode(address, ctx);
}

/**
 * Decodes `length` bytes of `bytes` (a sockaddr the kernel wrote). A zero
 * length is `null`, as Python's `None`. The plugin is chosen by the
 * sockaddr's own `sa_family`, falling back to the socket's family.
 */
export function decodeAddress(bytes: Buffer, length: number, ctx: AddressContext): Address {
  if (length <= 0) return null;
  const family = length >= SA_FAMILY_OFFSET + 2 ? readHostU16(bytes, SA_FAMILY_OFFSET) : ctx.family;
  // The kernel may report another family than the socket's (AF_RDS
  // sockets have AF_INET addresses): its own plugin decodes it if one is
  // registered, else the socket's family's, which knows that form.
  const plugin = getFamily(family === 0 ? ctx.family : family) ?? getFamily(ctx.family);
  if (plugin === undefined) return [family, Buffer.from(bytes.subarray(0, length))];
  return plugin.decode(bytes, length, ctx);
}
