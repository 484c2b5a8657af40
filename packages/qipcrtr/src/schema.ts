/**
 * The AF_QIPCRTR address as a zod schema: what `bind`, `connect` and
 * `sendto` accept on a Qualcomm IPC router socket. The codec checks the same
 * rules by hand; the conformance suite proves that both agree.
 *
 * @packageDocumentation
 */
import { z } from 'zod';

/** A `__u32` of the address: a node id or a port number. */
export const qrtrU32Schema = z.number().int().min(0).max(0xffffffff);

/**
 * An AF_QIPCRTR address: `[node, port]`. `node` is a router node id (the
 * local node is what an unbound socket's `getsockname()` shows, 1 by
 * default), `port` a port on that node; binding to port 0 lets the kernel
 * pick one (from 16384 up), and `connect` or `sendto` bind an unbound
 * socket the same way. Binding a port below 16384 needs CAP_NET_ADMIN
 * (EACCES otherwise), and a node other than the local one is EINVAL. The
 * family has no man page; the address is `struct sockaddr_qrtr` of
 * `<linux/qrtr.h>`.
 *
 * CPython takes both as a C `unsigned int` without an overflow check (so
 * `-2` becomes 0xfffffffe, which the kernel then refuses); here a value
 * outside 0-4294967295 is a RangeError.
 *
 * @example
 * ```ts
 * const [node] = sock.getsockname();
 * sock.bind([node, 0]);                      // the kernel picks the port
 * await sock.sendto(data, [node, 16385]);    // another socket on this node
 * ```
 * @see https://github.com/torvalds/linux/blob/master/include/uapi/linux/qrtr.h
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const qrtrAddressSchema = z.tuple([qrtrU32Schema, qrtrU32Schema]).readonly();

/**
 * An AF_QIPCRTR address as given: `[node, port]`.
 *
 * @example
 * ```ts
 * const nameService: QrtrAddress = [1, QRTR_PORT_CTRL];
 * ```
 * @see https://github.com/torvalds/linux/blob/master/include/uapi/linux/qrtr.h
 */
export type QrtrAddress = z.output<typeof qrtrAddressSchema>;

/**
 * An AF_QIPCRTR address as bsdsock returns it (`getsockname`, `recvfrom`):
 * `[node, port]`, as Python's `(sq_node, sq_port)`.
 *
 * @example
 * ```ts
 * const [data, [node, port]] = await sock.recvfrom(4096);
 * ```
 * @see https://github.com/torvalds/linux/blob/master/include/uapi/linux/qrtr.h
 */
export type QrtrAddressResult = readonly [node: number, port: number];
