/**
 * AF_BLUETOOTH on a real kernel (BT-02, BT-05, BT-07): L2CAP, RFCOMM and
 * SCO sockets bound to addresses and read back with getsockname, compared
 * with what Debian's /usr/bin/python3 gets for the same addresses; and an
 * HCI socket talking to a virtual controller made through /dev/vhci, which
 * the test plays: HCI_FILTER set and read back, HCI_Reset sent, the command
 * read from /dev/vhci, a Command Complete written back and received with
 * its HCI_DATA_DIR direction.
 *
 * A raw HCI socket sends commands only to a controller that is up
 * (otherwise ENETDOWN). Node has no ioctl, so the Python peer brings hci`N`
 * up with HCIDEVUP (`fcntl.ioctl(fd, 0x400448c9, N)`, as `hciconfig hciN
 * up` does) while the test answers the kernel's init sequence (see
 * vhci.ts). EALREADY counts as success: the kernel powers a new controller
 * on by itself and HCIDEVUP then only cancels its automatic power-off.
 *
 * Runs in the kernel lab's qemu backend (`npm run test:kernel`); skipped
 * with the reason where the kernel has no Bluetooth (UML, most hosts) or
 * where /dev/vhci cannot be opened outside the lab.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants as fsConstants, openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CMSG_SPACE, OSError, SOCK_RAW, SOCK_SEQPACKET, SOCK_STREAM, Socket } from '@bsdsock/core';
import {
  AF_BLUETOOTH, BDADDR_ANY, BDADDR_LOCAL, BTPROTO_HCI, BTPROTO_L2CAP, BTPROTO_RFCOMM, BTPROTO_SCO, EVT_CMD_COMPLETE,
  HCI_CMSG_DIR, HCI_DATA_DIR, HCI_EVENT_PKT, HCI_FILTER, HCI_MAX_FRAME_SIZE, OCF_RESET, OGF_HOST_CTL, SOL_HCI,
  HciFilter, bdaddrToBytes, buildCommandComplete, buildHciCommand, hciOpcode, parseCommandComplete,
} from '@bsdsock/bluetooth';
import { countOpenFds, IN_KERNEL_LAB, kernelSkipReason, LAB_PYTHON, listOpenFds } from '@bsdsock/test-utils';
import { VirtualController } from './vhci.js';


const why = kernelSkipReason('bluetooth', () => new Socket(AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI).close());

/** Outside the lab, the virtual controller also needs hci_vhci and the right to open /dev/vhci. */
function vhciReason(): string {
  if (why !== '' || IN_KERNEL_LAB) return why;
  try {
    closeSync(openSync('/dev/vhci', fsConstants.O_RDWR));
    return '';
  } catch (err) {
    return `/dev/vhci cannot be opened (${(err as NodeJS.ErrnoException).code}); run npm run test:kernel`;
  }
}
const whyVhci = vhciReason();

/**
 * The Python peer: one /usr/bin/python3 for the whole file, driven by
 * lines on its stdin. `bind PROTO ADDRESS` binds a socket of that protocol
 * and prints getsockname() as JSON; `up N` brings hciN up with HCIDEVUP.
 */
const PEER = String.raw`
import errno, fcntl, json, socket, sys
HCIDEVUP = 0x400448c9  # _IOW('H', 201, int), <bluetooth/hci.h>
TYPES = {socket.BTPROTO_L2CAP: socket.SOCK_SEQPACKET, socket.BTPROTO_RFCOMM: socket.SOCK_STREAM,
         socket.BTPROTO_HCI: socket.SOCK_RAW, socket.BTPROTO_SCO: socket.SOCK_SEQPACKET}
print('ready', flush=True)
for line in sys.stdin:
    verb, arg = line.rstrip('\n').split(' ', 1)
    try:
        if verb == 'up':
            with socket.socket(socket.AF_BLUETOOTH, socket.SOCK_RAW, socket.BTPROTO_HCI) as s:
                try:
                    fcntl.ioctl(s.fileno(), HCIDEVUP, int(arg))
                except OSError as e:
                    if e.errno != errno.EALREADY:
                        raise
            out = 'up'
        else:
            proto, address = json.loads(arg)
            address = address.encode() if proto == socket.BTPROTO_SCO else tuple(address)
            with socket.socket(socket.AF_BLUETOOTH, TYPES[proto], proto) as s:
                s.bind(address)
                out = s.getsockname()
    except OSError as e:
        out = {'errno': e.errno, 'error': str(e)}
    print(json.dumps(out), flush=True)
`;

