/**
 * The AF_BLUETOOTH codec: golden bytes both ways for each protocol, every
 * class of bad input with its message, and the shared family conformance
 * suite once per protocol (BT-03, BT-05).
 *
 * Golden bytes follow Linux's structs on a little-endian host, as CPython
 * 3.13 fills them: `sockaddr_l2` (family `1f 00`, psm le16, bdaddr
 * reversed, cid 0, bdaddr_type 0, pad), `sockaddr_rc` (family, bdaddr,
 * channel, pad), `sockaddr_hci` (family, dev, channel 0 = HCI_CHANNEL_RAW)
 * and `sockaddr_sco` (family, bdaddr).
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { OSError, SOCK_RAW, SOCK_SEQPACKET, SOCK_STREAM, type AddressContext } from '@bsdsock/core';
import { describeFamilyConformance, encodeVerdict, schemaVerdict, thrown } from '@bsdsock/test-utils';
import { bluetoothFamily } from './codec.js';
import { BDADDR_ANY, BDADDR_LOCAL } from './constants.js';
import { AF_BLUETOOTH, BTPROTO_HCI, BTPROTO_L2CAP, BTPROTO_RFCOMM, BTPROTO_SCO, HCI_DEV_NONE } from './constants.generated.js';

const ctxOf = (proto: number, type: number, caller = 'bind'): AddressContext => ({ family: AF_BLUETOOTH, type, proto, caller });
const L2CAP = ctxOf(BTPROTO_L2CAP, SOCK_SEQPACKET);
const RFCOMM = ctxOf(BTPROTO_RFCOMM, SOCK_STREAM, 'connect');
const HCI = ctxOf(BTPROTO_HCI, SOCK_RAW);
const SCO = ctxOf(BTPROTO_SCO, SOCK_SEQPACKET);
const CTX = { L2CAP, RFCOMM, HCI, SCO };
/** BTPROTO_BNEP (<bluetooth/bluetooth.h>): a Bluetooth protocol without an address format. */
const BNEP = ctxOf(4, SOCK_RAW);

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ADDR = '00:11:22:33:44:55';
const ADDR_BYTES = '554433221100';

