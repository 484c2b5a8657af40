/**
 * The Hyper-V socket constants.
 *
 * CPython 3.13 defines `AF_HYPERV`, `HV_PROTOCOL_RAW`, the `HVSOCKET_*`
 * options and the `HV_GUID_*` strings on Windows only, where Windows'
 * `<hvsocket.h>` defines them. Linux has no Hyper-V sockets and its headers
 * define none of these numbers, so this package exports no `AF_HYPERV`,
 * `HV_PROTOCOL_RAW` or `HVSOCKET_*` here, as Python has none (its
 * `constants.generated.ts` is empty on Linux). Windows' values are in
 * {@link hypervWindowsConstants}, for building and reading `SOCKADDR_HV`
 * bytes anywhere.
 *
 * The `HV_GUID_*` strings are exported everywhere, unlike in Python: they
 * are not platform numbers but fixed identifiers from Microsoft's
 * documentation, and the address codec that this package exports on every
 * platform needs them. Test for `AF_HYPERV` (as `'AF_HYPERV' in
 * hyperv`), not for them, to learn whether the platform has Hyper-V
 * sockets.
 *
 * @see https://learn.microsoft.com/virtualization/hyper-v-on-windows/user-guide/make-integration-service
 * @packageDocumentation
 */

/**
 * Windows' values of the Hyper-V socket constants that CPython 3.13 exports
 * on Windows (`ws2def.h`, `hvsocket.h`). On Linux they are only data:
 * `AF_HYPERV` is 34 on Windows, but 34 is `AF_ISDN` on Linux, so never pass
 * it to `new Socket()` there (see `hypervSocket()`).
 *
 * @example
 * ```ts
 * const { AF_HYPERV, HV_PROTOCOL_RAW } = hypervWindowsConstants;
 * hypervFamily.encode([HV_GUID_LOOPBACK, serviceId], { family: AF_HYPERV, type: SOCK_STREAM, proto: HV_PROTOCOL_RAW, caller: 'connect' });
 * ```
 */
export const hypervWindowsConstants = Object.freeze({
  /** The Hyper-V socket address family (Windows). */
  AF_HYPERV: 34,
  /** The one Hyper-V socket protocol. */
  HV_PROTOCOL_RAW: 1,
  /** Socket option (level HV_PROTOCOL_RAW): connect timeout in milliseconds. */
  HVSOCKET_CONNECT_TIMEOUT: 1,
  /** The largest HVSOCKET_CONNECT_TIMEOUT, 300 000 ms. */
  HVSOCKET_CONNECT_TIMEOUT_MAX: 300000,
  /** Socket option: keep the connection while the VM is suspended. */
  HVSOCKET_CONNECTED_SUSPEND: 4,
  /** Address flag: pass the connection through to a container's host. */
  HVSOCKET_ADDRESS_FLAG_PASSTHRU: 1,
} as const);

/**
 * The zero GUID: as `vm_id`, listen for connections from all partitions.
 * CPython's `socket.HV_GUID_ZERO` (Windows).
 *
 * @example
 * ```ts
 * listener.bind([HV_GUID_ZERO, serviceId]);
 * ```
 */
export const HV_GUID_ZERO = '00000000-0000-0000-0000-000000000000';

/**
 * The wildcard `vm_id`, the same GUID as {@link HV_GUID_ZERO}: listen for
 * connections from all partitions. CPython's `socket.HV_GUID_WILDCARD`.
 *
 * @example
 * ```ts
 * listener.bind([HV_GUID_WILDCARD, serviceId]);
 * ```
 */
export const HV_GUID_WILDCARD = '00000000-0000-0000-0000-000000000000';

/**
 * The broadcast `vm_id`, all bits set. CPython's `socket.HV_GUID_BROADCAST`.
 *
 * @example
 * ```ts
 * guidToBytes(HV_GUID_BROADCAST); // 16 bytes of ff
 * ```
 */
export const HV_GUID_BROADCAST = 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF';

/**
 * The `vm_id` of the children partitions: listen for connections from
 * them. CPython's `socket.HV_GUID_CHILDREN`.
 *
 * @example
 * ```ts
 * listener.bind([HV_GUID_CHILDREN, serviceId]);
 * ```
 */
export const HV_GUID_CHILDREN = '90DB8B89-0D35-4F79-8CE9-49EA0AC8B7CD';

/**
 * The loopback `vm_id`: connect to the same partition. CPython's
 * `socket.HV_GUID_LOOPBACK`.
 *
 * @example
 * ```ts
 * await sock.connect([HV_GUID_LOOPBACK, serviceId]);
 * ```
 */
export const HV_GUID_LOOPBACK = 'E0E16197-DD56-4A10-9195-5EE7A155A838';

/**
 * The parent partition's `vm_id`: from a VM or container, connect to its
 * host; as a bind address, accept connections from it. CPython's
 * `socket.HV_GUID_PARENT`.
 *
 * @example
 * ```ts
 * await sock.connect([HV_GUID_PARENT, serviceId]);
 * ```
 */
export const HV_GUID_PARENT = 'A42E7CDA-D03F-480C-9CC2-A4DE20ABB878';
