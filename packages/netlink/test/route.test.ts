/**
 * NETLINK_ROUTE on this machine: dump the links with RTM_GETLINK
 * (NLM_F_REQUEST | NLM_F_DUMP), reading the multi-part reply until
 * NLMSG_DONE, and find `lo` (IFLA_IFNAME) with index 1; the list agrees with
 * if_nameindex(). Also: OTH-02 (bind to [0, 0], the kernel assigns the port
 * id), the kernel's own address on recvfrom, an NLMSG_ERROR reply (ENODEV),
 * and the Sync forms. Unprivileged: reading links needs no capability.
 * Header fields read by hand assume a little-endian host, as the golden bytes do.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AF_UNSPEC, SOCK_RAW, Socket, ifNameindex } from '@bsdsock/core';
import {
  AF_NETLINK, IFLA_IFNAME, IFLA_MTU, NETLINK_ROUTE, NLM_F_ACK, NLM_F_DUMP, NLM_F_MULTI, NLM_F_REQUEST, NLMSG_DONE,
  NLMSG_ERROR, RTM_GETLINK, RTM_NEWLINK, attributeString, attributeU32, buildIfinfomsg, buildMessage, parseIfinfomsg,
  parseMessages, type NetlinkMessage,
} from '@bsdsock/netlink';
import { countOpenFds, listOpenFds } from '@bsdsock/test-utils';

let fdsBefore = 0;
let sock: Socket<typeof AF_NETLINK>;
beforeEach(() => {
  fdsBefore = countOpenFds();
  sock = new Socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
  sock.settimeout(5);
});
afterEach(() => {
  sock.close();
  expect(countOpenFds(), [...listOpenFds().values()].join(', ')).toBe(fdsBefore);
});

interface Link {
  readonly index: number;
  readonly name: string;
  readonly mtu: number;
}

/** Reads the reply to request `seq` until NLMSG_DONE; returns its messages and how many datagrams it took. */
async function readDump(seq: number, pid: number): Promise<{ messages: NetlinkMessage[]; datagrams: number }> {
  const messages: NetlinkMessage[] = [];
  let datagrams = 0;
  for (;;) {
    const [data, from] = await sock.recvfrom(1 << 16);
    expect(from).toEqual([0, 0]);
    datagrams++;
    for (const msg of parseMessages(data)) {
      expect([msg.seq, msg.pid]).toEqual([seq, pid]);
      if (msg.type === NLMSG_ERROR) throw new Error(`the kernel answered errno ${-msg.error!}`);
      if (msg.type === NLMSG_DONE) {
        expect(msg.error).toBe(0);
        return { messages, datagrams };
      }
      messages.push(msg);
    }
  }
}

function links(messages: NetlinkMessage[]): Link[] {
  return messages.map((msg) => {
    expect(msg.type).toBe(RTM_NEWLINK);
    expect(msg.flags & NLM_F_MULTI).toBe(NLM_F_MULTI);
    const { index, attributes } = parseIfinfomsg(msg.payload);
    const attr = (type: number): Buffer => attributes.find((a) => a.type === type)!.value;
    return { index, name: attributeString(attr(IFLA_IFNAME)), mtu: attributeU32(attr(IFLA_MTU)) };
  });
}

describe('NETLINK_ROUTE', () => {
  it('bind([0, 0]) lets the kernel assign the port id: getsockname is [pid, 0] (OTH-02)', () => {
    sock.bind([0, 0]);
    const [pid, groups] = sock.getsockname();
    expect(pid).toBeGreaterThan(0);
    expect(groups).toBe(0);
  });

  it('dumps the links with RTM_GETLINK until NLMSG_DONE and finds lo, index 1', async () => {
    sock.bind([0, 0]);
    const [pid] = sock.getsockname();
    const seq = (Date.now() & 0x7fffffff) >>> 0;
    const request = buildMessage({
      type: RTM_GETLINK,
      flags: NLM_F_REQUEST | NLM_F_DUMP,
      seq,
      payload: buildIfinfomsg({ family: AF_UNSPEC }),
    });
    expect(await sock.sendto(request, [0, 0])).toBe(request.length);
    const { messages, datagrams } = await readDump(seq, pid);
    expect(datagrams).toBeGreaterThanOrEqual(1);
    const found = links(messages);
    expect(found).toContainEqual({ index: 1, name: 'lo', mtu: expect.any(Number) });
    expect(found.map((l) => [l.index, l.name]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(
      ifNameindex().sort((a, b) => a[0] - b[0]),
    );
  });

  it('an NLMSG_ERROR reply carries the negative errno and echoes the request header', async () => {
    sock.bind([0, 0]);
    const [pid] = sock.getsockname();
    const request = buildMessage({
      type: RTM_GETLINK,
      flags: NLM_F_REQUEST | NLM_F_ACK,
      seq: 77,
      payload: buildIfinfomsg({ index: 0x7ffffff0 }),
    });
    await sock.sendto(request, [0, 0]);
    const [reply] = parseMessages(await sock.recv(1 << 16));
    expect(reply).toMatchObject({ type: NLMSG_ERROR, seq: 77, pid, error: -19 });
    // struct nlmsgerr: the error, then the request's nlmsghdr (host order; its payload is cut, NLM_F_CAPPED).
    const echoed = reply!.payload.subarray(4, 20);
    expect([echoed.readUInt32LE(0), echoed.readUInt16LE(4), echoed.readUInt32LE(8)]).toEqual([request.length, RTM_GETLINK, 77]);
  });

  it('works with the Sync forms, unbound (the kernel autobinds on send)', () => {
    const seq = 4242;
    const request = buildMessage({ type: RTM_GETLINK, flags: NLM_F_REQUEST | NLM_F_DUMP, seq, payload: buildIfinfomsg() });
    expect(sock.sendtoSync(request, [0, 0])).toBe(request.length);
    const [pid] = sock.getsockname();
    expect(pid).toBeGreaterThan(0);
    const names: string[] = [];
    for (let done = false; !done; ) {
      for (const msg of parseMessages(sock.recvSync(1 << 16))) {
        expect(msg.seq).toBe(seq);
        if (msg.type === NLMSG_DONE) done = true;
        else names.push(attributeString(parseIfinfomsg(msg.payload).attributes.find((a) => a.type === IFLA_IFNAME)!.value));
      }
    }
    expect(names).toContain('lo');
  });

  it('rejects a bad address with a TypeError or RangeError naming the field', () => {
    expect(() => sock.bind([0] as never)).toThrow('bind(): AF_NETLINK address must be [pid: number, groups: number], got [ 0 ]');
    expect(() => sock.bind([-1, 0])).toThrow(RangeError);
  });
});
