/**
 * CAN_RAW on vcan0 with a real kernel (CAN-02 to CAN-08, CAN-13): bind and
 * getsockname, the interface errors, CAN_RAW_LOOPBACK, CAN_RAW_FILTER set,
 * read back and applied, Classical CAN frames both ways with Debian's
 * python3 as the peer (it packs and unpacks with `struct` as CPython's own
 * tests do), and CAN FD frames with CAN_RAW_FD_FRAMES.
 *
 * Runs in the kernel lab (`npm run test:kernel -- packages/can`); elsewhere
 * it skips with the reason unless this kernel has CAN_RAW and vcan0.
 */
import { describe, expect, it } from 'vitest';
import { OSError, SOCK_DGRAM, SOCK_RAW, Socket, ifNametoindex } from '@bsdsock/core';
import {
  AF_CAN, CANFD_BRS, CANFD_MTU, CAN_EFF_FLAG, CAN_MTU, CAN_RAW, CAN_RAW_FD_FRAMES, CAN_RAW_FILTER, CAN_RAW_LOOPBACK,
  CAN_RAW_RECV_OWN_MSGS, CAN_SFF_MASK, PF_CAN, SOL_CAN_RAW, packCanFdFrame, packCanFilters, packCanFrame, unpackCanFdFrame,
  unpackCanFilters, unpackCanFrame, unpackFrame,
} from '@bsdsock/can';
import { kernelSkipReason } from '@bsdsock/test-utils';
import { IFACE, WAIT_S, ifaceMtu, recvWithin, recvfromWithin, skipped, socketHooks, usePythonPeer } from './lab.js';

const why = kernelSkipReason('can', () => {
  new Socket(AF_CAN, SOCK_RAW, CAN_RAW).close();
  ifNametoindex(IFACE);
});

/** The peer: a CAN_RAW socket on vcan0 with CAN FD frames enabled, packing and unpacking with struct. */
const PEER = `
import socket, struct, time
s = socket.socket(socket.PF_CAN, socket.SOCK_RAW, socket.CAN_RAW)
s.setsockopt(socket.SOL_CAN_RAW, socket.CAN_RAW_FD_FRAMES, 1)
s.bind(("${IFACE}",))

def send_classic(can_id, dlc, data_hex):
    return s.send(struct.pack("=IB3x8s", can_id, dlc, bytes.fromhex(data_hex)))

def send_fd(can_id, flags, data_hex):
    data = bytes.fromhex(data_hex)
    return s.send(struct.pack("=IBBBB64s", can_id, len(data), flags, 0, 0, data))

def recv(can_id):
    deadline = time.monotonic() + ${WAIT_S}
    while True:
        s.settimeout(max(0.01, deadline - time.monotonic()))
        frame, addr = s.recvfrom(128)
        if struct.unpack_from("=I", frame)[0] != can_id:
            continue
        if len(frame) == 16:
            cid, dlc, data = struct.unpack("=IB3x8s", frame)
            return {"mtu": 16, "can_id": cid, "len": dlc, "flags": 0, "data": data[:dlc].hex(), "addr": list(addr)}
        cid, length, flags, _, _, data = struct.unpack("=IBBBB64s", frame)
        return {"mtu": len(frame), "can_id": cid, "len": length, "flags": flags, "data": data[:length].hex(), "addr": list(addr)}

COMMANDS = {"send_classic": send_classic, "send_fd": send_fd, "recv": recv}
READY = list(s.getsockname())
`;

interface PeerFrame {
  readonly mtu: number;
  readonly can_id: number;
  readonly len: number;
  readonly flags: number;
  readonly data: string;
  readonly addr: string[];
}

