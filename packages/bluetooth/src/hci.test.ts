/**
 * The HCI helpers: `struct hci_filter` packed as the kernel reads it, its
 * bits set as BlueZ's `hci_filter_*` functions set them, and command/event
 * packets with golden bytes from the Bluetooth Core specification (Vol 4,
 * Part E, 5.4: HCI_Reset is `01 03 0c 00`, its Command Complete
 * `04 0e 04 01 03 0c 00`).
 */
import { describe, expect, it } from 'vitest';
import {
  EVT_CMD_COMPLETE, EVT_CMD_STATUS, HCI_ACLDATA_PKT, HCI_COMMAND_PKT, HCI_EVENT_PKT, HCI_VENDOR_PKT, OCF_RESET,
  OGF_HOST_CTL,
} from './constants.generated.js';
import {
  HciFilter, buildCommandComplete, buildHciCommand, buildHciEvent, hciOpcode, parseCommandComplete, parseHciCommand,
  parseHciEvent,
} from './hci.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const RESET = 0x0c03;

describe('HciFilter', () => {
  it('packs struct hci_filter: type_mask, event_mask[2] (host order), opcode (le16), 16 bytes', () => {
    const f = new HciFilter().setPtype(HCI_EVENT_PKT).setEvent(EVT_CMD_COMPLETE).setEvent(EVT_CMD_STATUS).setOpcode(RESET);
    expect(f.pack()).toEqual(hex('10000000 00c00000 00000000 030c 0000'));
    expect(new HciFilter().pack()).toEqual(Buffer.alloc(16));
    expect(new HciFilter().allPtypes().allEvents().pack()).toEqual(hex(`${'ff'.repeat(12)} 0000 0000`));
  });

  it('sets bits as hci_filter_set_ptype/set_event do: vendor packets are bit 0, events above 31 go to the second word', () => {
    const f = new HciFilter().setPtype(HCI_VENDOR_PKT).setPtype(HCI_COMMAND_PKT).setEvent(0x3e).setEvent(0x00).setEvent(0x7f);
    expect(f.typeMask).toBe(0b11);
    expect(f.eventMask).toEqual([1, ((1 << 30) | (1 << 31)) >>> 0]);
    expect(f.testPtype(HCI_VENDOR_PKT)).toBe(true);
    expect(f.testPtype(HCI_EVENT_PKT)).toBe(false);
    expect(f.testEvent(0x3e)).toBe(true);
    expect(f.testEvent(0xbe)).toBe(true); // 0xbe & HCI_FLT_EVENT_BITS is 0x3e, as BlueZ masks it
    f.clearPtype(HCI_VENDOR_PKT).clearEvent(0x3e);
    expect(f.typeMask).toBe(0b10);
    expect(f.eventMask).toEqual([1, 0x80000000]);
    expect(f.setOpcode(RESET).testOpcode(RESET)).toBe(true);
    expect(f.clearOpcode().opcode).toBe(0);
    expect(f.clear().pack()).toEqual(Buffer.alloc(16));
  });

  it('unpacks what getsockopt(SOL_HCI, HCI_FILTER, 16) returns', () => {
    const f = HciFilter.unpack(hex('14000000 00c00000 01000080 030c 0000'));
    expect([f.typeMask, f.eventMask, f.opcode]).toEqual([0x14, [0xc000, 0x80000001], RESET]);
    expect(f.testPtype(HCI_ACLDATA_PKT)).toBe(true);
    expect(HciFilter.unpack(f.pack().subarray(0, 14)).pack()).toEqual(f.pack());
  });

  it('rejects bad fields with TypeError or RangeError', () => {
    expect(() => new HciFilter({ typeMask: 2 ** 32 })).toThrow(new RangeError('new HciFilter(): typeMask must be 0-4294967295, got 4294967296'));
    expect(() => new HciFilter({ opcode: 1.5 })).toThrow(new TypeError('new HciFilter(): opcode must be an integer, got 1.5'));
    expect(() => new HciFilter({ eventMask: [1] as unknown as [number, number] })).toThrow(TypeError);
    expect(() => new HciFilter().setPtype(256)).toThrow(new RangeError('HciFilter.setPtype(): type must be 0-255, got 256'));
    expect(() => new HciFilter().setEvent(-1)).toThrow(RangeError);
    expect(() => HciFilter.unpack(Buffer.alloc(13))).toThrow(new RangeError('HciFilter.unpack(): struct hci_filter needs 14 bytes, got 13'));
    expect(() => HciFilter.unpack('x' as unknown as Buffer)).toThrow(TypeError);
    const f = new HciFilter();
    f.opcode = 0x10000;
    expect(() => f.pack()).toThrow(new RangeError('HciFilter.pack(): opcode must be 0-65535, got 65536'));
  });
});

