/**
 * `@bsdsock/rds`: the AF_RDS address family for bsdsock — Reliable Datagram
 * Sockets on Linux: reliable, ordered datagrams between sockets addressed
 * like IPv4 ones, over the loopback, TCP or InfiniBand transports.
 *
 * This package is built the way a package outside bsdsock would be: it uses
 * only `@bsdsock/core`'s public API — `registerFamily` and `getFamily`, the
 * `FamilyPlugin` and `AddressTypes` types, the constants and the errors —
 * and zod.
 *
 * Importing it registers AF_RDS (`PF_RDS`) with `@bsdsock/core`, so that
 * RDS sockets (SOCK_SEQPACKET) take Python's `(host, port)` addresses, and
 * re-exports Python's `AF_RDS`, `PF_RDS`, `SOL_RDS` and `RDS_*` constants
 * from core. The kernel writes RDS addresses as AF_INET sockaddrs, which
 * core decodes with the AF_INET family, and host names are resolved by that
 * family too: import `@bsdsock/inet` (or `bsdsock`) with this package to
 * get `[host, port]` back from `recvfrom` and `getsockname` and to use
 * names.
 *
 * @example
 * ```ts
 * import { SOCK_SEQPACKET, Socket } from '@bsdsock/core';
 * import '@bsdsock/inet';
 * import { PF_RDS } from '@bsdsock/rds';
 *
 * const serv = new Socket(PF_RDS, SOCK_SEQPACKET);
 * serv.bind(['127.0.0.1', 0]);
 * const cli = new Socket(PF_RDS, SOCK_SEQPACKET);
 * cli.bind(['127.0.0.1', 0]);                       // both ends must be bound
 * await cli.sendto(Buffer.from('hello'), 0, serv.getsockname());
 * const [data, from] = await serv.recvfrom(8192);   // from: cli.getsockname()
 * serv.close();
 * cli.close();
 * ```
 * @see https://docs.kernel.org/networking/rds.html
 * @see https://manned.org/rds.7
 * @see https://docs.python.org/3/library/socket.html#socket-families
 * @packageDocumentation
 */
import { registerFamily } from '@bsdsock/core';
import type { AF_RDS } from '@bsdsock/core';
import { rdsFamily } from './codec.js';
import type { RdsAddressResult, RdsUnboundAddress } from './schema.js';

declare module '@bsdsock/core' {
  /** A `Socket<typeof AF_RDS>` returns `[host, port]`, or `[0, sa_data]` while unbound. */
  interface AddressTypes {
    [AF_RDS]: RdsAddressResult | RdsUnboundAddress;
  }
}

registerFamily(rdsFamily);

export * from './constants.js';
export { rdsFamily, type RdsFamilyPlugin } from './codec.js';
export {
  rdsAddressSchema,
  type RdsAddress,
  type RdsAddressResult,
  type RdsUnboundAddress,
} from './schema.js';
