/**
 * The IP constants and what this machine's kernel does with them, on
 * loopback: MOD-03, MOD-08, MOD-09 (see the conformance checklist) and every
 * inet constant compared with python3; IPv4 multicast join and leave on
 * `lo`; UDP-Lite with partial checksum coverage; an MPTCP echo; TCP_INFO
 * read back and decoded. A feature the kernel refuses is skipped with the
 * reason.
 */
import { randomInt } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  OSError, SOCK_DGRAM, SOCK_STREAM, SOL_SOCKET, SO_PROTOCOL, SO_REUSEADDR, Socket, TimeoutError,
} from '@bsdsock/core';
import * as inet from '@bsdsock/inet';
import {
  AF_INET, AF_INET6, AddressInfo, IPPROTO_IP, IPPROTO_MPTCP, IPPROTO_TCP, IPPROTO_UDPLITE, IP_ADD_MEMBERSHIP,
  IP_DROP_MEMBERSHIP, IP_MULTICAST_IF, IP_MULTICAST_LOOP, TCP_INFO, tcpInfoSize, UDPLITE_RECV_CSCOV,
  UDPLITE_SEND_CSCOV, createServer, decodeTcpInfo, inetAton, tcpInfo,
} from '@bsdsock/inet';
import { hasPython, needsPython, runPythonSync } from '@bsdsock/test-utils';
import { guardFds } from '../../core/test/fixtures/fd-guard.js';

guardFds();

const opened: Socket[] = [];
function track<T extends Socket>(s: T): T {
  opened.push(s);
  return s;
}
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

const INET_GROUPS = /^(IPPROTO_|IPPORT_|INADDR_|IP_|IPV6_|TCP_|EAI_|AI_|NI_|UDPLITE_|SOL_(IP|TCP|UDP)$)/;
/** Constants CPython exports only from 3.14 on (or never on Linux), which the headers define. */
const NEWER_THAN_313 = new Set([
  'IPPROTO_MAX', 'IPV6_RECVERR', 'IP_FREEBIND', 'IP_RECVERR', 'IP_RECVORIGDSTADDR', 'IP_RECVTTL',
]);

function numericConstants(): Record<string, number> {
  return Object.fromEntries(
    Object.entries(inet).filter(([k, v]) => INET_GROUPS.test(k) && typeof v === 'number'),
  ) as Record<string, number>;
}