describe('HCI commands', () => {
  it('packs the opcode as (ogf << 10) | ocf', () => {
    expect(hciOpcode(OGF_HOST_CTL, OCF_RESET)).toBe(RESET);
    expect(hciOpcode(0x3f, 0x3ff)).toBe(0xffff);
    expect(() => hciOpcode(64, 0)).toThrow(new RangeError('hciOpcode(): ogf must be 0-63, got 64'));
    expect(() => hciOpcode(0, 1024)).toThrow(RangeError);
  });

  it('builds and parses command packets', () => {
    expect(buildHciCommand(OGF_HOST_CTL, OCF_RESET)).toEqual(hex('01 030c 00'));
    const write = buildHciCommand(0x03, 0x0016, new Uint8Array([0x00, 0x7d]));
    expect(write).toEqual(hex('01 160c 02 007d'));
    expect(parseHciCommand(write)).toEqual({ opcode: 0x0c16, ogf: 3, ocf: 0x16, params: hex('007d') });
    expect(() => buildHciCommand(3, 3, Buffer.alloc(256))).toThrow(RangeError);
    expect(() => parseHciCommand(hex('04 0e 00'))).toThrow(TypeError);
    expect(() => parseHciCommand(hex('01 030c 02 00'))).toThrow(new RangeError('parseHciCommand(): the packet is truncated: 5 bytes'));
  });
});

describe('HCI events', () => {
  it('builds and parses event packets', () => {
    const status = buildHciEvent(EVT_CMD_STATUS, hex('00 01 0504'));
    expect(status).toEqual(hex('04 0f 04 00 01 0504'));
    expect(parseHciEvent(status)).toEqual({ evt: EVT_CMD_STATUS, params: hex('00010504') });
    expect(() => parseHciEvent(hex('01 030c 00'))).toThrow(TypeError);
    expect(() => parseHciEvent(hex('04 0e 04 01'))).toThrow(RangeError);
    expect(() => buildHciEvent(256)).toThrow(RangeError);
  });

  it('builds and parses Command Complete', () => {
    const done = buildCommandComplete(RESET, Buffer.from([0]));
    expect(done).toEqual(hex('04 0e 04 01 030c 00'));
    expect(parseCommandComplete(done)).toEqual({
      ncmd: 1, opcode: RESET, ogf: OGF_HOST_CTL, ocf: OCF_RESET, status: 0, returnParameters: hex('00'),
    });
    const bdaddr = parseCommandComplete(buildCommandComplete(0x1009, hex('00 554433221100'), 2));
    expect([bdaddr.ncmd, bdaddr.ogf, bdaddr.ocf, bdaddr.status, bdaddr.returnParameters]).toEqual([2, 4, 9, 0, hex('00554433221100')]);
    expect(parseCommandComplete(hex('04 0e 03 01 0000')).status).toBeNull();
    expect(() => parseCommandComplete(hex('04 0f 04 00 01 0504'))).toThrow(
      new TypeError('parseCommandComplete(): expected event EVT_CMD_COMPLETE (0x0e), got 0x0f'),
    );
    expect(() => parseCommandComplete(hex('04 0e 02 01 03'))).toThrow(RangeError);
    expect(() => buildCommandComplete(RESET, Buffer.alloc(253))).toThrow(RangeError);
  });
});
