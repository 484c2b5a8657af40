/**
 * Ethernet header, MAC text and packet_mreq helpers: golden bytes and bad
 * input.
 */
import { describe, expect, it } from 'vitest';
import { buildEthernetHeader, parseEthernetHeader } from './ethernet.js';
import { formatMac, parseMac } from './mac.js';
import { packetMreq } from './mreq.js';
import { ETHERTYPE_IP, ETHERTYPE_IPV6, ETHERTYPE_VLAN, PACKET_MR_MULTICAST, PACKET_MR_PROMISC } from './constants.generated.js';
import { thrown } from '@bsdsock/test-utils';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('MAC addresses', () => {
  it('parses colon- or hyphen-separated text in either case', () => {
    expect(parseMac('02:00:5e:10:00:01')).toEqual(hex('02005e100001'));
    expect(parseMac('AA-BB-CC-DD-EE-FF')).toEqual(hex('aabbccddeeff'));
  });

  it.each(['', '02:00:5e:10:00', '02:00:5e:10:00:01:02', '02:00-5e:10:00:01', '2:0:5e:10:0:1', 'zz:00:00:00:00:00', 7])(
    'rejects %j with a TypeError',
    (text) => {
      expect(thrown(() => parseMac(text as string))).toBeInstanceOf(TypeError);
    },
  );

  it('formats any length in lower case', () => {
    expect(formatMac(hex('02005e10000a'))).toBe('02:00:5e:10:00:0a');
    expect(formatMac(new Uint8Array([0xab]))).toBe('ab');
    expect(formatMac(Buffer.alloc(0))).toBe('');
    expect(thrown(() => formatMac('ab' as never))).toBeInstanceOf(TypeError);
  });
});

describe('buildEthernetHeader', () => {
  it('writes dst, src and the ethertype in network order', () => {
    expect(buildEthernetHeader({ dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:0a', ethertype: 0x88b5 })).toEqual(
      hex('ffffffffffff 02000000000a 88b5'),
    );
    expect(buildEthernetHeader({ dst: hex('020000000001'), src: new Uint8Array(6), ethertype: ETHERTYPE_IP })).toEqual(
      hex('020000000001 000000000000 0800'),
    );
  });

  it('inserts an 802.1Q tag', () => {
    expect(
      buildEthernetHeader({
        dst: '02:00:00:00:00:0b', src: '02:00:00:00:00:0a', ethertype: ETHERTYPE_IPV6, vlan: { id: 100, priority: 5, dei: true },
      }),
    ).toEqual(hex(`02000000000b 02000000000a ${ETHERTYPE_VLAN.toString(16)} b064 86dd`));
  });

  it('names the bad field', () => {
    const base = { dst: '02:00:00:00:00:0b', src: '02:00:00:00:00:0a', ethertype: 1 };
    const cases: [unknown, ErrorConstructor | RangeErrorConstructor, string][] = [
      [null, TypeError, 'buildEthernetHeader() expects'],
      [{ ...base, dst: 'nope' }, TypeError, 'dst must be a MAC address'],
      [{ ...base, src: Buffer.alloc(5) }, TypeError, 'src must be 6 bytes, got 5'],
      [{ ...base, src: 1 }, TypeError, 'src must be a MAC address string or 6 bytes'],
      [{ ...base, ethertype: '1' }, TypeError, 'ethertype must be an integer'],
      [{ ...base, ethertype: 0x10000 }, RangeError, 'ethertype must be 0-65535, got 65536'],
      [{ ...base, vlan: { id: 4096 } }, RangeError, 'vlan.id must be 0-4095'],
      [{ ...base, vlan: { id: 1, priority: 8 } }, RangeError, 'vlan.priority must be 0-7'],
      [{ ...base, vlan: { id: 1, dei: 1 } }, TypeError, 'vlan.dei must be a boolean'],
      [{ ...base, vlan: 5 }, TypeError, 'vlan must be'],
    ];
    for (const [header, cls, message] of cases) {
      const err = thrown(() => buildEthernetHeader(header as never));
      expect(err).toBeInstanceOf(cls);
      expect(err.message).toContain(message);
    }
  });
});

describe('parseEthernetHeader', () => {
  it('reads the MACs, the ethertype and the payload', () => {
    const frame = hex('ffffffffffff 02000000000A 88b5 68656c6c6f');
    const h = parseEthernetHeader(frame);
    expect(h).toEqual({
      dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:0a', ethertype: 0x88b5, headerLength: 14, payload: Buffer.from('hello'),
    });
    expect(h.payload.buffer).toBe(frame.buffer);
  });

  it('reads an 802.1Q tag, and round-trips what buildEthernetHeader writes', () => {
    const init = { dst: '02:00:00:00:00:0b', src: '02:00:00:00:00:0a', ethertype: 0x0806, vlan: { id: 4095, priority: 7, dei: false } };
    const h = parseEthernetHeader(Buffer.concat([buildEthernetHeader(init), Buffer.from('x')]));
    expect(h).toEqual({ ...init, headerLength: 18, payload: Buffer.from('x') });
  });

  it('takes a tag-only header without its inner type as untagged', () => {
    expect(parseEthernetHeader(hex('ffffffffffff 000000000000 8100 0001')).ethertype).toBe(0x8100);
  });

  it('rejects what is not a frame', () => {
    expect(thrown(() => parseEthernetHeader(Buffer.alloc(13)))).toBeInstanceOf(RangeError);
    expect(thrown(() => parseEthernetHeader('frame' as never))).toBeInstanceOf(TypeError);
  });
});

describe('packetMreq', () => {
  it('lays out struct packet_mreq in host order (golden bytes, little-endian)', () => {
    expect(packetMreq({ ifindex: 1, type: PACKET_MR_PROMISC })).toEqual(hex('01000000 0100 0000 0000000000000000'));
    expect(packetMreq({ ifindex: 2, type: PACKET_MR_MULTICAST, address: '01:00:5e:00:00:fb' })).toEqual(
      hex('02000000 0000 0600 01005e0000fb0000'),
    );
    expect(packetMreq({ ifindex: 3, type: 3, address: new Uint8Array(8).fill(0xaa) })).toEqual(
      hex('03000000 0300 0800 aaaaaaaaaaaaaaaa'),
    );
  });

  it('names the bad field', () => {
    const cases: [unknown, ErrorConstructor | RangeErrorConstructor, string][] = [
      [undefined, TypeError, 'packetMreq() expects'],
      [{ ifindex: '1', type: 0 }, TypeError, 'ifindex must be an integer'],
      [{ ifindex: -1, type: 0 }, RangeError, 'ifindex must be 0-2147483647'],
      [{ ifindex: 1, type: 0x10000 }, RangeError, 'type must be 0-65535'],
      [{ ifindex: 1, type: 0, address: Buffer.alloc(9) }, TypeError, 'address must be at most 8 bytes'],
      [{ ifindex: 1, type: 0, address: 'x' }, TypeError, 'address must be a MAC address'],
      [{ ifindex: 1, type: 0, address: 5 }, TypeError, 'address must be a MAC string or bytes'],
    ];
    for (const [init, cls, message] of cases) {
      const err = thrown(() => packetMreq(init as never));
      expect(err).toBeInstanceOf(cls);
      expect(err.message).toContain(message);
    }
  });
});
