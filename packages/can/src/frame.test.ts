/**
 * CAN and CAN FD frames: golden bytes of `struct can_frame` and `struct
 * canfd_frame` on a little-endian host (can_id host u32; can_dlc or len,
 * then flags and two reserved bytes; data), the flags and id masks, and
 * every class of bad input with its message.
 */
import { describe, expect, it } from 'vitest';
import {
  CANFD_BRS, CANFD_ESI, CANFD_FDF, CAN_EFF_FLAG, CAN_ERR_FLAG, CAN_RTR_FLAG,
} from './constants.generated.js';
import { packCanFdFrame, packCanFrame, unpackCanFdFrame, unpackCanFrame, unpackFrame } from './frame.js';
import { thrown } from '@bsdsock/test-utils';
import { expectErrors, hex, type ErrorCase } from '../test/helpers.js';

describe('packCanFrame', () => {
  it.each([
    [{ canId: 0x123, data: Buffer.from([0xc0, 0xff, 0xee]) }, '23010000 03 000000 c0ffee0000000000'],
    [{ canId: 0, data: hex('0102030405') }, '00000000 05 000000 0102030405000000'],
    [{ canId: 0x7ff, data: Buffer.alloc(8, 7) }, 'ff070000 08 000000 0707070707070707'],
    [{ canId: 0x1abcdef, extended: true, data: new Uint8Array([1]) }, 'efcdab81 01 000000 0100000000000000'],
    [{ canId: 0x1abcdef | CAN_EFF_FLAG }, 'efcdab81 00 000000 0000000000000000'],
    [{ canId: 0x7df, remote: true, dlc: 8 }, 'df070040 08 000000 0000000000000000'],
    [{ canId: 0x7df | CAN_RTR_FLAG }, 'df070040 00 000000 0000000000000000'],
    [{ canId: 0x4, error: true, data: Buffer.alloc(8) }, '04000020 08 000000 0000000000000000'],
    [{ canId: 0x12, data: new Uint8Array([0x99]).buffer, dlc: 1 }, '12000000 01 000000 9900000000000000'],
    [{ canId: 0x1fffffff, extended: true, remote: true, error: true }, 'ffffffff 00 000000 0000000000000000'],
  ])('%# packs %o', (frame, golden) => {
    expect(packCanFrame(frame)).toEqual(hex(golden));
  });

  it('is CAN_MTU (16) bytes', () => {
    expect(packCanFrame({ canId: 1 }).length).toBe(16);
  });

  it('names the bad field', () => {
    const cases: ErrorCase[] = [
      [null, TypeError, 'packCanFrame() expects { canId, data?, extended?, remote?, error?, dlc? }, got null'],
      [[0x123], TypeError, 'packCanFrame() expects'],
      [{}, TypeError, 'packCanFrame(): canId must be an integer, got undefined'],
      [{ canId: '0x123' }, TypeError, 'packCanFrame(): canId must be an integer, got "0x123"'],
      [{ canId: 1, extended: 1 }, TypeError, 'packCanFrame(): extended must be a boolean, got 1'],
      [{ canId: 1, remote: 'yes' }, TypeError, 'packCanFrame(): remote must be a boolean'],
      [{ canId: 1, error: null }, TypeError, 'packCanFrame(): error must be a boolean, got null'],
      [{ canId: 1, data: 'abc' }, TypeError, 'packCanFrame(): data must be a bytes-like object, got "abc"'],
      [{ canId: 1, data: [1, 2] }, TypeError, 'packCanFrame(): data must be a bytes-like object'],
      [{ canId: 1, remote: true, data: Buffer.from([1]) }, TypeError, 'packCanFrame(): a remote frame (CAN_RTR_FLAG) carries no data, got 1 bytes'],
      [{ canId: 1, dlc: '1' }, TypeError, 'packCanFrame(): dlc must be an integer, got "1"'],
      [{ canId: 1, data: Buffer.alloc(9) }, RangeError, 'packCanFrame(): data must be at most 8 bytes (CAN_MAX_DLEN), got 9'],
      [{ canId: 0x800 }, RangeError, 'packCanFrame(): canId 2048 (0x800) does not fit a standard 11-bit identifier (0-0x7ff); set CAN_EFF_FLAG (extended: true) for a 29-bit one'],
      [{ canId: 0x1fffffff | CAN_RTR_FLAG }, RangeError, 'does not fit a standard 11-bit identifier'],
      [{ canId: 2 ** 32 }, RangeError, 'packCanFrame(): canId must be 0-4294967295 (or the int32 that id | CAN_EFF_FLAG gives), got 4294967296'],
      [{ canId: -(2 ** 31) - 1 }, RangeError, 'packCanFrame(): canId must be 0-4294967295'],
      [{ canId: 1, remote: true, dlc: 9 }, RangeError, 'packCanFrame(): dlc must be 0-8, got 9'],
      [{ canId: 1, dlc: -1 }, RangeError, 'packCanFrame(): dlc must be 0-8, got -1'],
      [{ canId: 1, data: Buffer.alloc(2), dlc: 3 }, RangeError, "packCanFrame(): dlc must be the data's length (2) for a data frame, got 3"],
    ];
    expectErrors((input) => packCanFrame(input as never), cases);
  });
});

