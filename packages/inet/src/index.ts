/**
 * `@bsdsock/inet`: the AF_INET and AF_INET6 address families for bsdsock.
 *
 * Importing this package registers both families with `@bsdsock/core`, so
 * that sockets of those families take and return Python's address tuples:
 * `[host, port]` for IPv4 and `[host, port, flowinfo, scope_id]` for IPv6.
 * It also holds Python's IP module functions: the resolver (`getaddrinfo`,
 * `getnameinfo`, `gethostbyname`, ...), the address conversions
 * (`inetAton`, `inetPton`, ...), the byte-order helpers (`htons`, ...),
 * `createConnection` (with Happy Eyeballs), `createServer`, a TCP_INFO
 * decoder, and the IP constants (`IPPROTO_*`, `IP_*`, `IPV6_*`, `TCP_*`,
 * `EAI_*`, `AI_*`, `NI_*`, ...).
 *
 * @example
 * ```ts
 * import { Socket, SOCK_STREAM } from '@bsdsock/core';
 * import { AF_INET } from '@bsdsock/inet';
 *
 * const server = new Socket(AF_INET, SOCK_STREAM);
 * server.bind(['127.0.0.1', 0]);
 * server.listen();
 * console.log(server.getsockname());   // ['127.0.0.1', 40123]
 * ```
 * @see https://docs.python.org/3/library/socket.html#socket-families
 * @packageDocumentation
 */
import { registerFamily } from '@bsdsock/core';
import { inet6Family, inetFamily } from './codec.js';
import type { AF_INET, AF_INET6 } from './constants.generated.js';
import type { Inet6AddressResult, InetAddressResult } from './schema.js';

declare module '@bsdsock/core' {
  /** A `Socket<typeof AF_INET>` returns `[host, port]`; AF_INET6 `[host, port, flowinfo, scope_id]`. */
  interface AddressTypes {
    [AF_INET]: InetAddressResult;
    [AF_INET6]: Inet6AddressResult;
  }
}

registerFamily(inetFamily);
registerFamily(inet6Family);

export * from './constants.generated.js';
export { htonl, htons, ntohl, ntohs } from './byte-order.js';
export { inetAton, inetNtoa, inetNtop, inetPton } from './conversions.js';
export {
  getaddrinfo, getaddrinfoSync, getnameinfo, getnameinfoSync, gethostbyname, gethostbynameSync,
  gethostbynameEx, gethostbynameExSync, gethostbyaddr, gethostbyaddrSync, getfqdn, getfqdnSync,
  getprotobyname, getservbyname, getservbyport,
  type AddrInfo, type HostArg, type HostEntry, type InetSockaddr, type PortArg,
} from './resolver.js';
export {
  createConnection, createConnectionSync,
  type CreateConnectionOptions, type CreateConnectionSyncOptions, type HappyEyeballsOptions,
} from './create-connection.js';
export { createServer, hasDualstackIpv6, has_ipv6, type CreateServerOptions } from './create-server.js';
export { decodeTcpInfo, tcpInfo, tcpInfoSize, type TcpInfo } from './tcp-info.js';
export { inetFamily, inet6Family, type InetFamilyPlugin } from './codec.js';
export {
  flowinfoSchema,
  inet6AddressSchema,
  inetAddressSchema,
  inetHostSchema,
  portSchema,
  scopeIdSchema,
  type Inet6Address,
  type Inet6AddressResult,
  type InetAddress,
  type InetAddressResult,
} from './schema.js';
