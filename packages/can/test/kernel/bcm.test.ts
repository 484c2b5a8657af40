/**
 * The CAN broadcast manager on vcan0 with a real kernel (CAN-02, CAN-09,
 * CAN-13): TX_SEND as CPython's testBCM does it, cyclic TX_SETUP jobs seen
 * by a CAN_RAW socket, TX_EXPIRED after a counted job, RX_SETUP with
 * RX_CHANGED notifications, and CAN FD frames through BCM. Messages are
 * built with packBcmMessage and read with unpackBcmMessage.
 *
 * Runs in the kernel lab; elsewhere it skips with the reason unless this
 * kernel has CAN_BCM and vcan0.
 */
import { describe, expect, it } from 'vitest';
import { OSError, SOCK_DGRAM, SOCK_RAW, Socket, ifNametoindex } from '@bsdsock/core';
import {
  AF_CAN, CANFD_MTU, CAN_BCM, CAN_BCM_CAN_FD_FRAME, CAN_BCM_RX_CHANGED, CAN_BCM_RX_SETUP, CAN_BCM_SETTIMER,
  CAN_BCM_STARTTIMER, CAN_BCM_TX_COUNTEVT, CAN_BCM_TX_DELETE, CAN_BCM_TX_EXPIRED, CAN_BCM_TX_READ, CAN_BCM_TX_SEND,
  CAN_BCM_TX_SETUP, CAN_BCM_TX_STATUS, CAN_MTU, CAN_RAW, CAN_RAW_FD_FRAMES, PF_CAN, SOL_CAN_RAW, packBcmMessage,
  packCanFrame, unpackBcmMessage, unpackCanFrame, unpackFrame,
} from '@bsdsock/can';
import { kernelSkipReason } from '@bsdsock/test-utils';
import { IFACE, ifaceMtu, recvWithin, recvfromWithin, skipped, socketHooks } from './lab.js';

const why = kernelSkipReason('can_bcm', () => {
  new Socket(AF_CAN, SOCK_DGRAM, CAN_BCM).close();
  ifNametoindex(IFACE);
});

/** Room for any BCM message these tests read: the head and a few frames. */
const BCM_BUFSIZE = 4096;

