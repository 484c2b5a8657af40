/**
 * SAE J1939 (CAN_J1939) on vcan0 with a real kernel (CAN-12, CAN-13): bind
 * and getsockname with the bigint NAME, two sockets at addresses 0x20 and
 * 0x30 exchanging a PGN with sendto/recvfrom, and the same with Debian's
 * python3 at 0x40, whose recvfrom address must be the tuple bsdsock decodes.
 *
 * Runs in the kernel lab; elsewhere it skips with the reason unless this
 * kernel has CAN_J1939 and vcan0.
 */
import { describe, expect, it } from 'vitest';
import { SOCK_DGRAM, Socket, ifNametoindex } from '@bsdsock/core';
import { AF_CAN, CAN_J1939, J1939_NO_ADDR, J1939_NO_NAME, J1939_NO_PGN } from '@bsdsock/can';
import { kernelSkipReason } from '@bsdsock/test-utils';
import { IFACE, WAIT_S, recvfromWithin, skipped, socketHooks, usePythonPeer } from './lab.js';

const why = kernelSkipReason('can_j1939', () => {
  new Socket(AF_CAN, SOCK_DGRAM, CAN_J1939).close();
  ifNametoindex(IFACE);
});

/** A destination-specific (PDU1) PGN: its low byte is the destination address on the wire. */
const PGN = 0x12300;
const A = 0x20;
const B = 0x30;
const PEER_ADDR = 0x40;

/** What the peer's recvfrom gives: the data in hex, the address with the NAME as a decimal string. */
interface PeerMessage {
  readonly data: string;
  readonly addr: [string, string, number, number];
}

const PEER = `
import socket
s = socket.socket(socket.PF_CAN, socket.SOCK_DGRAM, socket.CAN_J1939)
s.bind(("${IFACE}", socket.J1939_NO_NAME, socket.J1939_NO_PGN, ${PEER_ADDR}))
s.settimeout(${WAIT_S})

def recvfrom():
    data, addr = s.recvfrom(1785)
    return {"data": data.hex(), "addr": [addr[0], str(addr[1]), addr[2], addr[3]]}

def sendto(data_hex, pgn, dest):
    return s.sendto(bytes.fromhex(data_hex), ("${IFACE}", socket.J1939_NO_NAME, pgn, dest))

COMMANDS = {"recvfrom": recvfrom, "sendto": sendto}
name = s.getsockname()
READY = [name[0], str(name[1]), name[2], name[3]]
`;

describe.skipIf(why !== '')(`CAN_J1939 on ${IFACE}${skipped(why)}`, { timeout: 60_000 }, () => {
  const track = socketHooks();
  const peer = usePythonPeer<[string, string, number, number]>(PEER);

  const ecu = (addr: number): Socket<typeof AF_CAN> => {
    const s = track(new Socket(AF_CAN, SOCK_DGRAM, CAN_J1939));
    s.bind([IFACE, J1939_NO_NAME, J1939_NO_PGN, addr]);
    return s;
  };

  it('bind(["vcan0", J1939_NO_NAME, J1939_NO_PGN, J1939_NO_ADDR]) and getsockname() equals it, NAME a bigint (CAN-12, CAN-13)', () => {
    const s = track(new Socket(AF_CAN, SOCK_DGRAM, CAN_J1939));
    expect([s.family, s.type, s.proto]).toEqual([AF_CAN, SOCK_DGRAM, CAN_J1939]);
    const address = [IFACE, J1939_NO_NAME, J1939_NO_PGN, J1939_NO_ADDR] as const;
    s.bind(address);
    const got = s.getsockname();
    expect(got).toEqual(address);
    expect(typeof got[1]).toBe('bigint');
    expect(peer.ready).toEqual([IFACE, '0', J1939_NO_PGN, PEER_ADDR]);
  });

  it('sendto [vcan0, J1939_NO_NAME, pgn, 0x30] from 0x20: recvfrom at 0x30 returns the sender [vcan0, 0n, pgn, 0x20]', async () => {
    const a = ecu(A);
    const b = ecu(B);
    const data = Buffer.from('j1939!');
    expect(await a.sendto(data, [IFACE, J1939_NO_NAME, PGN, B])).toBe(data.length);
    const [got, address] = await recvfromWithin(b, 1785);
    expect(got).toEqual(data);
    expect(address).toEqual([IFACE, 0n, PGN, A]);
    expect(a.sendtoSync(Buffer.from([1, 2, 3]), [IFACE, 0n, PGN, B])).toBe(3);
    expect((await recvfromWithin(b, 1785))[0]).toEqual(Buffer.from([1, 2, 3]));
  });

  it('python3 receives a frame from bsdsock with the sender address bsdsock decodes, and the reverse', async () => {
    const a = ecu(A);
    const data = Buffer.from('to py');
    const received = peer.call<PeerMessage>('recvfrom');
    await a.sendto(data, [IFACE, J1939_NO_NAME, PGN, PEER_ADDR]);
    expect(await received).toEqual({ data: data.toString('hex'), addr: [IFACE, '0', PGN, A] });

    const back = Buffer.from('from py');
    const sent = peer.call<number>('sendto', back.toString('hex'), PGN, A);
    const [got, address] = await recvfromWithin(a, 1785);
    expect(got).toEqual(back);
    expect(address).toEqual([IFACE, 0n, PGN, PEER_ADDR]);
    expect(await sent).toBe(back.length);
  });

  it('a 100-byte message goes each way through the transport protocol; both sides decode the sender alike', async () => {
    const a = ecu(A);
    const data = Buffer.from(Array.from({ length: 100 }, (_, i) => i));
    const received = peer.call<PeerMessage>('recvfrom');
    expect(await a.sendto(data, [IFACE, J1939_NO_NAME, PGN, PEER_ADDR])).toBe(100);
    const theirs = await received;
    expect(theirs.data).toBe(data.toString('hex'));

    const sent = peer.call<number>('sendto', data.toString('hex'), PGN, A);
    const [got, ours] = await recvfromWithin(a, 1785);
    expect(got).toEqual(data);
    expect(await sent).toBe(100);
    // A reassembled message carries the interface the kernel gives it (Linux
    // 6.1 gives none: ifindex 0, so ''): the same for CPython and bsdsock.
    expect(ours).toEqual([theirs.addr[0], 0n, PGN, PEER_ADDR]);
    expect(theirs.addr).toEqual([ours![0], '0', PGN, A]);
  });

  it('rejects a NAME that is not a bigint, and an address out of range, naming the field', () => {
    const s = track(new Socket(AF_CAN, SOCK_DGRAM, CAN_J1939));
    expect(() => s.bind([IFACE, 0, J1939_NO_PGN, 0x20] as never)).toThrow(new TypeError('bind(): AF_CAN name must be a bigint, got 0'));
    expect(() => s.bind([IFACE, 0n, J1939_NO_PGN, 0x100])).toThrow(new RangeError('bind(): AF_CAN addr must be 0-255, got 256'));
  });
});
