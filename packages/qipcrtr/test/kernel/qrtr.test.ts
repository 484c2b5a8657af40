/**
 * AF_QIPCRTR on a real kernel without Qualcomm hardware: the `qrtr` module
 * alone gives the local node, whose sockets can bind ports and send each
 * other datagrams. Covers OTH-01 (CPython's BasicQIPCRTRTest): an unbound
 * socket's port is 0, binding port 0 and connecting autobind a port, and a
 * node the kernel refuses; and beyond it, datagrams between two sockets and
 * with CPython (`BSDSOCK_KERNEL_LAB_PYTHON`, Debian's python3) as the peer.
 * The receiving side is also tested with datagrams written with write(2) on
 * a connected socket, a path that passes no send flags.
 *
 * Runs in the qemu kernel lab (`npm run test:kernel`); UML's kernel has no
 * QIPCRTR, and elsewhere it runs only when this kernel has the family: it is
 * skipped with the reason otherwise.
 */
import { writeSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionResetError, OSError, SOCK_DGRAM, SOCK_STREAM, Socket } from '@bsdsock/core';
import { AF_QIPCRTR, type QrtrAddressResult } from '@bsdsock/qipcrtr';
import { countOpenFds, kernelSkipReason, LAB_PEER_PYTHON, listOpenFds, type PythonProcess, spawnPython } from '@bsdsock/test-utils';

const why = kernelSkipReason('qipcrtr', () => new Socket(AF_QIPCRTR, SOCK_DGRAM).close());


/** A port of this run: at or above 16384 (QRTR_MIN_EPH_SOCKET), so binding it needs no CAP_NET_ADMIN. */
const PORT = 30000 + (process.pid % 10000);
const EINVAL = 22;
const ENODEV = 19;
const EADDRINUSE = 98;