class PythonPeer {
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private readonly ended: Promise<void>;
  private stderr = '';

  constructor() {
    this.child = spawn(LAB_PYTHON, ['-c', PEER], { stdio: ['pipe', 'pipe', 'pipe'] });
    createInterface({ input: this.child.stdout! }).on('line', (line) => this.lines.push(line));
    this.child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.child.on('error', (err) => {
      this.stderr += `${err.message}\n`;
    });
    this.ended = new Promise((resolve) => this.child.on('close', () => resolve()));
  }

  /** The next line the peer prints, within `timeoutMs`. */
  async line(timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length === 0) {
      if (this.child.exitCode !== null || this.child.pid === undefined || Date.now() > deadline) {
        throw new Error(`${LAB_PYTHON} printed nothing within ${timeoutMs} ms (exit ${this.child.exitCode}); stderr:\n${this.stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.lines.shift()!;
  }

  /** Sends one request and returns the JSON answer. */
  async ask(request: string, timeoutMs = 30_000): Promise<unknown> {
    this.child.stdin!.write(`${request}\n`);
    return JSON.parse(await this.line(timeoutMs)) as unknown;
  }

  /** Ends the peer (closing its stdin ends its loop), killing it if it lingers. */
  async close(): Promise<void> {
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.ended;
    clearTimeout(timer);
  }
}

const ADDR = '00:1A:7D:DA:71:13';

describe.skipIf(why !== '')(`AF_BLUETOOTH sockets${why ? ` (skipped: ${why})` : ''}`, () => {
  let fdsAtStart = 0;
  let fdsBefore = 0;
  let peer: PythonPeer;
  const open: Socket[] = [];
  const track = (s: Socket): Socket => {
    open.push(s);
    return s;
  };

  beforeAll(async () => {
    fdsAtStart = countOpenFds();
    peer = new PythonPeer();
    expect(await peer.line(30_000)).toBe('ready');
  }, 40_000);
  afterAll(async () => {
    await peer?.close();
    expect(countOpenFds(), [...listOpenFds().values()].join(', ')).toBe(fdsAtStart);
  }, 20_000);
  beforeEach(() => {
    fdsBefore = countOpenFds();
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
    expect(countOpenFds(), [...listOpenFds().values()].join(', ')).toBe(fdsBefore);
  });

  /** Binds a bsdsock socket and a Python socket to `address` in turn; returns both getsockname() results. */
  async function bindBoth(type: number, proto: number, address: unknown): Promise<[unknown, unknown]> {
    const theirs = await peer.ask(`bind ${JSON.stringify([proto, address])}`);
    const s = track(new Socket(AF_BLUETOOTH, type, proto));
    s.bind(address);
    const ours = s.getsockname();
    s.close();
    return [ours, theirs];
  }

  it('creates RFCOMM, L2CAP, HCI and SCO sockets of the types Python tests (BT-02)', () => {
    for (const [type, proto] of [[SOCK_STREAM, BTPROTO_RFCOMM], [SOCK_SEQPACKET, BTPROTO_L2CAP], [SOCK_RAW, BTPROTO_HCI], [SOCK_SEQPACKET, BTPROTO_SCO]] as const) {
      const s = track(new Socket(AF_BLUETOOTH, type, proto));
      expect([s.family, s.type, s.proto]).toEqual([AF_BLUETOOTH, type, proto]);
    }
  });

  it('L2CAP: [bdaddr, psm] bound and read back, as Python reads it (BT-05)', async () => {
    expect(await bindBoth(SOCK_SEQPACKET, BTPROTO_L2CAP, [BDADDR_ANY, 0x1001])).toEqual([[BDADDR_ANY, 0x1001], [BDADDR_ANY, 0x1001]]);
    expect(await bindBoth(SOCK_SEQPACKET, BTPROTO_L2CAP, ['00:1a:7d:da:71:13', 0x1003])).toEqual([[ADDR, 0x1003], [ADDR, 0x1003]]);
    const auto = track(new Socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_L2CAP));
    auto.bind([BDADDR_LOCAL, 0]);
    const [bdaddr, psm] = auto.getsockname() as [string, number];
    expect(bdaddr).toBe(BDADDR_LOCAL);
    expect(psm).toBeGreaterThanOrEqual(0x1001); // the kernel picked a dynamic PSM: odd, upper byte even
    expect(psm & 0x0101).toBe(0x0001);
  }, 60_000);

  it('L2CAP: a PSM the kernel refuses is an OSError from bind (EINVAL)', () => {
    const s = track(new Socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_L2CAP));
    let err: unknown;
    try {
      s.bind([BDADDR_ANY, 0x1002]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OSError);
    expect((err as OSError).code).toBe('EINVAL');
  });

  it('RFCOMM: bind([BDADDR_ANY, 0]) reads back as [BDADDR_ANY, 0]; a channel as Python reads it (BT-07, BT-05)', async () => {
    expect(await bindBoth(SOCK_STREAM, BTPROTO_RFCOMM, [BDADDR_ANY, 0])).toEqual([[BDADDR_ANY, 0], [BDADDR_ANY, 0]]);
    expect(await bindBoth(SOCK_STREAM, BTPROTO_RFCOMM, [ADDR.toLowerCase(), 30])).toEqual([[ADDR, 30], [ADDR, 30]]);
  }, 60_000);

  it('SCO: a bare bdaddr, string or bytes, reads back as the string (BT-05)', async () => {
    expect(await bindBoth(SOCK_SEQPACKET, BTPROTO_SCO, ADDR)).toEqual([ADDR, ADDR]);
    const s = track(new Socket(AF_BLUETOOTH, SOCK_SEQPACKET, BTPROTO_SCO));
    s.bind(Buffer.from(BDADDR_LOCAL));
    expect(s.getsockname()).toBe(BDADDR_LOCAL);
  }, 60_000);

  it('HCI: binding to a device that does not exist is an OSError (ENODEV)', () => {
    const hci = track(new Socket(AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI));
    let err: unknown;
    try {
      hci.bind([0xfffe]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OSError);
    expect((err as OSError).code).toBe('ENODEV');
  });

  describe.skipIf(whyVhci !== '')(`HCI with a virtual controller${whyVhci ? ` (skipped: ${whyVhci})` : ''}`, () => {
    it('brings hciN up, then HCI_Reset gets its Command Complete through a raw HCI socket bound to [N]', async () => {
      const controller = await VirtualController.create(bdaddrToBytes('00:1A:7D:DA:71:13'));
      try {
        expect(await peer.ask(`up ${controller.index}`, 60_000)).toBe('up');
        controller.autoAnswer = false;
        expect(controller.received.map((c) => c.opcode)).toContain(0x1009); // the init sequence ran (Read BD_ADDR)

        const hci = track(new Socket(AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI));
        hci.settimeout(20);
        hci.bind([controller.index]);
        expect(hci.getsockname()).toBe(controller.index); // the bare device_id, as Python returns it (BT-05)
        expect(await peer.ask(`bind ${JSON.stringify([BTPROTO_HCI, [controller.index]])}`)).toBe(controller.index);

        const reset = hciOpcode(OGF_HOST_CTL, OCF_RESET);
        const filter = new HciFilter().setPtype(HCI_EVENT_PKT).setEvent(EVT_CMD_COMPLETE).setOpcode(reset);
        hci.setsockopt(SOL_HCI, HCI_FILTER, filter.pack());
        const readBack = hci.getsockopt(SOL_HCI, HCI_FILTER, 16);
        expect(readBack).toEqual(filter.pack());
        expect(HciFilter.unpack(readBack)).toEqual(filter);
        hci.setsockopt(SOL_HCI, HCI_DATA_DIR, 1);

        await hci.send(buildHciCommand(OGF_HOST_CTL, OCF_RESET));
        const command = await controller.nextCommand(20_000);
        expect([command.opcode, command.params]).toEqual([reset, Buffer.alloc(0)]);
        controller.inject(buildCommandComplete(reset, Buffer.from([0])));

        const [packet, ancdata] = await hci.recvmsg(HCI_MAX_FRAME_SIZE, CMSG_SPACE(4));
        expect(packet).toEqual(Buffer.from('040e0401030c00', 'hex'));
        expect(parseCommandComplete(packet)).toMatchObject({ ncmd: 1, opcode: reset, status: 0 });
        const incoming = Buffer.from(new Int32Array([1]).buffer); // an int in host order: 1, from the controller
        expect(ancdata).toEqual([[SOL_HCI, HCI_CMSG_DIR, incoming]]);
        hci.close();
      } finally {
        await controller.close();
      }
    }, 120_000);
  });
});
