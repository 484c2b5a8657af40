/**
 * The AF_HYPERV family plugin: `[vm_id, service_id]` to and from Windows'
 * `SOCKADDR_HV`, with CPython 3.13's semantics (`getsockaddrarg()` and
 * `makesockaddr()` in Modules/socketmodule.c, under HAVE_AF_HYPERV).
 *
 * `SOCKADDR_HV` (hvsocket.h), 36 bytes, little-endian as Windows always is:
 *
 * | offset | field | |
 * |---|---|---|
 * | 0 | `ADDRESS_FAMILY Family` | u16, `AF_HYPERV` (34) |
 * | 2 | `USHORT Reserved` | u16, 0 |
 * | 4 | `GUID VmId` | 16 bytes, mixed-endian (see guid.ts) |
 * | 20 | `GUID ServiceId` | 16 bytes |
 *
 * @packageDocumentation
 */
import { OSError, type AddressContext, type FamilyPlugin } from '@bsdsock/core';
import { prefix, show, zeroPadded } from '@bsdsock/core/internal';
import { hypervWindowsConstants } from './constants.js';
import { formatGuidAt, guidBytes, isGuid, GUID_SIZE } from './guid.js';
import { hypervAddressSchema, type HypervAddressResult } from './schema.js';

const { AF_HYPERV, HV_PROTOCOL_RAW } = hypervWindowsConstants;
const FAMILY = 'AF_HYPERV';
/** sizeof(SOCKADDR_HV) and its fields' offsets. */
const HV_SIZE = 36;
const HV_FAMILY = 0;
const HV_VM_ID = 4;
const HV_SERVICE_ID = HV_VM_ID + GUID_SIZE;

function guidField(value: unknown, ctx: AddressContext, field: string): Buffer {
  if (typeof value !== 'string') throw new TypeError(`${prefix(ctx)}${FAMILY} ${field} must be a string, got ${show(value)}`);
  if (!isGuid(value)) {
    throw new TypeError(`${prefix(ctx)}${FAMILY} ${field} must be a GUID 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx', got ${show(value)} (not a valid UUID string)`);
  }
  return guidBytes(value);
}

/**
 * The family plugin of this package: the core contract plus the zod schema it documents.
 *
 * @example
 * ```ts
 * hypervFamily.schema.safeParse([HV_GUID_ZERO, HV_GUID_ZERO]).success; // true
 * ```
 */
export interface HypervFamilyPlugin extends FamilyPlugin<HypervAddressResult> {
  /** The zod schema of the addresses `encode` accepts. */
  readonly schema: typeof hypervAddressSchema;
}

/**
 * AF_HYPERV: `[vm_id, service_id]` to and from `SOCKADDR_HV`, with
 * Windows' family number (34).
 *
 * Exported on every platform, registered with core only where the platform
 * has AF_HYPERV (Windows): on Linux, 34 is AF_ISDN, whose addresses this
 * codec must not claim. Use it directly to build or read `SOCKADDR_HV`
 * bytes (say, to talk to a Windows peer's tooling).
 *
 * `encode` takes the socket's protocol from `ctx`: anything but
 * `HV_PROTOCOL_RAW` raises `OSError('<caller>(): unsupported AF_HYPERV
 * protocol: N')` as CPython does; then both GUIDs are checked (a
 * TypeError names the bad one). `decode` returns both GUIDs in lower case,
 * as `UuidToStringW` writes them; bytes past `length` read as zero.
 *
 * @see https://learn.microsoft.com/virtualization/hyper-v-on-windows/user-guide/make-integration-service
 * @see https://docs.python.org/3/library/socket.html#socket-families
 * @example
 * ```ts
 * const { AF_HYPERV, HV_PROTOCOL_RAW } = hypervWindowsConstants;
 * const ctx = { family: AF_HYPERV, type: SOCK_STREAM, proto: HV_PROTOCOL_RAW, caller: 'connect' };
 * const bytes = hypervFamily.encode([HV_GUID_LOOPBACK, '00000000-facb-11e6-bd58-64006a7986d3'], ctx); // 36 bytes
 * hypervFamily.decode(bytes, bytes.length, ctx); // ['e0e16197-dd56-4a10-9195-5ee7a155a838', '00000000-facb-11e6-bd58-64006a7986d3']
 * ```
 */
export const hypervFamily: HypervFamilyPlugin = {
  family: AF_HYPERV,
  name: FAMILY,
  schema: hypervAddressSchema,

  encode(address: unknown, ctx: AddressContext): Buffer {
    if (ctx.proto !== HV_PROTOCOL_RAW) throw new OSError(`${prefix(ctx)}unsupported ${FAMILY} protocol: ${ctx.proto}`);
    if (!Array.isArray(address) || address.length !== 2) {
      throw new TypeError(`${prefix(ctx)}${FAMILY} address must be [vm_id: string, service_id: string], got ${show(address)}`);
    }
    const vmId = guidField(address[0], ctx, 'vm_id');
    const serviceId = guidField(address[1], ctx, 'service_id');
    const buf = Buffer.alloc(HV_SIZE);
    buf.writeUInt16LE(AF_HYPERV, HV_FAMILY);
    vmId.copy(buf, HV_VM_ID);
    serviceId.copy(buf, HV_SERVICE_ID);
    return buf;
  },

  decode(bytes: Buffer, length: number): HypervAddressResult {
    const sa = zeroPadded(bytes, length, HV_SIZE);
    return [formatGuidAt(sa, HV_VM_ID), formatGuidAt(sa, HV_SERVICE_ID)];
  },
};
