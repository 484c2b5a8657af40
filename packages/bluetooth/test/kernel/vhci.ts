/**
 * A virtual Bluetooth controller through /dev/vhci (drivers/bluetooth/
 * hci_vhci.c), played by the test: writing the vendor packet `ff 00` makes
 * the kernel register a primary controller (`hciN`) and answer
 * `ff 00 <index le16>`; from then on a read gives each HCI command the host
 * sends it, and a write injects an event from it.
 *
 * Bringing the controller up runs the kernel's init sequence against it
 * (on Linux 6.1, for a controller that reports HCI version 1.0b and no
 * features: HCI_Reset, Read Local Supported Features, Read Local Version,
 * Read BD_ADDR, Read Buffer Size, Read Class of Device, Read Local Name,
 * Read Voice Setting, Read Number of Supported IAC, Read Current IAC LAP,
 * Write Connection Accept Timeout), so while `autoAnswer` is on, every
 * command gets a successful Command Complete with return parameters of the
 * length the specification gives (Core Vol 4, Part E, 7.3-7.4). The
 * controller's address must not be BDADDR_ANY: the kernel refuses to bring
 * up a primary controller without one (EADDRNOTAVAIL).
 */
import { closeSync, constants as fsConstants, openSync, readSync, writeSync } from 'node:fs';
import { buildCommandComplete, parseHciCommand, type HciCommand } from '@bsdsock/bluetooth';

/** HCI_VENDOR_PKT and HCI_PRIMARY: the packet that makes hci_vhci register a primary controller. */
const CREATE_PRIMARY = Buffer.from([0xff, 0x00]);
/** Command Complete status 0x01, Unknown HCI Command (Core Vol 1, Part F). */
const UNKNOWN_COMMAND = Buffer.from([0x01]);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What this controller answers to each command of the init sequence: the return parameters, status first. */
function replies(bdaddr: Buffer): ReadonlyMap<number, Buffer> {
  const ok = (...rest: number[]): Buffer => Buffer.from([0, ...rest]);
  return new Map([
    [0x0c03, ok()], // HCI_Reset
    [0x1003, ok(...new Array(8).fill(0))], // Read Local Supported Features: none
    [0x1001, ok(0, 0, 0, 0, 0xf1, 0x05, 0, 0)], // Read Local Version: HCI 1.0b, LMP 1.0b, manufacturer 0x05f1 (Linux Foundation)
    [0x1009, Buffer.concat([ok(), bdaddr])], // Read BD_ADDR
    [0x1005, ok(0xfd, 0x03, 0x40, 0x08, 0x00, 0x08, 0x00)], // Read Buffer Size: ACL 1021 x 8, SCO 64 x 8
    [0x0c23, ok(0, 0, 0)], // Read Class of Device
    [0x0c14, ok(...Buffer.from('bsdsock vhci'), ...new Array(248 - 12).fill(0))], // Read Local Name
    [0x0c25, ok(0x60, 0x00)], // Read Voice Setting
    [0x0c38, ok(1)], // Read Number of Supported IAC
    [0x0c39, ok(0)], // Read Current IAC LAP: none
    [0x0c05, ok()], // Set Event Filter
    [0x0c16, ok()], // Write Connection Accept Timeout
    [0x0c01, ok()], // Set Event Mask
  ]);
}

/** A controller made through /dev/vhci; `close()` unregisters it. */
export class VirtualController {
  /** The device number the kernel gave it: `hci${index}`. */
  readonly index: number;
  /** While true, every command is answered at once (see the file's comment); else commands queue for {@link nextCommand}. */
  autoAnswer = true;
  /** Each command the controller received, in order (answered or not). */
  readonly received: HciCommand[] = [];
  private readonly queue: HciCommand[] = [];
  private readonly replies: ReadonlyMap<number, Buffer>;
  private closed = false;
  private failure: unknown = null;
  private readonly reader: Promise<void>;

  private constructor(private readonly fd: number, index: number, bdaddr: Buffer) {
    this.index = index;
    this.replies = replies(bdaddr);
    this.reader = this.readLoop().catch((err: unknown) => {
      this.failure = err;
    });
  }

  /**
   * Opens /dev/vhci and registers a primary controller whose BD_ADDR is
   * `bdaddr` (kernel byte order), within `timeoutMs`.
   */
  static async create(bdaddr: Buffer, timeoutMs = 5000): Promise<VirtualController> {
    const fd = openSync('/dev/vhci', fsConstants.O_RDWR | fsConstants.O_NONBLOCK);
    try {
      writeSync(fd, CREATE_PRIMARY);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const packet = readPacket(fd);
        if (packet !== null) {
          if (packet.length < 4 || packet[0] !== 0xff) throw new Error(`/dev/vhci answered ${packet.toString('hex')}`);
          return new VirtualController(fd, packet.readUInt16LE(2), bdaddr);
        }
        if (Date.now() > deadline) throw new Error(`/dev/vhci made no controller within ${timeoutMs} ms`);
        await sleep(5);
      }
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /** The next command the host sends while `autoAnswer` is off, within `timeoutMs`. */
  async nextCommand(timeoutMs: number): Promise<HciCommand> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length === 0) {
      if (this.failure !== null) throw this.failure;
      if (this.closed) throw new Error('the virtual controller is closed');
      if (Date.now() > deadline) throw new Error(`the host sent no command within ${timeoutMs} ms`);
      await sleep(5);
    }
    return this.queue.shift()!;
  }

  /** Sends the host a packet from the controller (an event, with its H4 type byte). */
  inject(packet: Buffer): void {
    writeSync(this.fd, packet);
  }

  /** Stops reading and closes /dev/vhci, which unregisters the controller. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.reader;
    closeSync(this.fd);
    if (this.failure !== null) throw this.failure;
  }

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      const packet = readPacket(this.fd);
      if (packet === null) {
        await sleep(5);
        continue;
      }
      if (packet[0] !== 0x01) continue; // only commands are answered; ACL/SCO data is dropped
      const command = parseHciCommand(packet);
      this.received.push(command);
      if (this.autoAnswer) this.inject(buildCommandComplete(command.opcode, this.replies.get(command.opcode) ?? UNKNOWN_COMMAND));
      else this.queue.push(command);
    }
  }
}

const scratch = Buffer.alloc(2048);

/** One packet from the non-blocking /dev/vhci fd, or null when none is waiting. */
function readPacket(fd: number): Buffer | null {
  try {
    return Buffer.from(scratch.subarray(0, readSync(fd, scratch)));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return null;
    throw err;
  }
}
