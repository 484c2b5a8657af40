/**
 * The AF_QIPCRTR family plugin: `[node, port]` to and from
 * `struct sockaddr_qrtr`, with CPython's semantics (`getsockaddrarg()` and
 * `makesockaddr()` in Modules/socketmodule.c).
 *
 * This package is built the way a package outside bsdsock would be: on
 * `@bsdsock/core`'s public API only. It therefore cannot read core's
 * compiled-in layouts (`@bsdsock/core/internal`), and takes the layout of
 * `struct sockaddr_qrtr` from the kernel's user-space ABI,
 * `<linux/qrtr.h>`, the same on every Linux architecture:
 *
 * ```
 * struct sockaddr_qrtr {
 *     __kernel_sa_family_t sq_family;  // offset 0, u16, AF_QIPCRTR, host order
 *                                      // offset 2, 2 bytes of padding (u32 alignment)
 *     __u32                sq_node;    // offset 4, node id, host order
 *     __u32                sq_port;    // offset 8, port, host order
 * };                                   // 12 bytes
 * ```
 *
 * @packageDocumentation
 */
import { endianness } from 'node:os';
import type { AddressContext, FamilyPlugin } from '@bsdsock/core';
import { AF_QIPCRTR } from './constants.js';
import { prefix, show } from './messages.js';
import { qrtrAddressSchema, type QrtrAddressResult } from './schema.js';

/** sizeof(struct sockaddr_qrtr). */
export const SOCKADDR_QRTR_SIZE = 12;
const SQ_FAMILY = 0;
const SQ_NODE = 4;
const SQ_PORT = 8;

const LITTLE_ENDIAN = endianness() === 'LE';
const QIPCRTR = 'AF_QIPCRTR';
const MAX_U32 = 0xffffffff;

function checkInteger(value: unknown, ctx: AddressContext, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${prefix(ctx)}${QIPCRTR} ${field} must be an integer, got ${show(value)}`);
  }
  return value;
}

function checkRange(value: number, ctx: AddressContext, field: string): void {
  if (value < 0 || value > MAX_U32) {
    throw new RangeError(`${prefix(ctx)}${QIPCRTR} ${field} must be 0-${MAX_U32}, got ${show(value)}`);
  }
}

/**
 * The AF_QIPCRTR family plugin's type: core's `FamilyPlugin` contract plus
 * the zod schema it documents.
 *
 * @example
 * ```ts
 * const [node, port] = qrtrFamily.schema.parse([1, 16384]);
 * ```
 * @see https://github.com/torvalds/linux/blob/master/include/uapi/linux/qrtr.h
 */
export interface QrtrFamilyPlugin extends FamilyPlugin<QrtrAddressResult> {
  /** The zod schema of the addresses `encode` accepts. */
  readonly schema: typeof qrtrAddressSchema;
}

/**
 * AF_QIPCRTR: `[node, port]` to and from `struct sockaddr_qrtr` (12 bytes).
 *
 * `encode` checks the pair (see {@link qrtrAddressSchema}) and writes
 * `sq_family`, `sq_node` and `sq_port` in host byte order; the addrlen is
 * 12. `decode` returns `[sq_node, sq_port]`, as CPython's `"II"`; bytes past
 * what the kernel wrote read as zero.
 *
 * @example
 * ```ts
 * qrtrFamily.encode([1, 16384], { family: AF_QIPCRTR, type: SOCK_DGRAM, proto: 0, caller: 'sendto' });
 * // <Buffer 2a 00 00 00 01 00 00 00 00 40 00 00>
 * ```
 * @see https://github.com/torvalds/linux/blob/master/include/uapi/linux/qrtr.h
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const qrtrFamily: QrtrFamilyPlugin = {
  family: AF_QIPCRTR,
  name: QIPCRTR,
  schema: qrtrAddressSchema,

  encode(address: unknown, ctx: AddressContext): Buffer {
    if (!Array.isArray(address) || address.length !== 2) {
      throw new TypeError(`${prefix(ctx)}${QIPCRTR} address must be [node: number, port: number], got ${show(address)}`);
    }
    const node = checkInteger(address[0], ctx, 'node');
    const port = checkInteger(address[1], ctx, 'port');
    checkRange(node, ctx, 'node');
    checkRange(port, ctx, 'port');
    const buf = Buffer.alloc(SOCKADDR_QRTR_SIZE);
    if (LITTLE_ENDIAN) {
      buf.writeUInt16LE(AF_QIPCRTR, SQ_FAMILY);
      buf.writeUInt32LE(node, SQ_NODE);
      buf.writeUInt32LE(port, SQ_PORT);
    } else {
      buf.writeUInt16BE(AF_QIPCRTR, SQ_FAMILY);
      buf.writeUInt32BE(node, SQ_NODE);
      buf.writeUInt32BE(port, SQ_PORT);
    }
    return buf;
  },

  decode(bytes: Buffer, length: number): QrtrAddressResult {
    const avail = Math.min(length, bytes.length);
    let sa = bytes;
    if (avail < SOCKADDR_QRTR_SIZE) {
      sa = Buffer.alloc(SOCKADDR_QRTR_SIZE);
      bytes.copy(sa, 0, 0, avail);
    }
    return LITTLE_ENDIAN
      ? [sa.readUInt32LE(SQ_NODE), sa.readUInt32LE(SQ_PORT)]
      : [sa.readUInt32BE(SQ_NODE), sa.readUInt32BE(SQ_PORT)];
  },
};