describe('unpackCanFrame', () => {
  it('reads the id, the flags, the dlc and dlc data bytes', () => {
    expect(unpackCanFrame(hex('23010000 03 000000 c0ffee0000000000'))).toEqual({
      fd: false, canId: 0x123, id: 0x123, extended: false, remote: false, error: false, dlc: 3, data: hex('c0ffee'),
    });
    expect(unpackCanFrame(hex('efcdab81 08 aabbcc 0102030405060708'))).toEqual({
      fd: false, canId: 0x81abcdef, id: 0x1abcdef, extended: true, remote: false, error: false, dlc: 8, data: hex('0102030405060708'),
    });
    expect(unpackCanFrame(hex('df070040 08 000000 ffffffffffffffff'))).toMatchObject({ id: 0x7df, remote: true, dlc: 8, data: Buffer.alloc(0) });
    expect(unpackCanFrame(hex('04000020 08 000000 0000000000000000'))).toMatchObject({ id: 4, error: true, extended: false });
    expect(unpackCanFrame(hex('ffffffff 00 000000 0000000000000000'))).toMatchObject({ canId: 0xffffffff, id: 0x1fffffff });
  });

  it('masks a standard id to 11 bits (canId keeps all 32), and caps the data at 8 for a dlc above 8', () => {
    expect(unpackCanFrame(hex('23450100 0f 000000 0102030405060708'))).toMatchObject({ canId: 0x14523, id: 0x523, dlc: 15, data: hex('0102030405060708') });
  });

  it('round-trips with packCanFrame, and copies the data', () => {
    for (const init of [
      { canId: 0x123, data: hex('c0ffee') },
      { canId: 0x1abcdef | CAN_EFF_FLAG, data: Buffer.alloc(8, 0xa5) },
      { canId: 0x7df, remote: true, dlc: 4 },
    ]) {
      const bytes = packCanFrame(init);
      const frame = unpackCanFrame(bytes);
      expect(packCanFrame(frame)).toEqual(bytes);
      bytes.fill(0);
      expect(frame.canId).toBe((init.canId | (init.remote ? CAN_RTR_FLAG : 0)) >>> 0);
      if (!init.remote) expect(frame.data).toEqual(init.data);
    }
  });

  it('takes any bytes-like of 16 bytes, and nothing else', () => {
    expect(unpackCanFrame(new Uint8Array(16)).canId).toBe(0);
    expect(unpackCanFrame(new ArrayBuffer(16)).dlc).toBe(0);
    expect(unpackCanFrame(new DataView(new ArrayBuffer(20), 4)).dlc).toBe(0);
    const short = thrown(() => unpackCanFrame(Buffer.alloc(8)));
    expect(short).toBeInstanceOf(RangeError);
    expect(short.message).toBe('unpackCanFrame() expects a 16-byte can_frame (CAN_MTU), got 8 bytes');
    expect(thrown(() => unpackCanFrame(Buffer.alloc(72)))).toBeInstanceOf(RangeError);
    expect(thrown(() => unpackCanFrame('frame' as never)).message).toBe('unpackCanFrame() expects a bytes-like object, got "frame"');
  });
});