describe('constants', () => {
  it('MOD-03: the crucial ones exist', () => {
    for (const name of ['AF_INET', 'AF_INET6', 'IPPROTO_TCP', 'IPPROTO_UDP', 'IPPROTO_IPV6']) {
      expect(typeof (inet as Record<string, unknown>)[name]).toBe('number');
    }
  });

  it('MOD-08: the IP levels, protocols and options (x86-64 Linux values)', () => {
    expect({
      SOL_IP: inet.SOL_IP, SOL_TCP: inet.SOL_TCP, SOL_UDP: inet.SOL_UDP, IPPROTO_ICMP: inet.IPPROTO_ICMP,
      IPPROTO_IPV6: inet.IPPROTO_IPV6, IPPROTO_ICMPV6: inet.IPPROTO_ICMPV6, IPPROTO_SCTP: inet.IPPROTO_SCTP,
      IPPROTO_UDPLITE: inet.IPPROTO_UDPLITE, IPPROTO_RAW: inet.IPPROTO_RAW, IPPROTO_MPTCP: inet.IPPROTO_MPTCP,
      TCP_NODELAY: inet.TCP_NODELAY, TCP_MAXSEG: inet.TCP_MAXSEG, TCP_CORK: inet.TCP_CORK,
      TCP_KEEPIDLE: inet.TCP_KEEPIDLE, TCP_KEEPINTVL: inet.TCP_KEEPINTVL, TCP_KEEPCNT: inet.TCP_KEEPCNT,
      TCP_INFO: inet.TCP_INFO, TCP_QUICKACK: inet.TCP_QUICKACK, TCP_CONGESTION: inet.TCP_CONGESTION,
      TCP_USER_TIMEOUT: inet.TCP_USER_TIMEOUT, TCP_FASTOPEN: inet.TCP_FASTOPEN,
      TCP_NOTSENT_LOWAT: inet.TCP_NOTSENT_LOWAT, IPV6_V6ONLY: inet.IPV6_V6ONLY,
      IPV6_RECVHOPLIMIT: inet.IPV6_RECVHOPLIMIT, IPV6_HOPLIMIT: inet.IPV6_HOPLIMIT,
      IPV6_RECVTCLASS: inet.IPV6_RECVTCLASS, IPV6_TCLASS: inet.IPV6_TCLASS,
    }).toEqual({
      SOL_IP: 0, SOL_TCP: 6, SOL_UDP: 17, IPPROTO_ICMP: 1, IPPROTO_IPV6: 41, IPPROTO_ICMPV6: 58, IPPROTO_SCTP: 132,
      IPPROTO_UDPLITE: 136, IPPROTO_RAW: 255, IPPROTO_MPTCP: 262, TCP_NODELAY: 1, TCP_MAXSEG: 2, TCP_CORK: 3,
      TCP_KEEPIDLE: 4, TCP_KEEPINTVL: 5, TCP_KEEPCNT: 6, TCP_INFO: 11, TCP_QUICKACK: 12, TCP_CONGESTION: 13,
      TCP_USER_TIMEOUT: 18, TCP_FASTOPEN: 23, TCP_NOTSENT_LOWAT: 25, IPV6_V6ONLY: 26, IPV6_RECVHOPLIMIT: 51,
      IPV6_HOPLIMIT: 52, IPV6_RECVTCLASS: 66, IPV6_TCLASS: 67,
    });
  });

  it('MOD-09: AI_*, NI_* and EAI_* (glibc values)', () => {
    expect([inet.AI_PASSIVE, inet.AI_CANONNAME, inet.AI_NUMERICHOST, inet.AI_V4MAPPED, inet.AI_ALL, inet.AI_ADDRCONFIG,
      inet.AI_NUMERICSERV]).toEqual([1, 2, 4, 8, 16, 32, 1024]);
    expect([inet.NI_NUMERICHOST, inet.NI_NUMERICSERV, inet.NI_NOFQDN, inet.NI_NAMEREQD, inet.NI_DGRAM, inet.NI_MAXHOST,
      inet.NI_MAXSERV]).toEqual([1, 2, 4, 8, 16, 1025, 32]);
    expect([inet.EAI_BADFLAGS, inet.EAI_NONAME, inet.EAI_AGAIN, inet.EAI_FAIL, inet.EAI_NODATA, inet.EAI_FAMILY,
      inet.EAI_SOCKTYPE, inet.EAI_SERVICE, inet.EAI_ADDRFAMILY, inet.EAI_MEMORY, inet.EAI_SYSTEM, inet.EAI_OVERFLOW])
      .toEqual([-1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12]);
  });

  it('UDPLITE_SEND_CSCOV / UDPLITE_RECV_CSCOV exist as CPython defines them (10, 11)', () => {
    expect([UDPLITE_SEND_CSCOV, UDPLITE_RECV_CSCOV]).toEqual([10, 11]);
  });

  it('the AddressInfo enum maps names to numbers and back (MOD-10)', () => {
    expect(AddressInfo.AI_PASSIVE).toBe(1);
    expect(AddressInfo[1024]).toBe('AI_NUMERICSERV');
  });

  it.skipIf(!hasPython())(needsPython('every IP constant CPython 3.13 has exists here with the same value'), () => {
    const r = runPythonSync(`
import socket, json, re
pat = re.compile(${JSON.stringify(INET_GROUPS.source)})
print(json.dumps({n: int(getattr(socket, n)) for n in dir(socket) if pat.match(n)}))
`);
    expect(r.code).toBe(0);
    const py = JSON.parse(r.stdout) as Record<string, number>;
    const mine = numericConstants();
    const ours = Object.fromEntries(Object.keys(py).map((k) => [k, mine[k]]));
    expect(ours).toEqual(py);
    const extra = Object.keys(mine).filter((k) => !(k in py));
    expect(extra.filter((k) => !NEWER_THAN_313.has(k))).toEqual([]);
  });
});

