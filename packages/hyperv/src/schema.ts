/**
 * The AF_HYPERV address as a zod schema: the documented contract of what
 * the codec accepts. The codec checks the same rules by hand; the
 * conformance suite proves that both accept the same addresses and fail
 * with the same error class.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { isGuid } from './guid.js';

/**
 * A GUID string, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` in hex digits of either case (RPC's UuidFromString).
 *
 * @example
 * ```ts
 * guidSchema.safeParse(HV_GUID_PARENT).success; // true
 * ```
 */
export const guidSchema = z.string().refine(isGuid, { message: "must be a GUID 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx'" });

/**
 * An AF_HYPERV address: `[vm_id, service_id]`, two GUID strings, as
 * CPython 3.13 takes it on Windows. `vm_id` is a VM's id or one of the
 * `HV_GUID_*` wildcards; `service_id` the registered service's GUID.
 *
 * Difference from CPython, which raises `ValueError('<caller>(): AF_HYPERV
 * address vm_id is not a valid UUID string')`: a malformed GUID is a
 * TypeError, as every malformed address is here; the wrong shape is a
 * TypeError in both.
 *
 * @example
 * ```ts
 * hypervFamily.encode([HV_GUID_PARENT, '00000000-facb-11e6-bd58-64006a7986d3'], ctx);
 * ```
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const hypervAddressSchema = z.tuple([guidSchema, guidSchema]).readonly();

/**
 * An AF_HYPERV address as given: `[vm_id, service_id]`.
 *
 * @example
 * ```ts
 * const address: HypervAddress = [HV_GUID_LOOPBACK, '00000000-facb-11e6-bd58-64006a7986d3'];
 * ```
 */
export type HypervAddress = z.output<typeof hypervAddressSchema>;

/**
 * An AF_HYPERV address as returned: `[vm_id, service_id]`, both in lower case as Windows writes GUIDs.
 *
 * @example
 * ```ts
 * const [vmId, serviceId]: HypervAddressResult = hypervFamily.decode(bytes, 36, ctx);
 * ```
 */
export type HypervAddressResult = readonly [vmId: string, serviceId: string];