describe('packCanFdFrame and unpackCanFdFrame', () => {
  const fd64 = Buffer.from(Array.from({ length: 64 }, (_, i) => i));

  it.each([
    [{ canId: 0x321, data: hex('0102') }, `21030000 02 00 0000 0102${'00'.repeat(62)}`],
    [{ canId: 0x321, brs: true, data: fd64 }, `21030000 40 01 0000 ${fd64.toString('hex')}`],
    [{ canId: 0x1abcdef, extended: true, esi: true, flags: CANFD_FDF, data: Buffer.alloc(12, 0xee) }, `efcdab81 0c 06 0000 ${'ee'.repeat(12)}${'00'.repeat(52)}`],
    [{ canId: 5, error: true }, `05000020 00 00 0000 ${'00'.repeat(64)}`],
  ])('%# packs %o', (frame, golden) => {
    expect(packCanFdFrame(frame)).toEqual(hex(golden));
  });

  it('is CANFD_MTU (72) bytes, and unpacks what it packs', () => {
    const bytes = packCanFdFrame({ canId: 0x18fedcba | CAN_EFF_FLAG, brs: true, esi: true, data: fd64.subarray(0, 48) });
    expect(bytes.length).toBe(72);
    const frame = unpackCanFdFrame(bytes);
    expect(frame).toEqual({
      fd: true, canId: 0x98fedcba, id: 0x18fedcba, extended: true, error: false,
      len: 48, flags: CANFD_BRS | CANFD_ESI, brs: true, esi: true, data: fd64.subarray(0, 48),
    });
    expect(packCanFdFrame(frame)).toEqual(bytes);
  });

  it('keeps the kernel\'s CANFD_FDF in flags, and caps the data at 64', () => {
    const frame = unpackCanFdFrame(hex(`21030000 ff 04 0000 ${fd64.toString('hex')}`));
    expect(frame).toMatchObject({ len: 255, flags: CANFD_FDF, brs: false, esi: false });
    expect(frame.data).toEqual(fd64);
  });

  it('names the bad field', () => {
    const cases: ErrorCase[] = [
      [undefined, TypeError, 'packCanFdFrame() expects { canId, data?, extended?, error?, brs?, esi?, flags? }, got undefined'],
      [{ canId: 1, brs: 1 }, TypeError, 'packCanFdFrame(): brs must be a boolean, got 1'],
      [{ canId: 1, esi: 'no' }, TypeError, 'packCanFdFrame(): esi must be a boolean'],
      [{ canId: 1, flags: 1.5 }, TypeError, 'packCanFdFrame(): flags must be an integer, got 1.5'],
      [{ canId: 1, data: 64 }, TypeError, 'packCanFdFrame(): data must be a bytes-like object, got 64'],
      [{ canId: 1, data: Buffer.alloc(65) }, RangeError, 'packCanFdFrame(): data must be at most 64 bytes (CANFD_MAX_DLEN), got 65'],
      [{ canId: 1, flags: 256 }, RangeError, 'packCanFdFrame(): flags must be 0-255, got 256'],
      [{ canId: 0xfff }, RangeError, 'packCanFdFrame(): canId 4095 (0xfff) does not fit a standard 11-bit identifier'],
    ];
    expectErrors((input) => packCanFdFrame(input as never), cases);
    expect(thrown(() => unpackCanFdFrame(Buffer.alloc(16))).message).toBe(
      'unpackCanFdFrame() expects a 72-byte canfd_frame (CANFD_MTU), got 16 bytes',
    );
  });

  it('has no remote frames: remote is not a field of a CAN FD frame', () => {
    expect(packCanFdFrame({ canId: 1, remote: true } as never)).toEqual(packCanFdFrame({ canId: 1 }));
  });
});

describe('unpackFrame', () => {
  it('tells a can_frame from a canfd_frame by its length', () => {
    expect(unpackFrame(packCanFrame({ canId: 1, data: hex('01') }))).toMatchObject({ fd: false, dlc: 1 });
    expect(unpackFrame(packCanFdFrame({ canId: 1, data: Buffer.alloc(20) }))).toMatchObject({ fd: true, len: 20 });
    const err = thrown(() => unpackFrame(Buffer.alloc(24)));
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toBe('unpackFrame() expects a 16-byte can_frame or a 72-byte canfd_frame, got 24 bytes');
    expect(thrown(() => unpackFrame(null as never)).message).toBe('unpackFrame() expects a bytes-like object, got null');
  });

  it('narrows on fd', () => {
    const frame = unpackFrame(packCanFdFrame({ canId: 1, brs: true }));
    expect(frame.fd ? frame.brs : frame.remote).toBe(true);
  });
});

describe('flags', () => {
  it('are the kernel\'s bits', () => {
    expect([CAN_EFF_FLAG, CAN_RTR_FLAG, CAN_ERR_FLAG]).toEqual([0x80000000, 0x40000000, 0x20000000]);
    expect([CANFD_BRS, CANFD_ESI, CANFD_FDF]).toEqual([1, 2, 4]);
  });
});
