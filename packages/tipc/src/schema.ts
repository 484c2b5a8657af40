/**
 * The AF_TIPC address as a zod schema: the documented contract of what
 * `bind`, `connect` and `sendto` accept on a TIPC socket. The codec checks
 * the same rules by hand; the conformance suite proves that both accept the
 * same addresses and fail with the same error class.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { TIPC_ADDR_ID, TIPC_ADDR_NAME, TIPC_ADDR_NAMESEQ } from './constants.generated.js';

/**
 * The kind of a TIPC address, the first item of the tuple:
 * `TIPC_ADDR_NAMESEQ` (a service range), `TIPC_ADDR_NAME` (a service
 * address) or `TIPC_ADDR_ID` (a socket).
 *
 * @example
 * ```ts
 * const kind: TipcAddrType = TIPC_ADDR_NAME;
 * ```
 * @see https://man7.org/linux/man-pages/man7/tipc.7.html
 */
export type TipcAddrType = typeof TIPC_ADDR_NAMESEQ | typeof TIPC_ADDR_NAME | typeof TIPC_ADDR_ID;

/**
 * `addr_type`: one of the three kinds of address. Any other number is a
 * TypeError, as CPython's `Invalid address type` is.
 */
export const tipcAddrTypeSchema = z.union([
  z.literal(TIPC_ADDR_NAMESEQ),
  z.literal(TIPC_ADDR_NAME),
  z.literal(TIPC_ADDR_ID),
]);

/** A `__u32` of the address: a service type, an instance, a node or a port reference. */
export const tipcU32Schema = z.number().int().min(0).max(0xffffffff);

/**
 * `scope`, the `signed char` of `struct sockaddr_tipc`: `TIPC_NODE_SCOPE`,
 * `TIPC_CLUSTER_SCOPE` (the default) or the deprecated `TIPC_ZONE_SCOPE`;
 * on `bind`, a negated scope withdraws the binding instead of making it.
 */
export const tipcScopeSchema = z.number().int().min(-128).max(127);

/**
 * An AF_TIPC address as given: `[addr_type, v1, v2, v3, scope?]`, Python's
 * 4- or 5-tuple. What `v1`-`v3` mean depends on `addr_type`:
 *
 * | addr_type | v1 | v2 | v3 | written to |
 * |---|---|---|---|---|
 * | `TIPC_ADDR_NAMESEQ` | service type | lower instance | upper instance | `addr.nameseq` (a service range: `bind` publishes it) |
 * | `TIPC_ADDR_NAME` | service type | instance | ignored | `addr.name.name`, domain 0 (a service address: `connect`/`sendto` look it up) |
 * | `TIPC_ADDR_ID` | node | port reference | ignored | `addr.id` (one socket, as `getsockname` returns it) |
 *
 * `scope` defaults to `TIPC_CLUSTER_SCOPE`. Service types below 64 are
 * reserved by the kernel (`bind` raises PermissionError), and `bind` takes
 * a service range or name, never an ID (EAFNOSUPPORT).
 *
 * Differences from CPython, which parses `v1`-`v3` and `scope` as C
 * `unsigned int` without an overflow check (so `-1` becomes 0xffffffff, and
 * `scope` is then truncated to the struct's `signed char`): here `v1`-`v3`
 * outside 0-4294967295 and `scope` outside -128-127 are RangeErrors.
 *
 * @example
 * ```ts
 * srv.bind([TIPC_ADDR_NAMESEQ, 18888, 0, 99]);                // publish {18888, 0-99} in the cluster
 * srv.bind([TIPC_ADDR_NAMESEQ, 18888, 0, 99, -TIPC_CLUSTER_SCOPE]); // withdraw it again
 * await cli.sendto(data, [TIPC_ADDR_NAME, 18888, 5, 0]);     // to whoever serves instance 5
 * await cli.sendto(data, [TIPC_ADDR_ID, node, ref, 0]);      // to one socket
 * ```
 * @see https://man7.org/linux/man-pages/man7/tipc.7.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const tipcAddressSchema = z
  .tuple([tipcAddrTypeSchema, tipcU32Schema, tipcU32Schema, tipcU32Schema, tipcScopeSchema.optional()])
  .readonly();

/**
 * An AF_TIPC address as given: `[addr_type, v1, v2, v3, scope?]` (see
 * {@link tipcAddressSchema}).
 *
 * @example
 * ```ts
 * const service: TipcAddress = [TIPC_ADDR_NAMESEQ, 18888, 0, 99, TIPC_NODE_SCOPE];
 * ```
 * @see https://man7.org/linux/man-pages/man7/tipc.7.html
 */
export type TipcAddress = z.output<typeof tipcAddressSchema>;

/**
 * An AF_TIPC address as bsdsock returns it (`getsockname`, `getpeername`,
 * `recvfrom`, `accept`): always five items, as Python's
 * `(addr_type, v1, v2, v3, scope)`. A service range comes back as
 * `[TIPC_ADDR_NAMESEQ, type, lower, upper, scope]`, a service address as
 * `[TIPC_ADDR_NAME, type, instance, instance, scope]` (the instance twice,
 * as CPython returns it), a socket as `[TIPC_ADDR_ID, node, ref, 0, scope]`.
 * The kernel returns socket addresses (TIPC_ADDR_ID) with scope 0.
 *
 * @example
 * ```ts
 * const sock = new Socket(AF_TIPC, SOCK_RDM);
 * const [addrType, node, ref] = sock.getsockname();   // TIPC_ADDR_ID, 0 without a node address, the port
 * ```
 * @see https://man7.org/linux/man-pages/man7/tipc.7.html
 */
export type TipcAddressResult = readonly [addrType: TipcAddrType, v1: number, v2: number, v3: number, scope: number];
