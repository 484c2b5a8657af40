/**
 * The AF_HYPERV codec: golden `SOCKADDR_HV` bytes both ways (Family 34 and
 * Reserved 0 as little-endian u16s, then the two GUIDs in Windows' layout),
 * every class of bad input with its message, and the shared family
 * conformance suite, with Windows' family number and protocol.
 */
import { describe, expect, it } from 'vitest';
import { OSError, SOCK_STREAM, type AddressContext } from '@bsdsock/core';
import { describeFamilyConformance, thrown } from '@bsdsock/test-utils';
import { hypervFamily } from './codec.js';
import { HV_GUID_LOOPBACK, HV_GUID_PARENT, HV_GUID_WILDCARD, hypervWindowsConstants } from './constants.js';

const { AF_HYPERV, HV_PROTOCOL_RAW } = hypervWindowsConstants;
const ctx: AddressContext = { family: AF_HYPERV, type: SOCK_STREAM, proto: HV_PROTOCOL_RAW, caller: 'connect' };
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
/** The service id of vsock port 0x1234 through the HV_GUID_VSOCK_TEMPLATE (00000000-facb-11e6-bd58-64006a7986d3). */
const SERVICE = '00001234-facb-11e6-bd58-64006a7986d3';
const SERVICE_BYTES = '34120000 cbfa e611 bd58 64006a7986d3';

describe('AF_HYPERV encode', () => {
  it.each([
    [[HV_GUID_LOOPBACK, SERVICE], `2200 0000 9761e1e0 56dd 104a 9195 5ee7a155a838 ${SERVICE_BYTES}`],
    [[HV_GUID_PARENT.toLowerCase(), SERVICE.toUpperCase()], `2200 0000 da7c2ea4 3fd0 0c48 9cc2 a4de20abb878 ${SERVICE_BYTES}`],
    [[HV_GUID_WILDCARD, HV_GUID_WILDCARD], `2200 0000 ${'00'.repeat(32)}`],
  ])('%j', (address, golden) => {
    expect(hypervFamily.encode(address, ctx)).toEqual(hex(golden));
  });

  it('names the family, the field and the caller in its errors', () => {
    const cases: [unknown, string][] = [
      [HV_GUID_LOOPBACK, `connect(): AF_HYPERV address must be [vm_id: string, service_id: string], got "${HV_GUID_LOOPBACK}"`],
      [[HV_GUID_LOOPBACK], "connect(): AF_HYPERV address must be [vm_id: string, service_id: string], got [ 'E0E16197"],
      [[HV_GUID_LOOPBACK, SERVICE, 1], 'connect(): AF_HYPERV address must be'],
      [[1, SERVICE], 'connect(): AF_HYPERV vm_id must be a string, got 1'],
      [[HV_GUID_LOOPBACK, null], 'connect(): AF_HYPERV service_id must be a string, got null'],
      [['loopback', SERVICE], "connect(): AF_HYPERV vm_id must be a GUID 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx', got \"loopback\" (not a valid UUID string)"],
      [[HV_GUID_LOOPBACK, `{${SERVICE}}`], 'connect(): AF_HYPERV service_id must be a GUID'],
    ];
    for (const [address, message] of cases) {
      const err = thrown(() => hypervFamily.encode(address, ctx));
      expect(err, JSON.stringify(address)).toBeInstanceOf(TypeError);
      expect(err.message).toContain(message);
    }
  });

  it('raises OSError "unsupported AF_HYPERV protocol" for another protocol, as CPython does', () => {
    const err = thrown(() => hypervFamily.encode([HV_GUID_LOOPBACK, SERVICE], { ...ctx, proto: 0, caller: 'bind' })) as OSError;
    expect(err).toBeInstanceOf(OSError);
    expect(err.errno).toBeNull();
    expect(err.message).toBe('bind(): unsupported AF_HYPERV protocol: 0');
  });
});

describe('AF_HYPERV decode', () => {
  it('returns both GUIDs in lower case, as UuidToStringW writes them', () => {
    const bytes = hex(`2200 0000 da7c2ea4 3fd0 0c48 9cc2 a4de20abb878 ${SERVICE_BYTES}`);
    expect(hypervFamily.decode(bytes, bytes.length, ctx)).toEqual(['a42e7cda-d03f-480c-9cc2-a4de20abb878', SERVICE]);
  });

  it('reads bytes past the length as zero', () => {
    const scratch = Buffer.alloc(128, 0xff);
    hex('2200 0000 9761e1e0').copy(scratch);
    expect(hypervFamily.decode(scratch, 8, ctx)).toEqual(['e0e16197-0000-0000-0000-000000000000', HV_GUID_WILDCARD]);
  });
});

describeFamilyConformance(hypervFamily, {
  ctx,
  schema: hypervFamily.schema,
  good: [
    { address: [HV_GUID_LOOPBACK, SERVICE], decoded: [HV_GUID_LOOPBACK.toLowerCase(), SERVICE] },
    { address: [HV_GUID_WILDCARD, SERVICE] },
  ],
  badType: [HV_GUID_LOOPBACK, [HV_GUID_LOOPBACK], [HV_GUID_LOOPBACK, SERVICE, SERVICE], ['', SERVICE], [HV_GUID_LOOPBACK, 5], null, {}],
  badRange: [],
});
