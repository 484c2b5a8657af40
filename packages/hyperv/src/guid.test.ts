/**
 * GUID text and Windows GUID bytes: golden values from the Windows SDK's
 * `DEFINE_GUID` lines for the HV_GUID_* constants, and Python's own
 * `uuid.UUID(text).bytes_le`, which is the same mixed-endian layout, on a
 * set of GUIDs.
 */
import { describe, expect, it } from 'vitest';
import { hasPython, needsPython, runPythonSync } from '@bsdsock/test-utils';
import { HV_GUID_BROADCAST, HV_GUID_CHILDREN, HV_GUID_LOOPBACK, HV_GUID_PARENT, HV_GUID_ZERO } from './constants.js';
import { guidFromBytes, guidToBytes, isGuid } from './guid.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('GUID text to bytes', () => {
  it.each([
    // DEFINE_GUID(HV_GUID_CHILDREN, 0x90db8b89, 0x0d35, 0x4f79, 0x8c, 0xe9, 0x49, 0xea, 0x0a, 0xc8, 0xb7, 0xcd)
    [HV_GUID_CHILDREN, '898bdb90 350d 794f 8ce9 49ea0ac8b7cd'],
    [HV_GUID_LOOPBACK, '9761e1e0 56dd 104a 9195 5ee7a155a838'],
    [HV_GUID_PARENT, 'da7c2ea4 3fd0 0c48 9cc2 a4de20abb878'],
    [HV_GUID_ZERO, '00'.repeat(16)],
    [HV_GUID_BROADCAST, 'ff'.repeat(16)],
    ['00000000-facb-11e6-bd58-64006a7986d3', '00000000 cbfa e611 bd58 64006a7986d3'],
  ])('%s', (text, bytes) => {
    expect(guidToBytes(text)).toEqual(hex(bytes));
    expect(guidFromBytes(hex(bytes))).toBe(text.toLowerCase());
  });

  it.each(['', 'e0e16197dd564a1091955ee7a155a838', '{e0e16197-dd56-4a10-9195-5ee7a155a838}', 'e0e16197-dd56-4a10-9195-5ee7a155a83',
    'e0e16197-dd56-4a10-9195-5ee7a155a838 ', 'g0e16197-dd56-4a10-9195-5ee7a155a838', 'e0e16197-dd56-4a10-91955-ee7a155a838'])(
    'rejects %j',
    (text) => {
      expect(isGuid(text)).toBe(false);
      expect(() => guidToBytes(text)).toThrow(TypeError);
    },
  );

  it('names what it was given', () => {
    expect(() => guidToBytes('nope')).toThrow("guidToBytes(): expected a GUID 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx', got \"nope\"");
    expect(() => guidFromBytes(Buffer.alloc(15))).toThrow('guidFromBytes(): expected 16 bytes, got <Buffer');
    expect(() => guidFromBytes('x' as unknown as Buffer)).toThrow(TypeError);
    expect(isGuid(42)).toBe(false);
  });
});

describe.skipIf(!hasPython())(needsPython('GUID bytes compared with python3 uuid.UUID.bytes_le'), () => {
  it('lays out every GUID as Windows (and Python) does, and reads it back in lower case', () => {
    const texts: string[] = [HV_GUID_CHILDREN, HV_GUID_LOOPBACK, HV_GUID_PARENT, HV_GUID_BROADCAST];
    let s = 0x1234567;
    for (let n = 0; n < 200; n++) {
      let digits = '';
      for (let i = 0; i < 32; i++) {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        digits += ((s >>> 16) & 15).toString(16);
      }
      const text = `${digits.slice(0, 8)}-${digits.slice(8, 12)}-${digits.slice(12, 16)}-${digits.slice(16, 20)}-${digits.slice(20)}`;
      texts.push(n % 2 ? text.toUpperCase() : text);
    }
    const r = runPythonSync(
      'import json, sys, uuid\nprint(json.dumps([[uuid.UUID(t).bytes_le.hex(), str(uuid.UUID(t))] for t in json.load(sys.stdin)]))',
      { input: JSON.stringify(texts) },
    );
    expect(r.code, r.stderr).toBe(0);
    const want = JSON.parse(r.stdout) as [string, string][];
    expect(texts.map((t) => [guidToBytes(t).toString('hex'), guidFromBytes(guidToBytes(t))])).toEqual(want);
  });
});
