/**
 * AF_PACKET on the loopback interface of this machine's network namespace
 * (PKT-01, PKT-02, PKT-07, PKT-08): a SOCK_RAW socket bound to
 * `['lo', ETH_P_ALL]` captures a UDP datagram that a bsdsock UDP socket
 * sends to 127.0.0.1, and decodes recvfrom's address; SOCK_DGRAM (cooked)
 * mode gets the IP packet without the Ethernet header; a raw frame sent on
 * `lo` comes back; getsockname matches CPython's.
 *
 * Needs CAP_NET_RAW: skipped with the reason when socket() says EPERM.
 * Nothing leaves the loopback interface.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PermissionError, SOCK_DGRAM, SOCK_RAW, Socket } from '@bsdsock/core';
import { AF_INET, htons } from '@bsdsock/inet';
import {
  AF_PACKET, ETH_P_ALL, ETHERTYPE_IP, PACKET_HOST, PACKET_OUTGOING, PF_PACKET, buildEthernetHeader, parseEthernetHeader,
  type PacketAddressResult,
} from '@bsdsock/packet';
import { countOpenFds, hasPython, listOpenFds, needsPython, python, PYTHON_VERSION } from '@bsdsock/test-utils';

/** ARPHRD_LOOPBACK (<linux/if_arp.h>). */
const ARPHRD_LOOPBACK = 772;
const ETHERTYPE_EXPERIMENTAL = 0x88b5;
const LO_MAC = Buffer.alloc(6);

function unavailable(): string | null {
  try {
    new Socket(AF_PACKET, SOCK_RAW, 0).close();
    return null;
  } catch (err) {
    if (err instanceof PermissionError) return 'AF_PACKET needs CAP_NET_RAW (EPERM)';
    throw err;
  }
}
const reason = unavailable();

/** Receives on `sock` until a frame containing `marker` arrives, for at most `ms`; returns every such frame. */
async function capture(sock: Socket<typeof AF_PACKET>, marker: Buffer, want: number, ms = 5000): Promise<[Buffer, PacketAddressResult][]> {
  const found: [Buffer, PacketAddressResult][] = [];
  const deadline = Date.now() + ms;
  while (found.length < want) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    sock.settimeout(left / 1000);
    let got: [Buffer, PacketAddressResult | null];
    try {
      got = await sock.recvfrom(65535);
    } catch (err) {
      if ((err as Error).name === 'TimeoutError') break;
      throw err;
    }
    if (got[0].includes(marker)) found.push([got[0], got[1]!]);
  }
  return found;
}