describe('AF_BLUETOOTH encode (BT-03)', () => {
  it.each([
    ['L2CAP', [ADDR, 0x1001], `1f00 0110 ${ADDR_BYTES} 0000 00 00`],
    ['L2CAP', [BDADDR_ANY, 0], '1f00 0000 000000000000 0000 00 00'],
    ['L2CAP', ['aa:bb:cc:dd:ee:ff', 0xffff], '1f00 ffff ffeeddccbbaa 0000 00 00'],
    ['RFCOMM', [ADDR, 3], `1f00 ${ADDR_BYTES} 03 00`],
    ['RFCOMM', [BDADDR_LOCAL, 255], '1f00 ffffff000000 ff 00'],
    ['HCI', [0], '1f00 0000 0000'],
    ['HCI', [1], '1f00 0100 0000'],
    ['HCI', [HCI_DEV_NONE], '1f00 ffff 0000'],
    ['HCI', 2, '1f00 0200 0000'],
    ['SCO', ADDR, `1f00 ${ADDR_BYTES}`],
    ['SCO', Buffer.from(ADDR), `1f00 ${ADDR_BYTES}`],
    ['SCO', new TextEncoder().encode('1:2:3:4:5:6').buffer, '1f00 060504030201'],
  ] as const)('%s %o', (proto, address, golden) => {
    expect(bluetoothFamily.encode(address, CTX[proto])).toEqual(hex(golden));
  });

  it('names the family, the field and the caller in its errors', () => {
    const cases: [AddressContext, unknown, ErrorConstructor | RangeErrorConstructor, string][] = [
      [L2CAP, ADDR, TypeError, `bind(): AF_BLUETOOTH BTPROTO_L2CAP address must be [bdaddr: string, psm: number], got "${ADDR}"`],
      [L2CAP, [ADDR, 1, 0], TypeError, 'bind(): AF_BLUETOOTH BTPROTO_L2CAP address must be [bdaddr: string, psm: number], got ['],
      [L2CAP, [5, 1], TypeError, 'bind(): AF_BLUETOOTH bdaddr must be a string, got 5'],
      [L2CAP, ['00:11:22:33:44', 1], TypeError, 'bind(): AF_BLUETOOTH bdaddr must be a Bluetooth address \'XX:XX:XX:XX:XX:XX\', got "00:11:22:33:44" (bad bluetooth address)'],
      [L2CAP, [ADDR, '1'], TypeError, 'bind(): AF_BLUETOOTH psm must be an integer, got "1"'],
      [L2CAP, ['a'.repeat(100), 1], TypeError, `bind(): AF_BLUETOOTH bdaddr must be a Bluetooth address 'XX:XX:XX:XX:XX:XX', got "${'a'.repeat(80)}…" (bad bluetooth address)`],
      [L2CAP, [ADDR, 70000], RangeError, 'bind(): AF_BLUETOOTH psm must be 0-65535, got 70000'],
      [L2CAP, [ADDR, -1], RangeError, 'bind(): AF_BLUETOOTH psm must be 0-65535, got -1'],
      [RFCOMM, [ADDR], TypeError, 'connect(): AF_BLUETOOTH BTPROTO_RFCOMM address must be [bdaddr: string, channel: number], got [ \'00:11:22:33:44:55\' ]'],
      [RFCOMM, [ADDR, 1.5], TypeError, 'connect(): AF_BLUETOOTH channel must be an integer, got 1.5'],
      [RFCOMM, [ADDR, 256], RangeError, 'connect(): AF_BLUETOOTH channel must be 0-255, got 256'],
      [HCI, [], TypeError, 'bind(): AF_BLUETOOTH BTPROTO_HCI address must be [device_id: number], got []'],
      [HCI, [0, 0], TypeError, 'bind(): AF_BLUETOOTH BTPROTO_HCI address must be [device_id: number], got [ 0, 0 ]'],
      [HCI, '0', TypeError, 'bind(): AF_BLUETOOTH BTPROTO_HCI address must be [device_id: number], got "0"'],
      [HCI, [null], TypeError, 'bind(): AF_BLUETOOTH device_id must be an integer, got null'],
      [HCI, [65536], RangeError, 'bind(): AF_BLUETOOTH device_id must be 0-65535, got 65536'],
      [HCI, -1, RangeError, 'bind(): AF_BLUETOOTH device_id must be 0-65535, got -1'],
      [SCO, [ADDR], TypeError, 'bind(): AF_BLUETOOTH BTPROTO_SCO address must be bdaddr: string | bytes, got [ \'00:11:22:33:44:55\' ]'],
      [SCO, 'nope', TypeError, 'bind(): AF_BLUETOOTH bdaddr must be a Bluetooth address \'XX:XX:XX:XX:XX:XX\', got "nope"'],
      [SCO, Buffer.from(`${ADDR}\0`), TypeError, 'bind(): AF_BLUETOOTH bdaddr must not contain a NUL byte, got <Buffer'],
      [SCO, Buffer.from([0x55, 0x44, 0x33, 0x22, 0x11, 0x01]), TypeError, 'bind(): AF_BLUETOOTH bdaddr must be a Bluetooth address'],
    ];
    for (const [ctx, address, cls, message] of cases) {
      const err = thrown(() => bluetoothFamily.encode(address, ctx));
      expect(err, JSON.stringify(address)).toBeInstanceOf(cls);
      expect(err.message).toContain(message);
    }
  });

  it('checks every type before any range', () => {
    expect(thrown(() => bluetoothFamily.encode(['zz', 70000], L2CAP))).toBeInstanceOf(TypeError);
    expect(thrown(() => bluetoothFamily.encode([ADDR, 70000], L2CAP))).toBeInstanceOf(RangeError);
  });

  it('raises OSError "unknown Bluetooth protocol" for a protocol without addresses, as CPython does', () => {
    const err = thrown(() => bluetoothFamily.encode([ADDR, 1], BNEP)) as OSError;
    expect(err).toBeInstanceOf(OSError);
    expect(err.errno).toBeNull();
    expect(err.message).toBe('bind(): AF_BLUETOOTH protocol 4 has no address format: unknown Bluetooth protocol');
  });
});

describe('AF_BLUETOOTH decode (BT-05)', () => {
  it.each([
    ['L2CAP', `1f00 0110 ${ADDR_BYTES} 4000 00 00`, [ADDR, 0x1001]],
    ['L2CAP', '1f00 ffff ffeeddccbbaa 0000 01 00', ['AA:BB:CC:DD:EE:FF', 0xffff]],
    ['RFCOMM', '1f00 0b0a0d0c0f0e 1e 00', ['0E:0F:0C:0D:0A:0B', 30]],
    ['HCI', '1f00 0300 0000', 3],
    ['HCI', '1f00 ffff 0300', HCI_DEV_NONE],
    ['SCO', '1f00 ffffff000000', BDADDR_LOCAL],
  ] as const)('%s %s', (proto, bytes, address) => {
    const buf = hex(bytes);
    expect(bluetoothFamily.decode(buf, buf.length, CTX[proto])).toEqual(address);
  });

  it('returns [family, raw bytes] for a protocol without an address format', () => {
    const buf = hex('1f00 0102 0304');
    const got = bluetoothFamily.decode(buf, 4, BNEP);
    expect(got).toEqual([AF_BLUETOOTH, hex('1f000102')]);
    buf[2] = 9;
    expect(got).toEqual([AF_BLUETOOTH, hex('1f000102')]);
  });

  it('reads bytes past the kernel\'s length as zero, as CPython\'s zeroed buffer does', () => {
    const scratch = Buffer.alloc(128, 0xff);
    hex('1f00 0110 5544').copy(scratch);
    expect(bluetoothFamily.decode(scratch, 6, L2CAP)).toEqual(['00:00:00:00:44:55', 0x1001]);
    expect(bluetoothFamily.decode(scratch, 3, HCI)).toBe(1);
    expect(bluetoothFamily.decode(scratch, 2, SCO)).toBe(BDADDR_ANY);
  });
});

