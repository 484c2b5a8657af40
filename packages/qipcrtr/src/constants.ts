/**
 * The QIPCRTR constants: Python's `AF_QIPCRTR`, re-exported from
 * `@bsdsock/core` (which reads it from this machine's headers), and the two
 * well-known addresses of the kernel's Qualcomm IPC router ABI, written
 * here.
 *
 * Why two sources: `@bsdsock/core` exports every constant of Python's
 * socket module, so `AF_QIPCRTR` is core's and this package re-exports the
 * same binding. `QRTR_NODE_BCAST` and `QRTR_PORT_CTRL` are not socket-module
 * constants (Python has neither), and a package outside bsdsock cannot add
 * names to core's constant list; they belong to the kernel's user-space ABI,
 * `<linux/qrtr.h>`, which never renumbers.
 *
 * @packageDocumentation
 */
export { AF_QIPCRTR } from '@bsdsock/core';

// <linux/qrtr.h>: addresses with a meaning of their own.

/**
 * The node of a broadcast: `sendto(data, [QRTR_NODE_BCAST, QRTR_PORT_CTRL])`
 * reaches the control port of every node. Beyond Python's socket module.
 *
 * @example
 * ```ts
 * await sock.sendto(controlPacket, [QRTR_NODE_BCAST, QRTR_PORT_CTRL]);
 * ```
 * @see https://github.com/torvalds/linux/blob/master/include/uapi/linux/qrtr.h
 */
export const QRTR_NODE_BCAST = 0xffffffff;

/**
 * The control port of a node, where its name service listens (in the
 * kernel since Linux 5.7). Beyond Python's socket module.
 *
 * @example
 * ```ts
 * const [node] = sock.getsockname();
 * await sock.sendto(lookupPacket, [node, QRTR_PORT_CTRL]);
 * ```
 * @see https://github.com/torvalds/linux/blob/master/include/uapi/linux/qrtr.h
 */
export const QRTR_PORT_CTRL = 0xfffffffe;
