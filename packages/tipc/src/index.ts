/**
 * `@bsdsock/tipc`: the AF_TIPC address family for bsdsock — Transparent
 * Inter-Process Communication (tipc(7)) on Linux, the cluster messaging
 * protocol in which sockets publish service names and are reached by them.
 *
 * Importing this package registers AF_TIPC with `@bsdsock/core`, so that
 * TIPC sockets take and return Python's `(addr_type, v1, v2, v3, scope)`
 * addresses, and exports Python's `TIPC_*` constants and `SOL_TIPC`. TIPC
 * needs the kernel's `tipc` module; within one node it works without any
 * bearer or node address (the node is then 0).
 *
 * @example
 * ```ts
 * import { SOCK_RDM, Socket } from '@bsdsock/core';
 * import { AF_TIPC, TIPC_ADDR_NAME, TIPC_ADDR_NAMESEQ } from '@bsdsock/tipc';
 *
 * const srv = new Socket(AF_TIPC, SOCK_RDM);
 * srv.bind([TIPC_ADDR_NAMESEQ, 18888, 200, 210]);   // serve instances 200-210 of type 18888
 * const cli = new Socket(AF_TIPC, SOCK_RDM);
 * await cli.sendto(Buffer.from('hello'), [TIPC_ADDR_NAME, 18888, 205, 0]);
 * const [data, from] = await srv.recvfrom(1024);    // from: [TIPC_ADDR_ID, node, ref, 0, 0]
 * srv.close();
 * cli.close();
 * ```
 * @see https://man7.org/linux/man-pages/man7/tipc.7.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 * @packageDocumentation
 */
import { registerFamily } from '@bsdsock/core';
import { tipcFamily } from './codec.js';
import type { AF_TIPC } from './constants.generated.js';
import type { TipcAddressResult } from './schema.js';

declare module '@bsdsock/core' {
  /** A `Socket<typeof AF_TIPC>` returns `[addr_type, v1, v2, v3, scope]`. */
  interface AddressTypes {
    [AF_TIPC]: TipcAddressResult;
  }
}

registerFamily(tipcFamily);

export * from './constants.generated.js';
export { tipcFamily, type TipcFamilyPlugin } from './codec.js';
export {
  tipcAddressSchema,
  type TipcAddress,
  type TipcAddressResult,
  type TipcAddrType,
} from './schema.js';
