/**
 * AF_RDS on a real kernel, over RDS's loopback transport: sockets bound to
 * 127.0.0.1 reach each other without rds_tcp or InfiniBand (the kernel picks
 * the loopback transport for any 127.x.y.z). CPython's RDS tests: RDS-01
 * (the socket and its buffer sizes), RDS-02 (addresses as for AF_INET),
 * RDS-03 (both ends bound, sendto and recvfrom's address), RDS-04 (MSG_PEEK,
 * order, readiness, sendmsg/recvmsg), and what the kernel refuses.
 *
 * CPython (`BSDSOCK_KERNEL_LAB_PYTHON`, Debian's python3) is the peer: one
 * process for the file, bound to 127.0.0.1, that sends and receives on
 * command. It sends the datagrams of the receiving-side tests, so those
 * test bsdsock's recvfrom whatever bsdsock's own send path does; the
 * sending-side tests send from bsdsock, to bsdsock and to CPython.
 *
 * The kernel writes RDS addresses as AF_INET sockaddrs, which core decodes
 * with the AF_INET family: this file imports `@bsdsock/inet`, as an
 * application using the flat `bsdsock` package has it.
 *
 * Runs in the kernel lab (`npm run test:kernel`); elsewhere it runs when the
 * kernel has RDS and is skipped with the reason when it has not.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  MSG_PEEK, SOCK_DGRAM, SOCK_SEQPACKET, SOL_SOCKET, SO_RCVBUF, SO_SNDBUF, Socket,
} from '@bsdsock/core';
import '@bsdsock/inet';
import { AF_RDS, PF_RDS, type RdsAddressResult } from '@bsdsock/rds';
import { countOpenFds, kernelSkipReason, LAB_PEER_PYTHON, listOpenFds, type PythonProcess, spawnPython } from '@bsdsock/test-utils';

const why = kernelSkipReason('rds', () => new Socket(PF_RDS, SOCK_SEQPACKET, 0).close());


/**
 * The CPython peer: prints its socket's getsockname and an unbound socket's,
 * then for each line `["send", host, port, text]` sends `text` there and
 * prints `"sent"`, and for `["recv"]` prints `[text, sender]` of the next
 * datagram. It ends when its input does.
 */
const PEER = `
import json, socket, sys
u = socket.socket(socket.PF_RDS, socket.SOCK_SEQPACKET, 0)
family, data = u.getsockname()
u.close()
s = socket.socket(socket.PF_RDS, socket.SOCK_SEQPACKET, 0)
s.settimeout(30)
s.bind(('127.0.0.1', 0))
print(json.dumps([s.getsockname(), [family, data.hex()]]), flush=True)
for line in sys.stdin:
    cmd = json.loads(line)
    if cmd[0] == 'send':
        s.sendto(cmd[3].encode(), 0, (cmd[1], cmd[2]))
        print('"sent"', flush=True)
    else:
        data, addr = s.recvfrom(8192)
        print(json.dumps([data.decode(), addr]), flush=True)
`;

const HOST = '127.0.0.1';
const EINVAL = 22;
const ENOTCONN = 107;
const ESOCKTNOSUPPORT = 94;
const MSG = Buffer.from('Michael Gilfix was here\n'.repeat(4));

/** A bound RDS address as bsdsock returns it: [HOST, a port the kernel picked]. */
function expectBound(address: readonly unknown[]): RdsAddressResult {
  expect(address).toHaveLength(2);
  expect(address[0]).toBe(HOST);
  expect(address[1]).toBeGreaterThan(0);
  return address as RdsAddressResult;
}

