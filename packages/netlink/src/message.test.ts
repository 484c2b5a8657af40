/**
 * The netlink message builder and parser: golden bytes (host order,
 * little-endian here) and malformed input.
 */
import { describe, expect, it } from 'vitest';
import { attributeString, attributeU32, buildAttributes, parseAttributes } from './attributes.js';
import {
  IFLA_IFNAME, IFLA_LINKINFO, IFLA_MTU, NLA_F_NESTED, NLM_F_ACK, NLM_F_DUMP, NLM_F_MULTI, NLM_F_REQUEST, NLMSG_DONE,
  NLMSG_ERROR, RTM_GETLINK, RTM_NEWLINK,
} from './constants.js';
import { buildMessage, parseMessages } from './message.js';
import { buildIfinfomsg, buildRtgenmsg, parseIfinfomsg } from './rtnetlink.js';
import { thrown } from '@bsdsock/test-utils';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('buildMessage', () => {
  it('an RTM_GETLINK dump request: nlmsghdr then a zeroed ifinfomsg', () => {
    expect(buildMessage({ type: RTM_GETLINK, flags: NLM_F_REQUEST | NLM_F_DUMP, seq: 7, payload: buildIfinfomsg() })).toEqual(
      hex('20000000 1200 0103 07000000 00000000  00 00 0000 00000000 00000000 00000000'),
    );
  });

  it('an rtgenmsg payload: nlmsg_len counts its one byte, the buffer is padded to 4', () => {
    expect(buildMessage({ type: RTM_GETLINK, flags: NLM_F_REQUEST | NLM_F_DUMP, payload: buildRtgenmsg(10) })).toEqual(
      hex('11000000 1200 0103 00000000 00000000  0a000000'),
    );
  });

  it('attributes after the payload, each padded; strings NUL-terminated; nested lists', () => {
    const msg = buildMessage({
      type: RTM_GETLINK,
      flags: NLM_F_REQUEST | NLM_F_ACK,
      seq: 1,
      pid: 0x01020304,
      payload: buildIfinfomsg({ index: 1 }),
      attributes: [
        { type: IFLA_IFNAME, value: 'lo' },
        { type: IFLA_MTU, value: hex('dc050000') },
        { type: IFLA_LINKINFO | NLA_F_NESTED, value: [{ type: 1, value: 'veth' }] },
      ],
    });
    expect(msg).toEqual(
      hex(
        '40000000 1200 0500 01000000 04030201' +
          '00 00 0000 01000000 00000000 00000000' +
          '0700 0300 6c6f00 00' +
          '0800 0400 dc050000' +
          '1000 1280 0900 0100 7665746800 000000',
      ),
    );
    const [parsed] = parseMessages(msg);
    const link = parseIfinfomsg(parsed!.payload);
    expect(link.index).toBe(1);
    expect(link.attributes.map((a) => [a.type, a.flags])).toEqual([[IFLA_IFNAME, 0], [IFLA_MTU, 0], [IFLA_LINKINFO, NLA_F_NESTED]]);
    expect(attributeString(link.attributes[0]!.value)).toBe('lo');
    expect(attributeU32(link.attributes[1]!.value)).toBe(1500);
    expect(attributeString(parseAttributes(link.attributes[2]!.value)[0]!.value)).toBe('veth');
  });

  it('names the bad field', () => {
    const cases: [unknown, ErrorConstructor | RangeErrorConstructor, string][] = [
      [null, TypeError, 'buildMessage() expects'],
      [{ type: '1' }, TypeError, 'buildMessage(): type must be an integer'],
      [{ type: 0x10000 }, RangeError, 'buildMessage(): type must be 0-65535'],
      [{ type: 1, flags: -1 }, RangeError, 'flags must be 0-65535'],
      [{ type: 1, seq: 2 ** 32 }, RangeError, 'seq must be 0-4294967295'],
      [{ type: 1, pid: 1.5 }, TypeError, 'pid must be an integer'],
      [{ type: 1, payload: 'x' }, TypeError, 'payload must be bytes'],
      [{ type: 1, attributes: {} }, TypeError, 'attributes must be an array'],
      [{ type: 1, attributes: [{ type: 1, value: 5 }] }, TypeError, 'an attribute value must be bytes, a string or an array'],
      [{ type: 1, attributes: [{ type: 1, value: Buffer.alloc(0x10000) }] }, RangeError, 'does not fit rta_len'],
      [{ type: 1, attributes: [null] }, TypeError, 'an attribute must be { type, value }'],
    ];
    for (const [init, cls, message] of cases) {
      const err = thrown(() => buildMessage(init as never));
      expect(err).toBeInstanceOf(cls);
      expect(err.message).toContain(message);
    }
  });
});

