/**
 * ISO 15765-2 transport (CAN_ISOTP) on vcan0 with a real kernel (CAN-04,
 * CAN-10, CAN-13): bind and getsockname, the option structures set and read
 * back, and a 100-byte message both ways with Debian's python3 as the peer
 * (segmented into a first frame and consecutive frames with flow control).
 *
 * Needs the can-isotp module: the qemu backend of the kernel lab has it;
 * under UML these tests skip with that reason, and elsewhere unless this
 * kernel has CAN_ISOTP and vcan0.
 */
import { describe, expect, it } from 'vitest';
import { OSError, SOCK_DGRAM, Socket, ifNametoindex } from '@bsdsock/core';
import {
  AF_CAN, CANFD_BRS, CANFD_MTU, CAN_ISOTP, CAN_ISOTP_LL_OPTS, CAN_ISOTP_OPTS, CAN_ISOTP_RECV_FC, CAN_ISOTP_TX_PADDING,
  CAN_ISOTP_TX_STMIN, SOL_CAN_ISOTP, packIsotpFcOptions, packIsotpLlOptions, packIsotpOptions, unpackIsotpFcOptions,
  unpackIsotpLlOptions, unpackIsotpOptions,
} from '@bsdsock/can';
import { kernelSkipReason } from '@bsdsock/test-utils';
import { IFACE, WAIT_S, recvWithin, skipped, socketHooks, usePythonPeer } from './lab.js';

const why = kernelSkipReason('can_isotp', () => {
  new Socket(AF_CAN, SOCK_DGRAM, CAN_ISOTP).close();
  ifNametoindex(IFACE);
});

/** The ids of the exchange: the peer receives on PEER_RX (our tx) and sends on PEER_TX (our rx). */
const PEER_RX = 0x7e0;
const PEER_TX = 0x7e8;

const PEER = `
import socket
s = socket.socket(socket.PF_CAN, socket.SOCK_DGRAM, socket.CAN_ISOTP)
s.bind(("${IFACE}", ${PEER_RX}, ${PEER_TX}))
s.settimeout(${WAIT_S})

def recv():
    return s.recv(4096).hex()

def send(data_hex):
    return s.send(bytes.fromhex(data_hex))

COMMANDS = {"recv": recv, "send": send}
READY = list(s.getsockname())
`;

describe.skipIf(why !== '')(`CAN_ISOTP on ${IFACE}${skipped(why)}`, { timeout: 60_000 }, () => {
  const track = socketHooks();
  const peer = usePythonPeer<unknown[]>(PEER);

  const isotp = (): Socket<typeof AF_CAN> => track(new Socket(AF_CAN, SOCK_DGRAM, CAN_ISOTP));

  it('bind(["vcan0", 0x123, 0x456]) and getsockname() == ["vcan0", 0x123, 0x456]; unbound it is ["", 0, 0] (CAN-10, CAN-13)', () => {
    const s = isotp();
    expect([s.family, s.type, s.proto]).toEqual([AF_CAN, SOCK_DGRAM, CAN_ISOTP]);
    expect(s.getsockname()).toEqual(['', 0, 0]);
    s.bind([IFACE, 0x123, 0x456]);
    expect(s.getsockname()).toEqual([IFACE, 0x123, 0x456]);
    expect(peer.ready).toEqual([IFACE, PEER_RX, PEER_TX]);
  });

  it('an interface name of 1024 characters is OSError "interface name too long"; an unknown one ENODEV (CAN-04, CAN-10)', () => {
    const s = isotp();
    expect(() => s.bind(['x'.repeat(1024), 1, 2])).toThrow(/interface name too long/);
    expect(() => s.bind(['bsdsock-none', 1, 2])).toThrow(expect.objectContaining({ errno: 19 }));
    expect(() => s.bind([IFACE])).toThrow(new TypeError(
      'bind(): AF_CAN address must be [interface: string, rx_addr: number, tx_addr: number] for CAN_ISOTP, got [ \'vcan0\' ]',
    ));
  });

  it('the option structures read back as set: CAN_ISOTP_OPTS, CAN_ISOTP_RECV_FC, CAN_ISOTP_LL_OPTS, CAN_ISOTP_TX_STMIN', () => {
    const s = isotp();
    const opts = { flags: CAN_ISOTP_TX_PADDING, frameTxtime: 0, extAddress: 0, txpadContent: 0x55, rxpadContent: 0xcc, rxExtAddress: 0 };
    s.setsockopt(SOL_CAN_ISOTP, CAN_ISOTP_OPTS, packIsotpOptions(opts));
    expect(unpackIsotpOptions(s.getsockopt(SOL_CAN_ISOTP, CAN_ISOTP_OPTS, 12))).toEqual(opts);
    s.setsockopt(SOL_CAN_ISOTP, CAN_ISOTP_RECV_FC, packIsotpFcOptions({ bs: 4, stmin: 1, wftmax: 0 }));
    expect(unpackIsotpFcOptions(s.getsockopt(SOL_CAN_ISOTP, CAN_ISOTP_RECV_FC, 3))).toEqual({ bs: 4, stmin: 1, wftmax: 0 });
    s.setsockopt(SOL_CAN_ISOTP, CAN_ISOTP_LL_OPTS, packIsotpLlOptions({ mtu: CANFD_MTU, txDl: 64, txFlags: CANFD_BRS }));
    expect(unpackIsotpLlOptions(s.getsockopt(SOL_CAN_ISOTP, CAN_ISOTP_LL_OPTS, 3))).toEqual({ mtu: CANFD_MTU, txDl: 64, txFlags: CANFD_BRS });
    s.setsockopt(SOL_CAN_ISOTP, CAN_ISOTP_TX_STMIN, 1000);
    expect(s.getsockopt(SOL_CAN_ISOTP, CAN_ISOTP_TX_STMIN)).toBe(1000);
    expect(() => s.setsockopt(SOL_CAN_ISOTP, CAN_ISOTP_LL_OPTS, packIsotpLlOptions({ mtu: 50 }))).toThrow(OSError);
  });

  it('a 100-byte message goes to python3 and one comes back, each reassembled whole', async () => {
    const s = isotp();
    s.bind([IFACE, PEER_TX, PEER_RX]);
    const out = Buffer.from(Array.from({ length: 100 }, (_, i) => (i * 7) & 0xff));
    const received = peer.call<string>('recv');
    expect(await s.send(out)).toBe(100);
    expect(await received).toBe(out.toString('hex'));

    const back = Buffer.from(Array.from({ length: 100 }, (_, i) => 255 - i));
    const sent = peer.call<number>('send', back.toString('hex'));
    expect(await recvWithin(s, 4096)).toEqual(back);
    expect(await sent).toBe(100);
  });
});