describe.skipIf(reason !== null)(`AF_PACKET on lo${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let fdsBefore = 0;
  const open: Socket[] = [];
  const track = <S extends Socket>(s: S): S => {
    open.push(s);
    return s;
  };

  beforeEach(() => {
    fdsBefore = countOpenFds();
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
    expect(countOpenFds(), [...listOpenFds().values()].join(', ')).toBe(fdsBefore);
  });

  it('a socket keeps the proto as given; bound to lo, getsockname is [ifname, proto, pkttype, hatype, addr] (PKT-01, PKT-02)', () => {
    const s = track(new Socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)));
    expect([s.family, s.type, s.proto]).toEqual([AF_PACKET, SOCK_RAW, 768]);
    expect(PF_PACKET).toBe(AF_PACKET);
    s.bind(['lo', ETHERTYPE_IP]);
    expect(s.getsockname()).toEqual(['lo', 2048, PACKET_HOST, ARPHRD_LOOPBACK, LO_MAC]);
    const unbound = track(new Socket(AF_PACKET, SOCK_DGRAM, 0));
    expect(unbound.getsockname()).toEqual(['', 0, 0, 0, Buffer.alloc(0)]);
  });

  it.skipIf(!hasPython())(needsPython(`getsockname agrees with CPython ${PYTHON_VERSION}`), async () => {
    const s = track(new Socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)));
    s.bind(['lo', ETHERTYPE_IP]);
    const [name, proto, pkttype, hatype, addr] = s.getsockname();
    const py = await python(
      'import socket\n' +
        's = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(socket.ETH_P_ALL))\n' +
        "s.bind(('lo', socket.ETHERTYPE_IP))\n" +
        'n, p, t, h, a = s.getsockname()\n' +
        "print(n, p, t, h, a.hex(), s.proto)\n",
    );
    expect(py.trim()).toBe(`${name} ${proto} ${pkttype} ${hatype} ${addr.toString('hex')} ${s.proto}`);
  });

  it('SOCK_RAW bound to [lo, ETH_P_ALL] captures a UDP datagram sent to 127.0.0.1, and decodes its address (PKT-07)', async () => {
    const cap = track(new Socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)));
    cap.bind(['lo', ETH_P_ALL]);
    const rx = track(new Socket(AF_INET, SOCK_DGRAM));
    rx.bind(['127.0.0.1', 0]);
    const tx = track(new Socket(AF_INET, SOCK_DGRAM));
    const marker = Buffer.from(`bsdsock-packet-${randomBytes(6).toString('hex')}`);
    await tx.sendto(marker, rx.getsockname());
    const frames = await capture(cap, marker, 2);
    expect(frames.length).toBeGreaterThanOrEqual(1);
    for (const [frame, address] of frames) {
      const [ifname, proto, pkttype, hatype, addr] = address;
      expect(ifname).toBe('lo');
      expect(proto).toBe(ETHERTYPE_IP);
      expect([PACKET_HOST, PACKET_OUTGOING]).toContain(pkttype);
      expect(hatype).toBe(ARPHRD_LOOPBACK);
      expect(addr).toEqual(LO_MAC);
      const eth = parseEthernetHeader(frame);
      expect(eth).toMatchObject({ dst: '00:00:00:00:00:00', src: '00:00:00:00:00:00', ethertype: ETHERTYPE_IP, headerLength: 14 });
      expect(eth.payload[0]! >> 4).toBe(4);
      expect(eth.payload[9]).toBe(17);
      expect(eth.payload.subarray(eth.payload.length - marker.length)).toEqual(marker);
    }
    expect((await rx.recv(100)).equals(marker)).toBe(true);
  });

  it('SOCK_DGRAM (cooked) mode receives the IP packet without the link-level header', async () => {
    const cap = track(new Socket(AF_PACKET, SOCK_DGRAM, htons(ETHERTYPE_IP)));
    cap.bind(['lo', ETHERTYPE_IP]);
    const rx = track(new Socket(AF_INET, SOCK_DGRAM));
    rx.bind(['127.0.0.1', 0]);
    const tx = track(new Socket(AF_INET, SOCK_DGRAM));
    const marker = Buffer.from(`bsdsock-cooked-${randomBytes(6).toString('hex')}`);
    await tx.sendto(marker, rx.getsockname());
    const [[packet, address] = []] = await capture(cap, marker, 1);
    expect(packet).toBeDefined();
    expect(packet![0]).toBe(0x45);
    expect(packet!.length).toBe(20 + 8 + marker.length);
    expect(address).toEqual(['lo', ETHERTYPE_IP, PACKET_HOST, ARPHRD_LOOPBACK, LO_MAC]);
  });

  it('sendto(frame, [lo, proto]) returns the bytes sent, and a socket bound to that ethertype receives the frame (PKT-08)', async () => {
    const cap = track(new Socket(AF_PACKET, SOCK_RAW, htons(ETHERTYPE_EXPERIMENTAL)));
    cap.bind(['lo', ETHERTYPE_EXPERIMENTAL]);
    const tx = track(new Socket(AF_PACKET, SOCK_RAW, 0));
    const marker = Buffer.from(`bsdsock-raw-${randomBytes(6).toString('hex')}`);
    const frame = Buffer.concat([
      buildEthernetHeader({ dst: LO_MAC, src: LO_MAC, ethertype: ETHERTYPE_EXPERIMENTAL }),
      marker,
    ]);
    expect(await tx.sendto(frame, ['lo', ETHERTYPE_EXPERIMENTAL])).toBe(frame.length);
    expect(tx.sendtoSync(frame, 0, ['lo', ETHERTYPE_EXPERIMENTAL])).toBe(frame.length);
    const got = await capture(cap, marker, 2);
    expect(got.length).toBe(2);
    for (const [data, address] of got) {
      expect(data).toEqual(frame);
      expect(address).toEqual(['lo', ETHERTYPE_EXPERIMENTAL, PACKET_HOST, ARPHRD_LOOPBACK, LO_MAC]);
    }
  });

  it('an unknown interface is OSError ENODEV; a bad address a TypeError or RangeError naming the field', () => {
    const s = track(new Socket(AF_PACKET, SOCK_RAW, 0));
    expect(() => s.bind(['bsdsock-no-such-if', 1])).toThrow(expect.objectContaining({ errno: 19, code: 'ENODEV' }));
    expect(() => s.bind('lo' as never)).toThrow(TypeError);
    expect(() => s.bind(['lo', 70000])).toThrow('bind(): AF_PACKET proto must be 0-65535, got 70000');
  });
});