describe('IPv4 multicast on loopback', () => {
  it('joins a group, receives a group datagram, leaves, and then receives nothing', async () => {
    const group = `239.255.${randomInt(1, 255)}.${randomInt(1, 255)}`;
    const rx = track(new Socket(AF_INET, SOCK_DGRAM));
    rx.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
    rx.bind(['', 0]);
    const port = (rx.getsockname() as [string, number])[1];
    // struct ip_mreq: the group, then the interface address.
    const mreq = Buffer.concat([inetAton(group), inetAton('127.0.0.1')]);
    rx.setsockopt(IPPROTO_IP, IP_ADD_MEMBERSHIP, mreq);

    const tx = track(new Socket(AF_INET, SOCK_DGRAM));
    tx.setsockopt(IPPROTO_IP, IP_MULTICAST_IF, inetAton('127.0.0.1'));
    tx.setsockopt(IPPROTO_IP, IP_MULTICAST_LOOP, 1);
    expect(tx.getsockopt(IPPROTO_IP, IP_MULTICAST_LOOP)).toBe(1);
    await tx.sendto(Buffer.from('to the group'), [group, port]);
    rx.settimeout(5);
    const [data, from] = await rx.recvfrom(100);
    expect(data.toString()).toBe('to the group');
    expect(from).toEqual(['127.0.0.1', (tx.getsockname() as [string, number])[1]]);

    rx.setsockopt(IPPROTO_IP, IP_DROP_MEMBERSHIP, mreq);
    await tx.sendto(Buffer.from('after leaving'), [group, port]);
    rx.settimeout(0.3);
    await expect(rx.recvfrom(100)).rejects.toBeInstanceOf(TimeoutError);
    // Leaving twice: the kernel says the socket is not a member.
    expect(() => rx.setsockopt(IPPROTO_IP, IP_DROP_MEMBERSHIP, mreq)).toThrow(OSError);
  });
});

/** A socket of a protocol the kernel may not offer: the reason when it does not. */
function tryProtocol(family: number, type: number, proto: number): Socket | string {
  try {
    return track(new Socket(family, type, proto));
  } catch (err) {
    if (err instanceof OSError) return `the kernel refuses socket(${family}, ${type}, ${proto}): ${err.message}`;
    throw err;
  }
}

const udplite = tryProtocol(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE);
const mptcp = tryProtocol(AF_INET, SOCK_STREAM, IPPROTO_MPTCP);
for (const s of opened.splice(0)) s.close();

describe('UDP-Lite', () => {
  it.skipIf(typeof udplite === 'string')(`checksum coverage set, read back and used${typeof udplite === 'string' ? ` (${udplite})` : ''}`, async () => {
    const rx = track(new Socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE));
    const tx = track(new Socket(AF_INET, SOCK_DGRAM, IPPROTO_UDPLITE));
    expect(rx.proto).toBe(IPPROTO_UDPLITE);
    expect(rx.getsockopt(SOL_SOCKET, SO_PROTOCOL)).toBe(IPPROTO_UDPLITE);
    rx.bind(['127.0.0.1', 0]);
    // Sender: cover the 8-byte header and the first 12 bytes of data.
    tx.setsockopt(IPPROTO_UDPLITE, UDPLITE_SEND_CSCOV, 20);
    expect(tx.getsockopt(IPPROTO_UDPLITE, UDPLITE_SEND_CSCOV)).toBe(20);
    // Receiver: accept datagrams covering at least 20 bytes.
    rx.setsockopt(IPPROTO_UDPLITE, UDPLITE_RECV_CSCOV, 20);
    expect(rx.getsockopt(IPPROTO_UDPLITE, UDPLITE_RECV_CSCOV)).toBe(20);
    await tx.sendto(Buffer.from('partially covered payload'), rx.getsockname());
    rx.settimeout(5);
    const [data, from] = await rx.recvfrom(100);
    expect(data.toString()).toBe('partially covered payload');
    expect(from).toEqual(['127.0.0.1', (tx.getsockname() as [string, number])[1]]);

    // A receiver asking for more coverage than the sender gives drops the datagram.
    rx.setsockopt(IPPROTO_UDPLITE, UDPLITE_RECV_CSCOV, 40);
    await tx.sendto(Buffer.from('too little coverage for 40'), rx.getsockname());
    rx.settimeout(0.3);
    await expect(rx.recvfrom(100)).rejects.toBeInstanceOf(TimeoutError);
  });
});