describe('parseMessages', () => {
  it('splits a datagram holding several messages, and reads NLMSG_ERROR and NLMSG_DONE codes', () => {
    const data = Buffer.concat([
      hex('14000000 1000 0200 05000000 2a000000 ffffffff'),
      hex('24000000 0200 0001 05000000 2a000000 edffffff 10000000 1200 0500 05000000 00000000'),
      hex('14000000 0300 0200 05000000 2a000000 00000000'),
    ]);
    const msgs = parseMessages(data);
    expect(msgs.map((m) => [m.type, m.flags, m.seq, m.pid, m.length, m.error])).toEqual([
      [RTM_NEWLINK, NLM_F_MULTI, 5, 42, 20, undefined],
      [NLMSG_ERROR, 0x100, 5, 42, 36, -19],
      [NLMSG_DONE, NLM_F_MULTI, 5, 42, 20, 0],
    ]);
    expect(msgs[0]!.payload).toEqual(hex('ffffffff'));
    expect(parseMessages(Buffer.alloc(0))).toEqual([]);
  });

  it('round-trips what buildMessage writes, payload padding aside', () => {
    const built = buildMessage({ type: 300, flags: 5, seq: 9, pid: 10, payload: hex('0102') });
    expect(parseMessages(built)).toEqual([{ length: 18, type: 300, flags: 5, seq: 9, pid: 10, payload: hex('0102') }]);
  });

  it('rejects a datagram cut short', () => {
    expect(thrown(() => parseMessages(hex('14000000 1000 0200')))).toBeInstanceOf(RangeError);
    expect(thrown(() => parseMessages(hex('40000000 1000 0200 05000000 2a000000')))).toBeInstanceOf(RangeError);
    expect(thrown(() => parseMessages(hex('08000000 1000 0200 05000000 2a000000')))).toBeInstanceOf(RangeError);
    expect(thrown(() => parseMessages('x' as never))).toBeInstanceOf(TypeError);
  });
});

describe('attributes', () => {
  it('buildAttributes golden bytes', () => {
    expect(buildAttributes([{ type: IFLA_IFNAME, value: 'lo' }])).toEqual(hex('0700 0300 6c6f00 00'));
    expect(buildAttributes([{ type: 1, value: new Uint8Array(4) }, { type: 2, value: Buffer.alloc(0) }])).toEqual(
      hex('0800 0100 00000000 0400 0200'),
    );
  });

  it('parseAttributes rejects lengths that lie', () => {
    expect(thrown(() => parseAttributes(hex('0300 0100')))).toBeInstanceOf(RangeError);
    expect(thrown(() => parseAttributes(hex('0900 0100 00000000')))).toBeInstanceOf(RangeError);
    expect(thrown(() => parseAttributes(hex('08')))).toBeInstanceOf(RangeError);
    expect(thrown(() => attributeU32(hex('0102')))).toBeInstanceOf(RangeError);
    expect(attributeString(hex('6c6f'))).toBe('lo');
  });

  it('ifinfomsg golden bytes', () => {
    expect(buildIfinfomsg({ family: 0, type: 772, index: 1, flags: 0x49, change: 0xffffffff })).toEqual(
      hex('00 00 0403 01000000 49000000 ffffffff'),
    );
    expect(thrown(() => buildIfinfomsg({ index: 2 ** 31 }))).toBeInstanceOf(RangeError);
    expect(thrown(() => parseIfinfomsg(Buffer.alloc(15)))).toBeInstanceOf(RangeError);
    expect(thrown(() => buildRtgenmsg(256))).toBeInstanceOf(RangeError);
  });
});