describe.skipIf(why !== '')(`AF_RDS over the loopback transport${why ? ` (skipped: ${why})` : ''}`, () => {
  let py: PythonProcess;
  let pyName: RdsAddressResult;
  let pyUnbound: readonly [number, string];
  let fdsOutside = 0;
  let fdsBefore = 0;
  const open: Socket[] = [];
  /** An RDS socket bound to `host` (RDS sends and receives only once bound). */
  const bound = (host = HOST): Socket<typeof AF_RDS> => {
    const s = new Socket(PF_RDS, SOCK_SEQPACKET, 0);
    open.push(s);
    s.settimeout(10);
    s.bind([host, 0]);
    return s;
  };
  /** Has CPython send `text` to `to`, from its socket `pyName`. */
  const pySend = async (text: string, to: RdsAddressResult): Promise<void> => {
    py.write(`${JSON.stringify(['send', to[0], to[1], text])}\n`);
    expect(await py.readLine(30_000)).toBe('"sent"');
  };

  beforeAll(async () => {
    fdsOutside = countOpenFds();
    py = spawnPython(PEER, { executable: LAB_PEER_PYTHON, timeoutMs: 240_000 });
    [pyName, pyUnbound] = JSON.parse(await py.readLine(60_000)) as [RdsAddressResult, [number, string]];
  });
  afterAll(async () => {
    py.end();
    const result = await py.result;
    expect(result.code, result.stderr).toBe(0);
    expect(countOpenFds()).toBe(fdsOutside);
  });
  beforeEach(() => {
    fdsBefore = countOpenFds();
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
    expect(countOpenFds(), [...listOpenFds().values()].join(', ')).toBe(fdsBefore);
  });

  it('PF_RDS is AF_RDS; the socket takes 16384-byte SO_RCVBUF and SO_SNDBUF; SOCK_DGRAM is not RDS\'s (RDS-01)', () => {
    expect(PF_RDS).toBe(AF_RDS);
    const s = new Socket(PF_RDS, SOCK_SEQPACKET, 0);
    open.push(s);
    expect([s.family, s.type, s.proto]).toEqual([AF_RDS, SOCK_SEQPACKET, 0]);
    s.setsockopt(SOL_SOCKET, SO_RCVBUF, 16384);
    s.setsockopt(SOL_SOCKET, SO_SNDBUF, 16384);
    expect(s.getsockopt(SOL_SOCKET, SO_RCVBUF)).toBeGreaterThanOrEqual(16384);
    expect(s.getsockopt(SOL_SOCKET, SO_SNDBUF)).toBeGreaterThanOrEqual(16384);
    expect(() => new Socket(PF_RDS, SOCK_DGRAM, 0)).toThrow(expect.objectContaining({ errno: ESOCKTNOSUPPORT }));
  });

  it('addresses are AF_INET\'s: a dotted quad or a name, port 0 picks one; the wildcard is EINVAL; unbound is CPython\'s (0, sa_data) (RDS-02)', () => {
    const unbound = new Socket(PF_RDS, SOCK_SEQPACKET, 0);
    open.push(unbound);
    expect(unbound.getsockname()).toEqual([0, Buffer.alloc(14)]);
    expect(unbound.getsockname()).toEqual([pyUnbound[0], Buffer.from(pyUnbound[1], 'hex')]);
    expect(() => unbound.bind(['', 0])).toThrow(expect.objectContaining({ errno: EINVAL }));
    expect(() => unbound.bind([HOST, 70000])).toThrow(new RangeError('bind(): AF_RDS port must be 0-65535, got 70000'));
    expect(() => unbound.bind([HOST] as never)).toThrow(TypeError);

    expectBound(bound().getsockname());
    expectBound(bound('localhost').getsockname());
    expect(bound('127.0.0.2').getsockname()[0]).toBe('127.0.0.2');
    expectBound(pyName);
  });

  it('a datagram from CPython\'s bound socket comes with its getsockname, in recvfrom and its Sync twin (RDS-03)', async () => {
    const serv = bound();
    await pySend('from python', serv.getsockname() as RdsAddressResult);
    expect(await serv.recvfrom(8192)).toEqual([Buffer.from('from python'), pyName]);
    await pySend('and again', serv.getsockname() as RdsAddressResult);
    expect(serv.recvfromSync(8192)).toEqual([Buffer.from('and again'), pyName]);
  });

  it('MSG_PEEK and a plain recvfrom give the same datagram; two keep their order; a waiting recvfrom wakes (RDS-04)', async () => {
    const serv = bound();
    const to = serv.getsockname() as RdsAddressResult;
    await pySend('peek me', to);
    const peeked = await serv.recvfrom(8192, MSG_PEEK);
    expect(peeked).toEqual([Buffer.from('peek me'), pyName]);
    expect(await serv.recvfrom(8192)).toEqual(peeked);

    await pySend('first', to);
    await pySend('second', to);
    expect((await serv.recv(8192)).toString()).toBe('first');
    expect((await serv.recv(8192)).toString()).toBe('second');

    // select() in CPython's test: here a recvfrom that is already waiting when the datagram arrives.
    const waiting = serv.recvfrom(8192);
    await pySend('wake', to);
    expect(await waiting).toEqual([Buffer.from('wake'), pyName]);
  });

  it('sendto(data, 0, address), sendto(data, address) and sendmsg reach a bsdsock peer with the sender\'s address; unbound, ENOTCONN (RDS-03, RDS-04)', async () => {
    const serv = bound();
    const cli = bound();
    expect(cli.sendtoSync(MSG, 0, serv.getsockname())).toBe(MSG.length);
    expect(serv.recvfromSync(8192)).toEqual([MSG, cli.getsockname()]);

    expect(await serv.sendto(Buffer.from('back'), cli.getsockname())).toBe(4);
    expect(await cli.recvfrom(8192)).toEqual([Buffer.from('back'), serv.getsockname()]);

    expect(await cli.sendmsg([Buffer.from('msg'), Buffer.from('parts')], [], 0, serv.getsockname())).toBe(8);
    const [msg, ancdata, , from] = await serv.recvmsg(8192);
    expect([msg.toString(), ancdata, from]).toEqual(['msgparts', [], cli.getsockname()]);

    const lone = new Socket(PF_RDS, SOCK_SEQPACKET, 0);
    open.push(lone);
    await expect(lone.sendto(MSG, serv.getsockname())).rejects.toMatchObject({ errno: ENOTCONN, code: 'ENOTCONN' });
  });

  it('CPython receives bsdsock\'s sendto with bsdsock\'s getsockname as the sender (RDS-03)', async () => {
    const cli = bound();
    expect(await cli.sendto(Buffer.from('from bsdsock'), 0, pyName)).toBe(12);
    py.write('["recv"]\n');
    expect(JSON.parse(await py.readLine(45_000))).toEqual(['from bsdsock', cli.getsockname()]);
  });
});
