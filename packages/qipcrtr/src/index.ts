/**
 * `@bsdsock/qipcrtr`: the AF_QIPCRTR address family for bsdsock — the
 * Qualcomm IPC router (QRTR) of Linux, which carries messages between the
 * processors of Qualcomm SoCs, addressed by `[node, port]`.
 *
 * This package is built the way a package outside bsdsock would be: it uses
 * only `@bsdsock/core`'s public API — `registerFamily`, the `FamilyPlugin`
 * and `AddressTypes` types, the constants and the errors — and zod.
 *
 * Importing it registers AF_QIPCRTR with `@bsdsock/core`, so that QRTR
 * sockets (SOCK_DGRAM) take and return Python's `(node, port)` addresses.
 * The kernel needs the `qrtr` module; the local node works without any
 * Qualcomm hardware.
 *
 * @example
 * ```ts
 * import { SOCK_DGRAM, Socket } from '@bsdsock/core';
 * import { AF_QIPCRTR } from '@bsdsock/qipcrtr';
 *
 * const a = new Socket(AF_QIPCRTR, SOCK_DGRAM);
 * const [node] = a.getsockname();          // the local node, port 0 until bound
 * a.bind([node, 0]);                       // the kernel picks a port
 * const b = new Socket(AF_QIPCRTR, SOCK_DGRAM);
 * await b.sendto(Buffer.from('hi'), a.getsockname());
 * const [data, from] = await a.recvfrom(4096);   // from: [node, b's port]
 * a.close();
 * b.close();
 * ```
 * @see https://github.com/torvalds/linux/blob/master/include/uapi/linux/qrtr.h
 * @see https://docs.python.org/3/library/socket.html#socket-families
 * @packageDocumentation
 */
import { registerFamily } from '@bsdsock/core';
import type { AF_QIPCRTR } from '@bsdsock/core';
import { qrtrFamily } from './codec.js';
import type { QrtrAddressResult } from './schema.js';

declare module '@bsdsock/core' {
  /** A `Socket<typeof AF_QIPCRTR>` returns `[node, port]`. */
  interface AddressTypes {
    [AF_QIPCRTR]: QrtrAddressResult;
  }
}

registerFamily(qrtrFamily);

export * from './constants.js';
export { qrtrFamily, type QrtrFamilyPlugin } from './codec.js';
export {
  qrtrAddressSchema,
  type QrtrAddress,
  type QrtrAddressResult,
} from './schema.js';