describe.skipIf(why !== '')(`CAN_BCM on ${IFACE}${skipped(why)}`, { timeout: 60_000 }, () => {
  const track = socketHooks();

  const raw = (): Socket<typeof AF_CAN> => {
    const s = track(new Socket(AF_CAN, SOCK_RAW, CAN_RAW));
    s.bind([IFACE]);
    return s;
  };
  const bcm = async (): Promise<Socket<typeof AF_CAN>> => {
    const s = track(new Socket(PF_CAN, SOCK_DGRAM, CAN_BCM));
    await s.connect([IFACE]);
    return s;
  };

  it('creates a CAN_BCM socket and connects it to ["vcan0"] (CAN-02, CAN-09)', async () => {
    const s = await bcm();
    expect([s.family, s.type, s.proto]).toEqual([AF_CAN, SOCK_DGRAM, CAN_BCM]);
    const bad = track(new Socket(AF_CAN, SOCK_DGRAM, CAN_BCM));
    await expect(bad.connect(['bsdsock-none'])).rejects.toMatchObject({ errno: 19, code: 'ENODEV' });
    await expect(bad.connect([IFACE, 0] as never)).rejects.toThrow('connect(): AF_CAN address must be [interface: string] for CAN_BCM');
  });

  it('TX_SEND: send(head + frame) returns its length, and a CAN_RAW socket receives the frame (CAN-09)', async () => {
    const rx = raw();
    const s = await bcm();
    const frame = packCanFrame({ canId: 0x123, data: Buffer.from([0xc0, 0xff, 0xee]) });
    const msg = packBcmMessage({ opcode: CAN_BCM_TX_SEND, canId: 0x222, frames: [frame] });
    expect(await s.send(msg)).toBe(msg.length);
    const got = await recvWithin(rx, CAN_MTU);
    expect(got).toEqual(frame);
    expect(unpackCanFrame(got)).toMatchObject({ canId: 0x123, data: Buffer.from([0xc0, 0xff, 0xee]) });
  });

  it('TX_SETUP sends its frame cyclically: a CAN_RAW socket gets two or more; TX_DELETE ends the job', async () => {
    const rx = raw();
    const s = await bcm();
    const setup = packBcmMessage({
      opcode: CAN_BCM_TX_SETUP,
      flags: CAN_BCM_SETTIMER | CAN_BCM_STARTTIMER,
      ival2: 0.02,
      canId: 0x5a0,
      frames: [{ canId: 0x5a0, data: Buffer.from('cyclic') }],
    });
    expect(await s.send(setup)).toBe(setup.length);
    for (let i = 0; i < 2; i++) {
      expect(unpackCanFrame(await recvWithin(rx, CAN_MTU))).toMatchObject({ canId: 0x5a0, data: Buffer.from('cyclic') });
    }
    await s.send(packBcmMessage({ opcode: CAN_BCM_TX_READ, canId: 0x5a0 }));
    const status = unpackBcmMessage(await recvWithin(s, BCM_BUFSIZE));
    expect(status).toMatchObject({ opcode: CAN_BCM_TX_STATUS, canId: 0x5a0, ival2: { sec: 0, usec: 20000 } });
    expect(status.frames.map((f) => f.data)).toEqual([Buffer.from('cyclic')]);
    await s.send(packBcmMessage({ opcode: CAN_BCM_TX_DELETE, canId: 0x5a0 }));
    await expect(s.send(packBcmMessage({ opcode: CAN_BCM_TX_READ, canId: 0x5a0 }))).rejects.toMatchObject({ code: 'EINVAL' });
  });

  it('TX_SETUP with count 2 and TX_COUNTEVT: two frames at ival1, then TX_EXPIRED on the BCM socket', async () => {
    const rx = raw();
    const s = await bcm();
    await s.send(packBcmMessage({
      opcode: CAN_BCM_TX_SETUP,
      flags: CAN_BCM_SETTIMER | CAN_BCM_STARTTIMER | CAN_BCM_TX_COUNTEVT,
      count: 2,
      ival1: { sec: 0, usec: 10_000 },
      canId: 0x5a1,
      frames: [{ canId: 0x5a1, data: Buffer.from([1]) }],
    }));
    for (let i = 0; i < 2; i++) expect(unpackCanFrame(await recvWithin(rx, CAN_MTU)).canId).toBe(0x5a1);
    expect(unpackBcmMessage(await recvWithin(s, BCM_BUFSIZE))).toMatchObject({
      opcode: CAN_BCM_TX_EXPIRED, canId: 0x5a1, count: 0, frames: [],
    });
  });

  it('RX_SETUP: RX_CHANGED for the first frame and for changed data, none for the same data; recvfrom gives ["vcan0"] (CAN-13)', async () => {
    const s = await bcm();
    await s.send(packBcmMessage({
      opcode: CAN_BCM_RX_SETUP,
      canId: 0x2a0,
      frames: [{ canId: 0x2a0, data: Buffer.from([0xff, 0xff]) }],
    }));
    const tx = raw();
    await tx.send(packCanFrame({ canId: 0x2a0, data: Buffer.from([1, 2]) }));
    const [first, address] = await recvfromWithin(s, BCM_BUFSIZE);
    expect(address).toEqual([IFACE]);
    const changed = unpackBcmMessage(first);
    expect(changed).toMatchObject({ opcode: CAN_BCM_RX_CHANGED, canId: 0x2a0 });
    expect(changed.frames).toHaveLength(1);
    expect(changed.frames[0]).toMatchObject({ canId: 0x2a0, data: Buffer.from([1, 2]) });

    await tx.send(packCanFrame({ canId: 0x2a0, data: Buffer.from([1, 2]) }));
    await tx.send(packCanFrame({ canId: 0x2a0, data: Buffer.from([1, 3]) }));
    // Had the repeated frame raised a notification, it would be read first.
    const next = unpackBcmMessage(await recvWithin(s, BCM_BUFSIZE));
    expect(next).toMatchObject({ opcode: CAN_BCM_RX_CHANGED, canId: 0x2a0 });
    expect(next.frames[0]!.data).toEqual(Buffer.from([1, 3]));
  });

  it(`TX_SEND of a CAN FD frame with CAN_BCM_CAN_FD_FRAME (${IFACE} MTU ${CANFD_MTU})`, async () => {
    expect(ifaceMtu()).toBe(CANFD_MTU);
    const rx = raw();
    rx.setsockopt(SOL_CAN_RAW, CAN_RAW_FD_FRAMES, 1);
    const s = await bcm();
    const data = Buffer.alloc(32, 0x3c);
    const msg = packBcmMessage({
      opcode: CAN_BCM_TX_SEND, flags: CAN_BCM_CAN_FD_FRAME, canId: 0x5a2, frames: [{ canId: 0x5a2, brs: true, data }],
    });
    expect(msg.length).toBe(56 + CANFD_MTU);
    expect(await s.send(msg)).toBe(msg.length);
    expect(unpackFrame(await recvWithin(rx, CANFD_MTU))).toMatchObject({ fd: true, canId: 0x5a2, len: 32, brs: true, data });
  });

  it('a frame whose size does not match the flags is EINVAL from the kernel', async () => {
    const s = await bcm();
    const msg = packBcmMessage({ opcode: CAN_BCM_TX_SEND, canId: 0x5a3, frames: [{ canId: 0x5a3 }] });
    await expect(s.send(msg.subarray(0, msg.length - 1))).rejects.toBeInstanceOf(OSError);
  });
});
