/**
 * BCM messages: golden bytes of `struct bcm_msg_head` (CPython's test packs
 * it as "@3I4l2I" aligned to 8: opcode, flags, count, 4 bytes of padding,
 * ival1 and ival2 as two `long`s each, can_id, nframes; 56 bytes on
 * x86-64) followed by its frames, and every class of bad input.
 */
import { describe, expect, it } from 'vitest';
import {
  CAN_BCM_CAN_FD_FRAME, CAN_BCM_RX_CHANGED, CAN_BCM_RX_SETUP, CAN_BCM_SETTIMER, CAN_BCM_STARTTIMER, CAN_BCM_TX_SEND,
  CAN_BCM_TX_SETUP, CAN_EFF_FLAG,
} from './constants.generated.js';
import { packBcmMessage, unpackBcmMessage, type BcmTimeval } from './bcm.js';
import { packCanFdFrame, packCanFrame } from './frame.js';
import { thrown } from '@bsdsock/test-utils';
import { expectErrors, hex, type ErrorCase } from '../test/helpers.js';

const le = (n: number, bytes: 4 | 8): string => {
  const b = Buffer.alloc(bytes);
  if (bytes === 4) b.writeUInt32LE(n);
  else b.writeBigInt64LE(BigInt(n));
  return b.toString('hex');
};
/** A bcm_msg_head, as CPython's test builds it with struct.pack("@3I4l2I", ...). */
const head = (op: number, flags: number, count: number, s1: number, us1: number, s2: number, us2: number, id: number, n: number): string =>
  le(op, 4) + le(flags, 4) + le(count, 4) + '00000000' + le(s1, 8) + le(us1, 8) + le(s2, 8) + le(us2, 8) + le(id, 4) + le(n, 4);

describe('packBcmMessage', () => {
  it('writes CPython\'s TX_SEND message: the head and one frame (CAN-09)', () => {
    const frame = packCanFrame({ canId: 0x123, data: hex('c0ffee') });
    const msg = packBcmMessage({ opcode: CAN_BCM_TX_SEND, canId: 0x222, frames: [frame] });
    expect(msg).toEqual(hex(head(CAN_BCM_TX_SEND, 0, 0, 0, 0, 0, 0, 0x222, 1) + frame.toString('hex')));
    expect(msg.length).toBe(56 + 16);
  });

  it('takes intervals as seconds or { sec, usec }, frames as fields or bytes', () => {
    const msg = packBcmMessage({
      opcode: CAN_BCM_TX_SETUP,
      flags: CAN_BCM_SETTIMER | CAN_BCM_STARTTIMER,
      count: 3,
      ival1: { sec: 1, usec: 500 },
      ival2: 0.1,
      canId: 0x1abcdef | CAN_EFF_FLAG,
      frames: [{ canId: 0x1abcdef, extended: true, data: hex('01') }, packCanFrame({ canId: 0x1abcdef | CAN_EFF_FLAG })],
    });
    expect(msg).toEqual(
      hex(
        head(CAN_BCM_TX_SETUP, 3, 3, 1, 500, 0, 100000, 0x81abcdef, 2) +
          packCanFrame({ canId: 0x1abcdef | CAN_EFF_FLAG, data: hex('01') }).toString('hex') +
          packCanFrame({ canId: 0x1abcdef | CAN_EFF_FLAG }).toString('hex'),
      ),
    );
    expect(packBcmMessage({ opcode: CAN_BCM_RX_SETUP })).toEqual(hex(head(CAN_BCM_RX_SETUP, 0, 0, 0, 0, 0, 0, 0, 0)));
  });

  it('rounds seconds to microseconds, carrying into the seconds', () => {
    const ivals = (ival2: number): BcmTimeval => unpackBcmMessage(packBcmMessage({ opcode: 1, ival2 })).ival2;
    expect(ivals(2.25)).toEqual({ sec: 2, usec: 250000 });
    expect(ivals(0.0000004)).toEqual({ sec: 0, usec: 0 });
    expect(ivals(0.9999996)).toEqual({ sec: 1, usec: 0 });
  });

  it('packs CAN FD frames with CAN_BCM_CAN_FD_FRAME', () => {
    const fd = { canId: 0x321, brs: true, data: Buffer.alloc(64, 0x5a) };
    const msg = packBcmMessage({ opcode: CAN_BCM_TX_SEND, flags: CAN_BCM_CAN_FD_FRAME, canId: 0x321, frames: [fd] });
    expect(msg).toEqual(hex(head(CAN_BCM_TX_SEND, CAN_BCM_CAN_FD_FRAME, 0, 0, 0, 0, 0, 0x321, 1) + packCanFdFrame(fd).toString('hex')));
    expect(msg.length).toBe(56 + 72);
  });

  it('names the bad field', () => {
    const cases: ErrorCase[] = [
      [null, TypeError, 'packBcmMessage() expects { opcode, flags?, count?, ival1?, ival2?, canId?, frames? }, got null'],
      [{}, TypeError, 'packBcmMessage(): opcode must be an integer, got undefined'],
      [{ opcode: 1, flags: '1' }, TypeError, 'packBcmMessage(): flags must be an integer, got "1"'],
      [{ opcode: 1, ival1: '1' }, TypeError, 'packBcmMessage(): ival1 must be seconds or { sec, usec }, got "1"'],
      [{ opcode: 1, ival2: NaN }, TypeError, 'packBcmMessage(): ival2 must be a finite number of seconds, got NaN'],
      [{ opcode: 1, ival1: { sec: 1 } }, TypeError, 'packBcmMessage(): ival1.usec must be an integer, got undefined'],
      [{ opcode: 1, canId: 1n }, TypeError, 'packBcmMessage(): canId must be an integer, got 1n'],
      [{ opcode: 1, frames: 'x' }, TypeError, 'packBcmMessage(): frames must be an array, got "x"'],
      [{ opcode: 1, frames: [{ canId: 1, data: 'x' }] }, TypeError, 'packBcmMessage(): frames[0]: data must be a bytes-like object'],
      [{ opcode: 1, frames: [5] }, TypeError, 'packBcmMessage(): frames[0] expects { canId, data?, extended?, remote?, error?, dlc? }, got 5'],
      [{ opcode: -1 }, RangeError, 'packBcmMessage(): opcode must be 0-4294967295, got -1'],
      [{ opcode: 1, count: 2 ** 32 }, RangeError, 'packBcmMessage(): count must be 0-4294967295'],
      [{ opcode: 1, ival1: -0.5 }, RangeError, 'packBcmMessage(): ival1 must be 0-9007199254740991 seconds, got -0.5'],
      [{ opcode: 1, ival2: { sec: 0, usec: 1_000_000 } }, RangeError, 'packBcmMessage(): ival2.usec must be 0-999999, got 1000000'],
      [{ opcode: 1, ival2: { sec: -1, usec: 0 } }, RangeError, 'packBcmMessage(): ival2.sec must be 0-'],
      [{ opcode: 1, frames: [{ canId: 0x800 }] }, RangeError, 'packBcmMessage(): frames[0]: canId 2048 (0x800) does not fit'],
      [{ opcode: 1, frames: [Buffer.alloc(72)] }, RangeError, 'packBcmMessage(): frames[0] must be 16 bytes (a can_frame), got 72'],
      [{ opcode: 1, flags: CAN_BCM_CAN_FD_FRAME, frames: [Buffer.alloc(16)] }, RangeError, 'packBcmMessage(): frames[0] must be 72 bytes (a canfd_frame, as flags has CAN_BCM_CAN_FD_FRAME), got 16'],
      [{ opcode: 1, flags: CAN_BCM_CAN_FD_FRAME, frames: [{ canId: 1, data: Buffer.alloc(65) }] }, RangeError, 'packBcmMessage(): frames[0]: data must be at most 64 bytes'],
    ];
    expectErrors((input) => packBcmMessage(input as never), cases);
  });
});