describe.skipIf(why !== '')(`CAN_RAW on ${IFACE}${skipped(why)}`, { timeout: 60_000 }, () => {
  const track = socketHooks();
  const peer = usePythonPeer<string[]>(PEER);

  /** A CAN_RAW socket bound to vcan0. */
  const bound = (): Socket<typeof AF_CAN> => {
    const s = track(new Socket(AF_CAN, SOCK_RAW, CAN_RAW));
    s.bind([IFACE]);
    return s;
  };

  it('creates CAN_RAW sockets with PF_CAN as AF_CAN (CAN-02)', () => {
    const s = track(new Socket(PF_CAN, SOCK_RAW, CAN_RAW));
    expect([s.family, s.type, s.proto]).toEqual([AF_CAN, SOCK_RAW, CAN_RAW]);
  });

  it('bind(["vcan0"]) and getsockname() == ["vcan0"], as python3 sees its own (CAN-13)', () => {
    expect(bound().getsockname()).toEqual([IFACE]);
    expect(peer.ready).toEqual([IFACE]);
  });

  it('bind([""]) binds to every interface; getsockname() == [""], unbound too (CAN-03, CAN-13)', () => {
    const any = track(new Socket(AF_CAN, SOCK_RAW, CAN_RAW));
    expect(any.getsockname()).toEqual(['']);
    any.bind(['']);
    expect(any.getsockname()).toEqual(['']);
  });

  it('an interface name of 1024 characters is OSError "interface name too long" (CAN-04)', () => {
    const s = track(new Socket(AF_CAN, SOCK_RAW, CAN_RAW));
    expect(() => s.bind(['x'.repeat(1024)])).toThrow(OSError);
    expect(() => s.bind(['x'.repeat(1024)])).toThrow(/interface name too long/);
  });

  it('an unknown interface is OSError ENODEV; a wrong shape a TypeError naming the family (CAN-05)', () => {
    const s = track(new Socket(AF_CAN, SOCK_RAW, CAN_RAW));
    expect(() => s.bind(['bsdsock-none'])).toThrow(expect.objectContaining({ errno: 19, code: 'ENODEV' }));
    expect(() => s.bind(IFACE as never)).toThrow(new TypeError('bind(): AF_CAN address must be [interface: string] for CAN_RAW, got "vcan0"'));
    expect(() => s.bind([IFACE, 1] as never)).toThrow(TypeError);
    expect(() => s.bind([5] as never)).toThrow('bind(): AF_CAN interface must be a string, got 5');
  });

  it('CAN_RAW_LOOPBACK set to 0 and 1 reads back the same (CAN-06)', () => {
    const s = track(new Socket(AF_CAN, SOCK_RAW, CAN_RAW));
    for (const loopback of [0, 1]) {
      s.setsockopt(SOL_CAN_RAW, CAN_RAW_LOOPBACK, loopback);
      expect(s.getsockopt(SOL_CAN_RAW, CAN_RAW_LOOPBACK)).toBe(loopback);
    }
  });

  it('CAN_RAW_FILTER from packCanFilters reads back identical bytes; a Uint8Array is accepted too (CAN-07)', () => {
    const s = track(new Socket(AF_CAN, SOCK_RAW, CAN_RAW));
    const filter = packCanFilters([{ canId: 0x200, canMask: 0x700 }]);
    s.setsockopt(SOL_CAN_RAW, CAN_RAW_FILTER, filter);
    expect(s.getsockopt(SOL_CAN_RAW, CAN_RAW_FILTER, 8)).toEqual(filter);
    s.setsockopt(SOL_CAN_RAW, CAN_RAW_FILTER, new Uint8Array(filter));
    const two = [
      { canId: 0x123, canMask: CAN_SFF_MASK, invert: false },
      { canId: 0x1abcdef | CAN_EFF_FLAG, canMask: 0xffffffff, invert: true },
    ];
    s.setsockopt(SOL_CAN_RAW, CAN_RAW_FILTER, packCanFilters(two));
    expect(unpackCanFilters(s.getsockopt(SOL_CAN_RAW, CAN_RAW_FILTER, 16))).toEqual([two[0], { ...two[1], canId: 0x81abcdef }]);
  });

  it('a frame the filter rejects is not delivered; the next one that matches is', async () => {
    const rx = bound();
    rx.setsockopt(SOL_CAN_RAW, CAN_RAW_FILTER, packCanFilters([{ canId: 0x200, canMask: 0x700 }]));
    const tx = bound();
    await tx.send(packCanFrame({ canId: 0x1f3, data: Buffer.from('nope') }));
    await tx.send(packCanFrame({ canId: 0x2ab, data: Buffer.from('yes') }));
    // vcan delivers in order: had 0x1f3 passed the filter, it would come first.
    expect(unpackCanFrame(await recvWithin(rx, CAN_MTU))).toMatchObject({ id: 0x2ab, data: Buffer.from('yes') });
  });

  it('receives python3\'s frames: recvfrom returns CPython\'s bytes and ["vcan0"]; 8 data bytes; two in order (CAN-08)', async () => {
    const rx = bound();
    await peer.call('send_classic', 0x000, 5, '0102030405');
    const [frame, address] = await recvfromWithin(rx, 128);
    expect(frame).toEqual(packCanFrame({ canId: 0, data: Buffer.from([1, 2, 3, 4, 5]) }));
    expect(address).toEqual([IFACE]);

    await peer.call('send_classic', 0x000, 8, '0707070707070707');
    expect(unpackCanFrame(await recvWithin(rx, 128))).toMatchObject({ dlc: 8, data: Buffer.alloc(8, 7) });

    await peer.call('send_classic', 0x07, 4, '44332211');
    await peer.call('send_classic', 0x12, 3, '992233');
    expect(unpackCanFrame(await recvWithin(rx, 128))).toMatchObject({ canId: 0x07, data: Buffer.from('44332211', 'hex') });
    expect(unpackCanFrame(await recvWithin(rx, 128))).toMatchObject({ canId: 0x12, data: Buffer.from('992233', 'hex') });
  });

  it('sends frames python3 unpacks: standard, extended and remote, through send and sendto (CAN-08)', async () => {
    const tx = bound();
    const answer = peer.call<PeerFrame>('recv', 0x123);
    expect(await tx.send(packCanFrame({ canId: 0x123, data: Buffer.from([0xc0, 0xff, 0xee]) }))).toBe(CAN_MTU);
    expect(await answer).toEqual({ mtu: 16, can_id: 0x123, len: 3, flags: 0, data: 'c0ffee', addr: [IFACE] });

    const eff = peer.call<PeerFrame>('recv', (0x1abcdef | CAN_EFF_FLAG) >>> 0);
    const any = track(new Socket(AF_CAN, SOCK_RAW, CAN_RAW));
    any.bind(['']);
    expect(any.sendtoSync(packCanFrame({ canId: 0x1abcdef, extended: true, data: Buffer.alloc(8, 0xa5) }), [IFACE])).toBe(CAN_MTU);
    expect(await eff).toMatchObject({ can_id: 0x81abcdef, len: 8, data: 'a5'.repeat(8) });

    const rtr = peer.call<PeerFrame>('recv', 0x40000000 | 0x7df);
    expect(await tx.sendto(packCanFrame({ canId: 0x7df, remote: true, dlc: 8 }), [IFACE])).toBe(CAN_MTU);
    expect(await rtr).toMatchObject({ len: 8, data: '0000000000000000' });
  });

  it('CAN_RAW_RECV_OWN_MSGS delivers a socket its own frames', async () => {
    const s = bound();
    s.setsockopt(SOL_CAN_RAW, CAN_RAW_RECV_OWN_MSGS, 1);
    await s.send(packCanFrame({ canId: 0x3c, data: Buffer.from('own') }));
    expect(unpackCanFrame(await recvWithin(s, CAN_MTU))).toMatchObject({ canId: 0x3c, data: Buffer.from('own') });
  });

  it(`CAN FD frames both ways with CAN_RAW_FD_FRAMES on ${IFACE} (MTU ${CANFD_MTU})`, async () => {
    expect(ifaceMtu()).toBe(CANFD_MTU);
    const s = bound();
    s.setsockopt(SOL_CAN_RAW, CAN_RAW_FD_FRAMES, 1);
    expect(s.getsockopt(SOL_CAN_RAW, CAN_RAW_FD_FRAMES)).toBe(1);
    const payload = Buffer.from(Array.from({ length: 64 }, (_, i) => 255 - i));

    const answer = peer.call<PeerFrame>('recv', 0x321);
    expect(await s.send(packCanFdFrame({ canId: 0x321, brs: true, data: payload }))).toBe(CANFD_MTU);
    const got = await answer;
    expect({ ...got, flags: got.flags & ~4 }).toEqual({
      mtu: CANFD_MTU, can_id: 0x321, len: 64, flags: CANFD_BRS, data: payload.toString('hex'), addr: [IFACE],
    });

    await peer.call('send_fd', 0x456, CANFD_BRS, payload.subarray(0, 48).toString('hex'));
    const fd = unpackFrame(await recvWithin(s, CANFD_MTU));
    expect(fd).toMatchObject({ fd: true, canId: 0x456, len: 48, brs: true, data: payload.subarray(0, 48) });

    await peer.call('send_classic', 0x457, 2, 'abcd');
    expect(unpackFrame(await recvWithin(s, CANFD_MTU))).toMatchObject({ fd: false, canId: 0x457, dlc: 2 });

    const classicOnly = bound();
    expect(() => classicOnly.sendSync(packCanFdFrame({ canId: 0x458 }))).toThrow(OSError);
    expect(unpackCanFdFrame(packCanFdFrame({ canId: 0x458 })).len).toBe(0);
  });

  it('a CAN_RAW socket is SOCK_RAW only: SOCK_DGRAM is refused by the kernel', () => {
    expect(() => new Socket(AF_CAN, SOCK_DGRAM, CAN_RAW)).toThrow(OSError);
  });
});
