/**
 * The AF_NETLINK address as a zod schema: what `bind`, `connect` and
 * `sendto` accept on a netlink socket. The codec checks the same rules by
 * hand; the conformance suite proves that both agree.
 *
 * @packageDocumentation
 */
import { z } from 'zod';

/** An unsigned 32-bit number: a port id or a group mask. */
export const u32Schema = z.number().int().min(0).max(0xffffffff);

/**
 * An AF_NETLINK address: `[pid, groups]`. `pid` is the port id (0 is the
 * kernel as a destination; binding to 0 lets the kernel pick one), `groups`
 * a bit mask of multicast groups (RTMGRP_* for NETLINK_ROUTE).
 *
 * CPython takes both as a C `unsigned int` without an overflow check (so
 * `-1` becomes 0xffffffff); here a value outside 0-4294967295 is a
 * RangeError.
 *
 * @example
 * ```ts
 * sock.bind([0, 0]);                          // the kernel assigns the port id
 * sock.bind([0, RTMGRP_LINK]);                // and joins the link-change group
 * await sock.sendto(request, [0, 0]);         // to the kernel
 * ```
 * @see https://man7.org/linux/man-pages/man7/netlink.7.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const netlinkAddressSchema = z.tuple([u32Schema, u32Schema]).readonly();

/** An AF_NETLINK address as given: `[pid, groups]`. */
export type NetlinkAddress = z.output<typeof netlinkAddressSchema>;

/** An AF_NETLINK address as bsdsock returns it: `[pid, groups]`. */
export type NetlinkAddressResult = readonly [pid: number, groups: number];