describe('unpackBcmMessage', () => {
  it('reads an RX_CHANGED notification with its frame', () => {
    const frame = packCanFrame({ canId: 0x2a0, data: hex('0102') });
    const msg = unpackBcmMessage(hex(head(CAN_BCM_RX_CHANGED, 0, 0, 0, 0, 0, 0, 0x2a0, 1) + frame.toString('hex')));
    expect(msg).toEqual({
      opcode: CAN_BCM_RX_CHANGED, flags: 0, count: 0, ival1: { sec: 0, usec: 0 }, ival2: { sec: 0, usec: 0 }, canId: 0x2a0,
      frames: [{ fd: false, canId: 0x2a0, id: 0x2a0, extended: false, remote: false, error: false, dlc: 2, data: hex('0102') }],
    });
  });

  it('round-trips with packBcmMessage, CAN FD frames included', () => {
    for (const init of [
      { opcode: CAN_BCM_TX_SETUP, flags: 3, count: 7, ival1: { sec: 4, usec: 5 }, ival2: { sec: 0, usec: 20000 }, canId: 0x10, frames: [{ canId: 0x10, data: hex('aa') }] },
      { opcode: CAN_BCM_TX_SEND, flags: CAN_BCM_CAN_FD_FRAME, canId: 0x11, frames: [{ canId: 0x11, esi: true, data: Buffer.alloc(32, 1) }, { canId: 0x11 }] },
      { opcode: CAN_BCM_RX_SETUP, canId: 0x12 },
    ]) {
      const bytes = packBcmMessage(init);
      const msg = unpackBcmMessage(bytes);
      expect(packBcmMessage(msg)).toEqual(bytes);
      expect(msg.frames.length).toBe(init.frames?.length ?? 0);
    }
  });

  it('rejects a message whose length is not the head and nframes frames', () => {
    const two = packBcmMessage({ opcode: 1, frames: [{ canId: 1 }, { canId: 2 }] });
    const cut = thrown(() => unpackBcmMessage(two.subarray(0, 56 + 16)));
    expect(cut).toBeInstanceOf(RangeError);
    expect(cut.message).toBe('unpackBcmMessage() expects 88 bytes (the head and 2 16-byte frames), got 72');
    expect(thrown(() => unpackBcmMessage(Buffer.alloc(40))).message).toBe('unpackBcmMessage() expects at least the 56-byte bcm_msg_head, got 40 bytes');
    expect(thrown(() => unpackBcmMessage({} as never))).toBeInstanceOf(TypeError);
  });
});
