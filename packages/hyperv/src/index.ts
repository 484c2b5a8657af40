/**
 * `@bsdsock/hyperv`: Hyper-V sockets (AF_HYPERV) for bsdsock — the address
 * codec, the constants and the way to open one.
 *
 * AF_HYPERV exists on Windows only; Linux has no Hyper-V sockets (a Linux
 * guest talks to its Hyper-V host with AF_VSOCK, `@bsdsock/vsock`). So on
 * Linux, as in Python there:
 *
 * - `AF_HYPERV`, `HV_PROTOCOL_RAW` and `HVSOCKET_*` are not exported (the
 *   headers define none of them); Windows' values are in
 *   {@link hypervWindowsConstants};
 * - importing this package registers nothing with core: Windows' AF_HYPERV
 *   is 34, which is AF_ISDN on Linux, and the codec must not claim ISDN
 *   addresses;
 * - {@link hypervSocket} raises `OSError` EAFNOSUPPORT saying that
 *   AF_HYPERV needs Windows.
 *
 * The codec ({@link hypervFamily}: `[vm_id, service_id]` GUID strings to
 * and from `SOCKADDR_HV`), its schema, the GUID helpers and the `HV_GUID_*`
 * strings work everywhere. On a platform whose headers define AF_HYPERV
 * (Windows' 34), importing the package registers the codec, and
 * `hypervSocket()` opens real sockets.
 *
 * @example
 * ```ts
 * import { SOCK_STREAM } from '@bsdsock/core';
 * import { HV_GUID_PARENT, hypervFamily, hypervSocket, hypervWindowsConstants } from '@bsdsock/hyperv';
 *
 * const { AF_HYPERV, HV_PROTOCOL_RAW } = hypervWindowsConstants;
 * const ctx = { family: AF_HYPERV, type: SOCK_STREAM, proto: HV_PROTOCOL_RAW, caller: 'connect' };
 * const sockaddr = hypervFamily.encode([HV_GUID_PARENT, '00000000-facb-11e6-bd58-64006a7986d3'], ctx); // SOCKADDR_HV
 * hypervSocket(); // Linux: OSError [Errno 97] AF_HYPERV needs Windows: ...
 * ```
 * @see https://docs.python.org/3/library/socket.html#socket-families
 * @see https://learn.microsoft.com/virtualization/hyper-v-on-windows/user-guide/make-integration-service
 * @packageDocumentation
 */
import { registerFamily } from '@bsdsock/core';
import { hypervFamily } from './codec.js';
import { platformAfHyperv } from './socket.js';

if (platformAfHyperv !== undefined && platformAfHyperv === hypervFamily.family) registerFamily(hypervFamily);

export * from './constants.js';
export { hypervFamily, type HypervFamilyPlugin } from './codec.js';
export { hypervAddressSchema, guidSchema, type HypervAddress, type HypervAddressResult } from './schema.js';
export { guidToBytes, guidFromBytes, isGuid } from './guid.js';
export { hypervSocket, platformAfHyperv } from './socket.js';