describe('MPTCP', () => {
  it.skipIf(typeof mptcp === 'string')(`an echo over IPPROTO_MPTCP${typeof mptcp === 'string' ? ` (${mptcp})` : ''}`, async () => {
    const srv = track(new Socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP));
    srv.bind(['127.0.0.1', 0]);
    srv.listen();
    const cli = track(new Socket(AF_INET, SOCK_STREAM, IPPROTO_MPTCP));
    cli.settimeout(5);
    await cli.connect(srv.getsockname());
    srv.settimeout(5);
    const [conn] = await srv.accept();
    track(conn);
    conn.settimeout(5);
    expect(cli.getsockopt(SOL_SOCKET, SO_PROTOCOL)).toBe(IPPROTO_MPTCP);
    expect(conn.proto).toBe(IPPROTO_MPTCP);
    const payload = Buffer.alloc(100_000, 0x6d);
    const sent = cli.sendall(payload);
    const echoed: Buffer[] = [];
    let got = 0;
    const echoer = (async () => {
      let n = 0;
      while (n < payload.length) {
        const chunk = await conn.recv(65536);
        if (chunk.length === 0) break;
        n += chunk.length;
        await conn.sendall(chunk);
      }
    })();
    while (got < payload.length) {
      const chunk = await cli.recv(65536);
      if (chunk.length === 0) break;
      echoed.push(chunk);
      got += chunk.length;
    }
    await sent;
    await echoer;
    expect(Buffer.concat(echoed).equals(payload)).toBe(true);
  });
});

describe('TCP_INFO', () => {
  it('is read back from a live connection and decoded', async () => {
    const srv = track(createServer(['127.0.0.1', 0]));
    srv.settimeout(5);
    const cli = track(new Socket(AF_INET, SOCK_STREAM));
    cli.settimeout(5);
    await cli.connect(srv.getsockname());
    const [conn] = srv.acceptSync();
    track(conn);
    await cli.sendall(Buffer.alloc(5000, 1));
    conn.settimeout(5);
    let n = 0;
    while (n < 5000) n += (await conn.recv(65536)).length;
    // Wait for the ACKs of what was sent.
    for (let i = 0; i < 50 && (tcpInfo(cli).bytes_acked ?? 0n) < 5000n; i++) await new Promise((r) => setTimeout(r, 10));

    const info = tcpInfo(cli);
    expect(info.state).toBe(1); // TCP_ESTABLISHED
    expect(info.snd_mss).toBeGreaterThan(0);
    expect(info.rcv_mss).toBeGreaterThan(0);
    expect(info.pmtu).toBeGreaterThan(0);
    expect(info.bytes_acked).toBeGreaterThanOrEqual(5001n);
    expect(info.segs_out).toBeGreaterThan(0);
    expect(info.total_retrans).toBe(0);

    const raw = cli.getsockopt(IPPROTO_TCP, TCP_INFO, tcpInfoSize);
    expect(raw.length).toBe(tcpInfoSize);
    const decoded = decodeTcpInfo(raw);
    expect(decoded.state).toBe(raw[0]);
    expect(decoded.rto).toBe(raw.readUInt32LE(8));

    const peer = tcpInfo(conn);
    expect(peer.state).toBe(1);
    expect(peer.bytes_received).toBeGreaterThanOrEqual(5000n);
  });

  it('a listening socket reports TCP_LISTEN (10); a closed one raises EBADF', () => {
    const srv = track(createServer(['127.0.0.1', 0]));
    expect(tcpInfo(srv).state).toBe(10);
    const s6 = track(createServer(['::1', 0], { family: AF_INET6 }));
    expect(tcpInfo(s6).state).toBe(10);
    srv.close();
    expect(() => tcpInfo(srv)).toThrow(OSError);
  });
});
