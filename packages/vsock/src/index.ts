/**
 * `@bsdsock/vsock`: the AF_VSOCK address family for bsdsock — VM sockets
 * (vsock(7)) between virtual machines and their host, or within one
 * machine through the loopback transport.
 *
 * Importing this package registers AF_VSOCK with `@bsdsock/core`, so that
 * vsock sockets take and return Python's `[cid, port]` addresses. It
 * exports Python's `VMADDR_*`, `SO_VM_SOCKETS_*`, `VM_SOCKETS_*` and
 * `IOCTL_VM_SOCKETS_GET_LOCAL_CID` constants, {@link localCid} and the u64
 * option helpers {@link getVsockOption} / {@link setVsockOption}.
 *
 * @example
 * ```ts
 * import { SOCK_STREAM, Socket } from '@bsdsock/core';
 * import { AF_VSOCK, VMADDR_CID_ANY, VMADDR_CID_LOCAL, VMADDR_PORT_ANY } from '@bsdsock/vsock';
 *
 * const server = new Socket(AF_VSOCK, SOCK_STREAM);
 * server.bind([VMADDR_CID_ANY, VMADDR_PORT_ANY]);
 * server.listen();
 * const [, port] = server.getsockname();
 * const client = new Socket(AF_VSOCK, SOCK_STREAM);
 * await client.connect([VMADDR_CID_LOCAL, port]);
 * const [conn, [peerCid, peerPort]] = await server.accept();
 * ```
 * @see https://man7.org/linux/man-pages/man7/vsock.7.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 * @packageDocumentation
 */
import { registerFamily } from '@bsdsock/core';
import { vsockFamily } from './codec.js';
import type { AF_VSOCK } from './constants.generated.js';
import type { VsockAddressResult } from './schema.js';

declare module '@bsdsock/core' {
  /** A `Socket<typeof AF_VSOCK>` returns `[cid, port]`. */
  interface AddressTypes {
    [AF_VSOCK]: VsockAddressResult;
  }
}

registerFamily(vsockFamily);

export * from './constants.generated.js';
export { vsockFamily, type VsockFamilyPlugin } from './codec.js';
export {
  vsockAddressSchema,
  vsockU32Schema,
  type VsockAddress,
  type VsockAddressResult,
} from './schema.js';
export { localCid } from './local-cid.js';
export { getVsockOption, setVsockOption } from './options.js';