describe.skipIf(why !== '')(`AF_QIPCRTR on the local node${why ? ` (skipped: ${why})` : ''}`, () => {
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

  it('an unbound socket is [local node, 0]; bind([node, 0]) picks a port; connect([123, 123]) autobinds one (OTH-01)', async () => {
    const s = track(new Socket(AF_QIPCRTR, SOCK_DGRAM));
    const [node, port] = s.getsockname();
    expect(Number.isInteger(node) && node > 0).toBe(true);
    expect(port).toBe(0);
    s.bind([node, 0]);
    const [boundNode, boundPort] = s.getsockname();
    expect(boundNode).toBe(node);
    expect(boundPort).toBeGreaterThanOrEqual(16384);

    const c = track(new Socket(AF_QIPCRTR, SOCK_DGRAM));
    await c.connect([123, 123]);
    expect(c.getsockname()[0]).toBe(node);
    expect(c.getsockname()[1]).not.toBe(0);
    expect(c.getpeername()).toEqual([123, 123]);
  });

  it('binds a chosen port, once; the kernel refuses another node, which is how CPython\'s node -2 fails (OTH-01)', () => {
    const s = track(new Socket(AF_QIPCRTR, SOCK_DGRAM));
    const [node] = s.getsockname();
    s.bind([node, PORT]);
    expect(s.getsockname()).toEqual([node, PORT]);
    const again = track(new Socket(AF_QIPCRTR, SOCK_DGRAM));
    expect(() => again.bind([node, PORT])).toThrow(expect.objectContaining({ errno: EADDRINUSE }));
    // CPython parses -2 as 0xfffffffe and the kernel says EINVAL; bsdsock calls -2 out of range.
    expect(() => again.bind([0xfffffffe, 0])).toThrow(expect.objectContaining({ errno: EINVAL, code: 'EINVAL' }));
    expect(() => again.bind([node + 1, 0])).toThrow(expect.objectContaining({ errno: EINVAL }));
    expect(() => again.bind([-2, 0])).toThrow(new RangeError('bind(): AF_QIPCRTR node must be 0-4294967295, got -2'));
    expect(() => again.bind([node] as never)).toThrow(TypeError);
    expect(() => new Socket(AF_QIPCRTR, SOCK_STREAM)).toThrow(OSError);
  });

  it('connect sets the default destination: a write(2) on the fd reaches the peer, whose recvfrom gives the sender\'s [node, port]', async () => {
    const a = track(new Socket(AF_QIPCRTR, SOCK_DGRAM));
    const [node] = a.getsockname();
    a.bind([node, 0]);
    const b = track(new Socket(AF_QIPCRTR, SOCK_DGRAM));
    await b.connect(a.getsockname());
    // os.write(b.fileno(), data) in Python: write(2) sends to the connected address.
    expect(writeSync(b.fileno(), Buffer.from('qrtr one'))).toBe(8);
    expect(writeSync(b.fileno(), Buffer.from('qrtr two'))).toBe(8);
    expect(await a.recvfrom(100)).toEqual([Buffer.from('qrtr one'), b.getsockname()]);
    expect(a.recvfromSync(100)).toEqual([Buffer.from('qrtr two'), b.getsockname()]);
    expect(b.getpeername()).toEqual(a.getsockname());
  });

  it('sendto another socket of the local node: recvfrom gives the data and the sender\'s [node, port]', async () => {
    const a = track(new Socket(AF_QIPCRTR, SOCK_DGRAM));
    const [node] = a.getsockname();
    a.bind([node, 0]);
    const b = track(new Socket(AF_QIPCRTR, SOCK_DGRAM));
    expect(await b.sendto(Buffer.from('qrtr one'), a.getsockname())).toBe(8);
    expect(b.sendtoSync(Buffer.from('qrtr two'), 0, a.getsockname())).toBe(8);
    expect(b.getsockname()[1]).not.toBe(0);
    const [first, from] = await a.recvfrom(100);
    expect(first.toString()).toBe('qrtr one');
    expect(from).toEqual(b.getsockname());
    expect(a.recvfromSync(100)).toEqual([Buffer.from('qrtr two'), b.getsockname()]);

    // Back to the address recvfrom gave.
    await a.sendto(Buffer.from('back'), from!);
    expect(await b.recvfrom(100)).toEqual([Buffer.from('back'), a.getsockname()]);
  });

  it('the kernel refuses a datagram to the sender itself (ENODEV) and to a node it does not know (ECONNRESET)', async () => {
    const a = track(new Socket(AF_QIPCRTR, SOCK_DGRAM));
    const [node] = a.getsockname();
    a.bind([node, 0]);
    await expect(a.sendto(Buffer.from('me'), a.getsockname())).rejects.toMatchObject({ errno: ENODEV, code: 'ENODEV' });
    await expect(a.sendto(Buffer.from('far'), [node + 5, 1])).rejects.toBeInstanceOf(ConnectionResetError);
  });

  describe('with CPython as the peer', () => {
    let py: PythonProcess;
    let sock: Socket<typeof AF_QIPCRTR>;
    let pyName: QrtrAddressResult;
    let fdsOutside = 0;

    beforeAll(async () => {
      fdsOutside = countOpenFds();
      sock = new Socket(AF_QIPCRTR, SOCK_DGRAM);
      sock.settimeout(10);
      sock.bind([sock.getsockname()[0], 0]);
      // Sends one datagram to bsdsock's socket, then receives one per "recv" line, until its input ends.
      py = spawnPython(
        [
          'import json, socket, sys',
          's = socket.socket(socket.AF_QIPCRTR, socket.SOCK_DGRAM)',
          's.settimeout(30)',
          's.bind((s.getsockname()[0], 0))',
          'print(json.dumps(s.getsockname()), flush=True)',
          "s.sendto(b'from python', (int(sys.argv[1]), int(sys.argv[2])))",
          'for line in sys.stdin:',
          '    data, addr = s.recvfrom(1024)',
          '    print(json.dumps([data.decode(), addr]), flush=True)',
        ].join('\n'),
        { args: sock.getsockname().map(String), executable: LAB_PEER_PYTHON, timeoutMs: 120_000 },
      );
      pyName = JSON.parse(await py.readLine(60_000)) as QrtrAddressResult;
    });
    afterAll(async () => {
      py.end();
      const result = await py.result;
      sock.close();
      expect(result.code, result.stderr).toBe(0);
      expect(countOpenFds()).toBe(fdsOutside);
    });

    it('its datagram comes with its getsockname, on bsdsock\'s node', async () => {
      expect(pyName[0]).toBe(sock.getsockname()[0]);
      expect(await sock.recvfrom(1024)).toEqual([Buffer.from('from python'), pyName]);
    });

    it('it receives bsdsock\'s sendto with bsdsock\'s getsockname as the sender', async () => {
      expect(await sock.sendto(Buffer.from('from bsdsock'), pyName)).toBe(12);
      py.write('recv\n');
      expect(JSON.parse(await py.readLine(45_000))).toEqual(['from bsdsock', sock.getsockname()]);
    });
  });
});
