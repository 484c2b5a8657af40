/**
 * The AF_NETLINK family plugin: `[pid, groups]` to and from
 * `struct sockaddr_nl`, with CPython's semantics (`getsockaddrarg()` and
 * `makesockaddr()` in Modules/socketmodule.c).
 *
 * This package is built the way a package outside bsdsock would be: on
 * `@bsdsock/core`'s public API only. It therefore cannot read core's
 * compiled-in layouts (`@bsdsock/core/internal`), and takes the layout of
 * `struct sockaddr_nl` from the kernel ABI that netlink(7) documents, the
 * same on every Linux architecture:
 *
 * ```
 * struct sockaddr_nl {
 *     sa_family_t     nl_family;  // offset 0, u16, AF_NETLINK, host order
 *     unsigned short  nl_pad;     // offset 2, zero
 *     __u32           nl_pid;     // offset 4, port id, host order
 *     __u32           nl_groups;  // offset 8, multicast group mask, host order
 * };                              // 12 bytes
 * ```
 *
 * @packageDocumentation
 */
import type { AddressContext, FamilyPlugin } from '@bsdsock/core';
import { readU32, show, writeU16, writeU32 } from './bytes.js';
import { AF_NETLINK } from './constants.js';
import { netlinkAddressSchema, type NetlinkAddressResult } from './schema.js';

/** sizeof(struct sockaddr_nl). */
export const SOCKADDR_NL_SIZE = 12;
const NL_FAMILY = 0;
const NL_PID = 4;
const NL_GROUPS = 8;

const NETLINK = 'AF_NETLINK';
const MAX_U32 = 0xffffffff;

function prefix(ctx: AddressContext | undefined): string {
  return ctx?.caller ? `${ctx.caller}(): ` : '';
}

function checkInteger(value: unknown, ctx: AddressContext, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${prefix(ctx)}${NETLINK} ${field} must be an integer, got ${show(value)}`);
  }
  return value;
}

function checkRange(value: number, ctx: AddressContext, field: string): void {
  if (value < 0 || value > MAX_U32) {
    throw new RangeError(`${prefix(ctx)}${NETLINK} ${field} must be 0-${MAX_U32}, got ${show(value)}`);
  }
}

/** A family plugin of this package: the core contract plus the zod schema it documents. */
export interface NetlinkFamilyPlugin extends FamilyPlugin<NetlinkAddressResult> {
  /** The zod schema of the addresses `encode` accepts. */
  readonly schema: typeof netlinkAddressSchema;
}

/**
 * AF_NETLINK: `[pid, groups]` to and from `struct sockaddr_nl` (12 bytes).
 *
 * `encode` checks the pair (see {@link netlinkAddressSchema}) and writes
 * `nl_family`, `nl_pid` and `nl_groups` in host byte order. `decode`
 * returns `[nl_pid, nl_groups]`; bytes past what the kernel wrote read as
 * zero.
 *
 * @see https://man7.org/linux/man-pages/man7/netlink.7.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const netlinkFamily: NetlinkFamilyPlugin = {
  family: AF_NETLINK,
  name: NETLINK,
  schema: netlinkAddressSchema,

  encode(address: unknown, ctx: AddressContext): Buffer {
    if (!Array.isArray(address) || address.length !== 2) {
      throw new TypeError(`${prefix(ctx)}${NETLINK} address must be [pid: number, groups: number], got ${show(address)}`);
    }
    const pid = checkInteger(address[0], ctx, 'pid');
    const groups = checkInteger(address[1], ctx, 'groups');
    checkRange(pid, ctx, 'pid');
    checkRange(groups, ctx, 'groups');
    const buf = Buffer.alloc(SOCKADDR_NL_SIZE);
    writeU16(buf, AF_NETLINK, NL_FAMILY);
    writeU32(buf, pid, NL_PID);
    writeU32(buf, groups, NL_GROUPS);
    return buf;
  },

  decode(bytes: Buffer, length: number): NetlinkAddressResult {
    const avail = Math.min(length, bytes.length);
    let sa = bytes;
    if (avail < SOCKADDR_NL_SIZE) {
      sa = Buffer.alloc(SOCKADDR_NL_SIZE);
      bytes.copy(sa, 0, 0, avail);
    }
    return [readU32(sa, NL_PID), readU32(sa, NL_GROUPS)];
  },
};
