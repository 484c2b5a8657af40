/**
 * AF_TIPC on a real kernel, within one node (no bearer, no node address:
 * the kernel lab's `tipc` module as loaded): RDM and SEQPACKET sockets bound
 * to a service range and reached by a service name (TIPC-02), SOCK_STREAM
 * connect and accept (TIPC-03), the 5-tuples getsockname, recvfrom and
 * accept return (TIPC-05), what the kernel refuses, and CPython
 * (`BSDSOCK_KERNEL_LAB_PYTHON`, Debian's python3) as the peer.
 *
 * Runs in the kernel lab (`npm run test:kernel`); elsewhere it runs when the
 * kernel has TIPC and is skipped with the reason when it has not, as
 * CPython's tests skip without `tipc` in /proc/modules (TIPC-06).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PermissionError, SOCK_RDM, SOCK_SEQPACKET, SOCK_STREAM, SOL_SOCKET, SO_REUSEADDR, Socket,
} from '@bsdsock/core';
import {
  AF_TIPC, TIPC_ADDR_ID, TIPC_ADDR_NAME, TIPC_ADDR_NAMESEQ, TIPC_CLUSTER_SCOPE, TIPC_NODE_SCOPE,
  type TipcAddressResult,
} from '@bsdsock/tipc';
import { countOpenFds, kernelSkipReason, LAB_PEER_PYTHON, listOpenFds, spawnPython } from '@bsdsock/test-utils';

const why = kernelSkipReason('tipc', () => new Socket(AF_TIPC, SOCK_RDM).close());


/** Service types of this run: above the 64 the kernel reserves, apart from other processes'. */
const TYPE = 20000 + (process.pid % 10000) * 4;
const EHOSTUNREACH = 113;
const EAFNOSUPPORT = 97;
const MSG = Buffer.from('Michael Gilfix was here\u1234\r\n', 'utf8');

/** A socket address as the kernel returns it: [TIPC_ADDR_ID, node, ref, 0, 0]. */
function expectSocketAddress(address: TipcAddressResult | null): void {
  expect(address).not.toBeNull();
  const [addrType, node, ref, v3, scope] = address!;
  expect([addrType, v3, scope]).toEqual([TIPC_ADDR_ID, 0, 0]);
  expect(Number.isInteger(node) && node >= 0).toBe(true);
  expect(ref).toBeGreaterThan(0);
}