describe('the zod schemas agree with encode', () => {
  const TABLE: readonly (readonly [AddressContext, unknown, string])[] = [
    [L2CAP, [ADDR, 0], 'ok'],
    [L2CAP, [' 0x0:+1:-0:2:3:4', 5], 'ok'],
    [L2CAP, [ADDR, 65536], 'RangeError'],
    [L2CAP, [ADDR, 2 ** 53], 'RangeError'],
    [L2CAP, ['0:0:0:0:0:100', 65536], 'TypeError'],
    [L2CAP, [new String(ADDR), 1], 'TypeError'],
    [RFCOMM, [ADDR, 255], 'ok'],
    [RFCOMM, [ADDR, NaN], 'TypeError'],
    [RFCOMM, [ADDR, 3n], 'TypeError'],
    [HCI, [0], 'ok'],
    [HCI, 65535, 'ok'],
    [HCI, [1.5], 'TypeError'],
    [HCI, new Array(1), 'TypeError'],
    [HCI, [70000], 'RangeError'],
    [HCI, 70000, 'RangeError'],
    [HCI, [[0]], 'TypeError'],
    [SCO, ADDR, 'ok'],
    [SCO, new Uint8Array(Buffer.from(BDADDR_ANY)), 'ok'],
    [SCO, new DataView(new ArrayBuffer(17)), 'TypeError'],
    [SCO, Buffer.from('00:00:00:00:00:00\0'), 'TypeError'],
    [SCO, null, 'TypeError'],
  ];
  it('on a table of edge cases: same acceptance, same error class', () => {
    for (const [ctx, address, verdict] of TABLE) {
      const row = `proto ${ctx.proto}: ${inspect(address)}`;
      expect(encodeVerdict(bluetoothFamily, address, ctx), row).toBe(verdict);
      expect(schemaVerdict(bluetoothFamily.schemas[ctx.proto as 0 | 1 | 2 | 3], address), row).toBe(verdict);
    }
  });
});

describe('BTPROTO_L2CAP', () => {
  describeFamilyConformance(bluetoothFamily, {
    ctx: L2CAP,
    schema: bluetoothFamily.schemas[BTPROTO_L2CAP],
    good: [
      { address: [ADDR, 0x1001] },
      { address: ['aa:bb:cc:dd:ee:ff', 1], decoded: ['AA:BB:CC:DD:EE:FF', 1] },
      { address: [BDADDR_ANY, 0] },
    ],
    badType: [ADDR, [ADDR], [ADDR, 1, 2], [1, 1], ['00:11:22:33:44:55:66', 1], [ADDR, '1'], null],
    badRange: [[ADDR, 65536], [ADDR, -1]],
  });
});

describe('BTPROTO_RFCOMM', () => {
  describeFamilyConformance(bluetoothFamily, {
    ctx: RFCOMM,
    schema: bluetoothFamily.schemas[BTPROTO_RFCOMM],
    good: [{ address: [ADDR, 3] }, { address: [BDADDR_LOCAL, 0] }, { address: ['1:2:3:4:5:6', 30], decoded: ['01:02:03:04:05:06', 30] }],
    badType: [[ADDR], [ADDR, true], [undefined, 1], {}],
    badRange: [[ADDR, 256], [ADDR, -3]],
  });
});

describe('BTPROTO_HCI', () => {
  describeFamilyConformance(bluetoothFamily, {
    ctx: HCI,
    schema: bluetoothFamily.schemas[BTPROTO_HCI],
    good: [{ address: [0], decoded: 0 }, { address: [7], decoded: 7 }, { address: HCI_DEV_NONE }],
    badType: [[], [0, 0], ['0'], '0', [0.5], null],
    badRange: [[65536], [-1], 65536],
  });
});

describe('BTPROTO_SCO', () => {
  describeFamilyConformance(bluetoothFamily, {
    ctx: SCO,
    schema: bluetoothFamily.schemas[BTPROTO_SCO],
    good: [
      { address: ADDR },
      { address: 'ff:ff:ff:ff:ff:ff', decoded: 'FF:FF:FF:FF:FF:FF' },
      { address: Buffer.from(BDADDR_ANY), decoded: BDADDR_ANY },
    ],
    badType: [[ADDR], 'x', Buffer.alloc(6), 0],
    badRange: [],
  });
});
