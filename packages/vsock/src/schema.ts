/**
 * The AF_VSOCK address as a zod schema: what `bind`, `connect` and
 * `sendto` accept on a vsock socket. The codec checks the same rules by
 * hand; the conformance suite proves that both agree.
 *
 * @packageDocumentation
 */
import { z } from 'zod';

/**
 * A context id or a port: an unsigned 32-bit number (`VMADDR_CID_ANY`,
 * `VMADDR_PORT_ANY` are 0xffffffff).
 *
 * @see https://man7.org/linux/man-pages/man7/vsock.7.html
 * @example
 * ```ts
 * vsockU32Schema.parse(VMADDR_CID_ANY);      // 4294967295
 * vsockU32Schema.safeParse(-1).success;      // false: too small
 * ```
 */
export const vsockU32Schema = z.number().int().min(0).max(0xffffffff);

/**
 * An AF_VSOCK address: `[cid, port]`, Python's `(CID, port)`. `cid` is the
 * context id of a virtual machine or its host: `VMADDR_CID_HOST` (2) is the
 * host, `VMADDR_CID_LOCAL` (1) this machine through the loopback
 * transport, `VMADDR_CID_ANY` binds to any; `port` is 0-4294967295,
 * `VMADDR_PORT_ANY` to let the kernel pick one. `localCid()` gives this
 * machine's CID.
 *
 * Difference from CPython, which takes both as a C `unsigned int` without
 * an overflow check (so `-1` becomes 0xffffffff): here a number outside
 * 0-4294967295 is a RangeError; pass `VMADDR_CID_ANY` / `VMADDR_PORT_ANY`.
 *
 * @example
 * ```ts
 * server.bind([VMADDR_CID_ANY, 1234]);
 * await client.connect([VMADDR_CID_HOST, 1234]);     // from a guest to its host
 * await client.connect([VMADDR_CID_LOCAL, 1234]);    // loopback (vsock_loopback)
 * ```
 * @see https://man7.org/linux/man-pages/man7/vsock.7.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const vsockAddressSchema = z.tuple([vsockU32Schema, vsockU32Schema]).readonly();

/**
 * An AF_VSOCK address as given: `[cid, port]` (see
 * {@link vsockAddressSchema}).
 *
 * @see https://man7.org/linux/man-pages/man7/vsock.7.html
 * @example
 * ```ts
 * const address: VsockAddress = [VMADDR_CID_HOST, 1234];
 * await sock.connect(address);
 * ```
 */
export type VsockAddress = z.output<typeof vsockAddressSchema>;

/**
 * An AF_VSOCK address as bsdsock returns it (`getsockname`, `getpeername`,
 * `accept`, `recvfrom`): `[cid, port]`, as Python's `(svm_cid, svm_port)`.
 * An unbound socket's is `[VMADDR_CID_ANY, VMADDR_PORT_ANY]`.
 *
 * @see https://man7.org/linux/man-pages/man7/vsock.7.html
 * @example
 * ```ts
 * const [conn, [peerCid, peerPort]] = await server.accept();
 * ```
 */
export type VsockAddressResult = readonly [cid: number, port: number];