describe.skipIf(why !== '')(`AF_TIPC within one node (TIPC-06: where the kernel has TIPC)${why ? ` (skipped: ${why})` : ''}`, () => {
  let fdsBefore = 0;
  const open: Socket[] = [];
  const track = <S extends Socket>(s: S): S => {
    open.push(s);
    s.settimeout(10);
    return s;
  };

  beforeEach(() => {
    fdsBefore = countOpenFds();
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
    expect(countOpenFds(), [...listOpenFds().values()].join(', ')).toBe(fdsBefore);
  });

  it('RDM: a server bound to a service range gets a datagram sent to a name in it, from the client\'s getsockname (TIPC-02, TIPC-05)', async () => {
    const srv = track(new Socket(AF_TIPC, SOCK_RDM));
    srv.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
    srv.bind([TIPC_ADDR_NAMESEQ, TYPE, 200, 210]);
    const cli = track(new Socket(AF_TIPC, SOCK_RDM));
    expectSocketAddress(srv.getsockname());
    expectSocketAddress(cli.getsockname());

    expect(cli.sendtoSync(MSG, [TIPC_ADDR_NAME, TYPE, 205, 0])).toBe(MSG.length);
    const [data, from] = srv.recvfromSync(1024);
    expect(data).toEqual(MSG);
    expect(from).toEqual(cli.getsockname());

    // The Promise forms, and a reply to the socket address recvfrom gave.
    expect(await srv.sendto(Buffer.from('reply'), from!)).toBe(5);
    const [reply, replyFrom] = await cli.recvfrom(1024);
    expect(reply.toString()).toBe('reply');
    expect(replyFrom).toEqual(srv.getsockname());
  });

  it('RDM: a name with its scope, the instance at either end of the range, and an id address reach the server', async () => {
    const srv = track(new Socket(AF_TIPC, SOCK_RDM));
    srv.bind([TIPC_ADDR_NAMESEQ, TYPE + 1, 10, 20, TIPC_NODE_SCOPE]);
    const cli = track(new Socket(AF_TIPC, SOCK_RDM));
    const targets = [
      [TIPC_ADDR_NAME, TYPE + 1, 10, 0, TIPC_NODE_SCOPE],
      [TIPC_ADDR_NAME, TYPE + 1, 20, 0],
      srv.getsockname(),
    ] as const;
    for (const [i, target] of targets.entries()) {
      await cli.sendto(Buffer.from([i]), target);
      const [data, from] = await srv.recvfrom(16);
      expect([...data]).toEqual([i]);
      expect(from).toEqual(cli.getsockname());
    }
  });

  it('a name nobody serves is EHOSTUNREACH; a negative scope withdraws a binding; the kernel refuses reserved types and ids', async () => {
    const srv = track(new Socket(AF_TIPC, SOCK_RDM));
    srv.bind([TIPC_ADDR_NAMESEQ, TYPE + 2, 1, 1]);
    const cli = track(new Socket(AF_TIPC, SOCK_RDM));
    await expect(cli.sendto(MSG, [TIPC_ADDR_NAME, TYPE + 2, 2, 0])).rejects.toMatchObject({ errno: EHOSTUNREACH, code: 'EHOSTUNREACH' });
    expect(await cli.sendto(MSG, [TIPC_ADDR_NAME, TYPE + 2, 1, 0])).toBe(MSG.length);
    expect((await srv.recv(1024)).equals(MSG)).toBe(true);

    srv.bind([TIPC_ADDR_NAMESEQ, TYPE + 2, 1, 1, -TIPC_CLUSTER_SCOPE]);
    expect(() => cli.sendtoSync(MSG, [TIPC_ADDR_NAME, TYPE + 2, 1, 0])).toThrow(expect.objectContaining({ errno: EHOSTUNREACH }));

    const other = track(new Socket(AF_TIPC, SOCK_RDM));
    expect(() => other.bind([TIPC_ADDR_NAMESEQ, 5, 1, 1])).toThrow(PermissionError);
    expect(() => other.bind([TIPC_ADDR_ID, 0, 1, 0])).toThrow(expect.objectContaining({ errno: EAFNOSUPPORT }));
    expect(() => other.bind([TIPC_ADDR_NAME, TYPE + 2, 1, 0, 200])).toThrow('bind(): AF_TIPC scope must be -128-127, got 200');
    expect(() => other.bind('tipc' as never)).toThrow(TypeError);
  });

  it('SEQPACKET: sendto a name sets up a connection; accept gets it, recvfrom gives the data and the client\'s address', async () => {
    const srv = track(new Socket(AF_TIPC, SOCK_SEQPACKET));
    srv.bind([TIPC_ADDR_NAMESEQ, TYPE + 3, 200, 210]);
    srv.listen(1);
    const cli = track(new Socket(AF_TIPC, SOCK_SEQPACKET));
    expect(await cli.sendto(Buffer.from('first'), [TIPC_ADDR_NAME, TYPE + 3, 205, 0])).toBe(5);

    const [conn, peer] = await srv.accept();
    track(conn);
    expect(peer).toEqual(cli.getsockname());
    const [data, from] = await conn.recvfrom(100);
    expect(data.toString()).toBe('first');
    expect(from).toEqual(cli.getsockname());

    // Message boundaries hold both ways; the client is connected once the accept's reply came.
    await conn.send(Buffer.from('one'));
    await conn.send(Buffer.from('two'));
    expect((await cli.recv(100)).toString()).toBe('one');
    expect((await cli.recv(100)).toString()).toBe('two');
    expect(cli.getpeername()).toEqual(conn.getsockname());
    expect(conn.getpeername()).toEqual(cli.getsockname());
    expectSocketAddress(conn.getsockname());
  });

  it('SOCK_STREAM: connect to a name while the server accepts; the address from accept is the client\'s getsockname (TIPC-03)', async () => {
    const srv = track(new Socket(AF_TIPC, SOCK_STREAM));
    srv.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1);
    srv.bind([TIPC_ADDR_NAMESEQ, TYPE + 4, 200, 210]);
    srv.listen();
    const cli = track(new Socket(AF_TIPC, SOCK_STREAM));
    // A TIPC connect completes when the server accepts: both wait at once.
    const [, [conn, peer]] = await Promise.all([cli.connect([TIPC_ADDR_NAME, TYPE + 4, 205, 0]), srv.accept()]);
    track(conn);
    expect(peer).toEqual(cli.getsockname());
    expect(conn.getpeername()).toEqual(cli.getsockname());
    expect(cli.getpeername()).toEqual(conn.getsockname());

    await cli.sendall(MSG);
    let got = Buffer.alloc(0);
    while (got.length < MSG.length) got = Buffer.concat([got, await conn.recv(1024)]);
    expect(got).toEqual(MSG);

    const lone = track(new Socket(AF_TIPC, SOCK_STREAM));
    await expect(lone.connect([TIPC_ADDR_NAME, TYPE + 4, 500, 0])).rejects.toMatchObject({ errno: EHOSTUNREACH });
  });

  it('CPython as the peer: it sees bsdsock\'s getsockname as the sender, and bsdsock sees its getsockname', async () => {
    const py = spawnPython(
      [
        'import json, socket, sys',
        's = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)',
        's.settimeout(20)',
        's.bind((socket.TIPC_ADDR_NAMESEQ, int(sys.argv[1]), 1, 1))',
        'print(json.dumps(s.getsockname()), flush=True)',
        'data, addr = s.recvfrom(1024)',
        'print(json.dumps(addr), flush=True)',
        's.sendto(data[::-1], addr)',
        'n = socket.socket(socket.AF_TIPC, socket.SOCK_RDM)',
        'print(json.dumps(n.getsockname()), flush=True)',
      ].join('\n'),
      { args: [String(TYPE + 5)], executable: LAB_PEER_PYTHON, timeoutMs: 60_000 },
    );
    try {
      const pyName = JSON.parse(await py.readLine(45_000)) as number[];
      const sock = track(new Socket(AF_TIPC, SOCK_RDM));
      await sock.sendto(Buffer.from('abc'), [TIPC_ADDR_NAME, TYPE + 5, 1, 0]);
      expect(JSON.parse(await py.readLine())).toEqual(sock.getsockname());
      const [data, from] = await sock.recvfrom(1024);
      expect(data.toString()).toBe('cba');
      expect(from).toEqual(pyName);
      // Both see the same node in an unbound socket's address.
      const pyUnbound = JSON.parse(await py.readLine()) as number[];
      expect(pyUnbound).toHaveLength(5);
      expect(pyUnbound.slice(0, 2)).toEqual(sock.getsockname().slice(0, 2));
      const result = await py.result;
      expect(result.code, result.stderr).toBe(0);
    } finally {
      py.kill();
      await py.result.catch(() => undefined);
    }
  });
});
