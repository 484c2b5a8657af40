/**
 * What an HCI socket reads and writes: the `HCI_FILTER` socket option's
 * `struct hci_filter`, command packets (built from an OGF and an OCF) and
 * event packets, Command Complete above all. Packets carry the H4
 * packet-type byte first, as HCI sockets and `/dev/vhci` pass them.
 *
 * @see https://www.bluetooth.com/specifications/specs/core-specification/ (Vol 4, Part E: HCI)
 * @packageDocumentation
 */
import type { BytesLike } from '@bsdsock/core';
import { bytesOf, isBytesLike, layout, readHostU32, show, writeHostU32 } from '@bsdsock/core/internal';
import {
  EVT_CMD_COMPLETE, HCI_COMMAND_PKT, HCI_EVENT_PKT, HCI_FLT_EVENT_BITS, HCI_FLT_TYPE_BITS, HCI_VENDOR_PKT,
} from './constants.generated.js';

const FILTER_SIZE = layout('hci_filter');
const FILTER_TYPE_MASK = layout('hci_filter.type_mask');
const FILTER_EVENT_MASK = layout('hci_filter.event_mask');
const FILTER_OPCODE = layout('hci_filter.opcode');

/** Checks an integer argument: TypeError when it is not one, RangeError outside 0-`max`. */
function uint(value: unknown, max: number, where: string, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${where}: ${field} must be an integer, got ${show(value)}`);
  }
  if (value < 0 || value > max) throw new RangeError(`${where}: ${field} must be 0-${max}, got ${show(value)}`);
  return value;
}

function bytesArg(value: unknown, where: string, field: string): Buffer {
  if (!isBytesLike(value)) throw new TypeError(`${where}: ${field} must be a bytes-like object, got ${show(value)}`);
  return bytesOf(value);
}

/**
 * What {@link HciFilter}'s constructor takes: the fields of `struct hci_filter`, each defaulting to 0.
 *
 * @example
 * ```ts
 * new HciFilter({ typeMask: 1 << HCI_EVENT_PKT, eventMask: [1 << EVT_CMD_COMPLETE, 0] });
 * ```
 */
export interface HciFilterInit {
  /** Bit `t` passes packets of type `t` (`HCI_EVENT_PKT`, ...; `HCI_VENDOR_PKT` is bit 0). */
  readonly typeMask?: number;
  /** Bit `e` (of 64) passes event `e`. */
  readonly eventMask?: readonly [number, number];
  /** 0, or the only opcode whose Command Complete / Command Status events pass. */
  readonly opcode?: number;
}

/**
 * The `HCI_FILTER` option of an HCI socket (`struct hci_filter`): which
 * packet types, which events and (optionally) the Command Complete/Status
 * events of which opcode the socket receives. A new HCI socket's filter is
 * all zero: it receives nothing until it sets one.
 *
 * The methods do what BlueZ's `hci_filter_*` inline functions do
 * (`hci_filter_set_ptype` is {@link HciFilter.setPtype}, ...), and return
 * the filter so that calls chain. {@link HciFilter.pack} gives the 16
 * bytes for `setsockopt`; {@link HciFilter.unpack} reads what
 * `getsockopt(SOL_HCI, HCI_FILTER, 16)` returns.
 *
 * @see https://github.com/bluez/bluez/blob/master/lib/hci_lib.h
 * @example
 * ```ts
 * const filter = new HciFilter().setPtype(HCI_EVENT_PKT).setEvent(EVT_CMD_COMPLETE).setOpcode(hciOpcode(OGF_HOST_CTL, OCF_RESET));
 * hci.setsockopt(SOL_HCI, HCI_FILTER, filter.pack());
 * HciFilter.unpack(hci.getsockopt(SOL_HCI, HCI_FILTER, 16)).testEvent(EVT_CMD_COMPLETE); // true
 * ```
 */
export class HciFilter {
  /** `type_mask`, a u32. */
  typeMask: number;
  /** `event_mask[2]`, two u32s: event `e` is bit `e % 32` of word `e >> 5`. */
  eventMask: [number, number];
  /** `opcode`, a u16 (0: any). */
  opcode: number;

  /** A filter with the given fields; `new HciFilter()` passes nothing, as `hci_filter_clear` leaves it. */
  constructor(init: HciFilterInit = {}) {
    const where = 'new HciFilter()';
    this.typeMask = uint(init.typeMask ?? 0, 0xffffffff, where, 'typeMask');
    const events = init.eventMask ?? [0, 0];
    if (!Array.isArray(events) || events.length !== 2) {
      throw new TypeError(`${where}: eventMask must be [u32, u32], got ${show(events)}`);
    }
    this.eventMask = [uint(events[0], 0xffffffff, where, 'eventMask[0]'), uint(events[1], 0xffffffff, where, 'eventMask[1]')];
    this.opcode = uint(init.opcode ?? 0, 0xffff, where, 'opcode');
  }

  /**
   * Reads a `struct hci_filter`, as `getsockopt(SOL_HCI, HCI_FILTER, 16)`
   * returns it.
   *
   * @throws RangeError when `bytes` holds fewer than 14 bytes.
   * @example
   * ```ts
   * const filter = HciFilter.unpack(hci.getsockopt(SOL_HCI, HCI_FILTER, 16));
   * ```
   */
  static unpack(bytes: BytesLike): HciFilter {
    const b = bytesArg(bytes, 'HciFilter.unpack()', 'bytes');
    if (b.length < FILTER_OPCODE + 2) {
      throw new RangeError(`HciFilter.unpack(): struct hci_filter needs ${FILTER_OPCODE + 2} bytes, got ${b.length}`);
    }
    return new HciFilter({
      typeMask: readHostU32(b, FILTER_TYPE_MASK),
      eventMask: [readHostU32(b, FILTER_EVENT_MASK), readHostU32(b, FILTER_EVENT_MASK + 4)],
      opcode: b.readUInt16LE(FILTER_OPCODE),
    });
  }

  /**
   * The `struct hci_filter` bytes (16 on Linux) for
   * `setsockopt(SOL_HCI, HCI_FILTER, ...)`: the masks in host byte order,
   * the opcode little-endian.
   *
   * @example
   * ```ts
   * hci.setsockopt(SOL_HCI, HCI_FILTER, new HciFilter().allPtypes().allEvents().pack());
   * ```
   */
  pack(): Buffer {
    const where = 'HciFilter.pack()';
    const buf = Buffer.alloc(FILTER_SIZE);
    writeHostU32(buf, uint(this.typeMask, 0xffffffff, where, 'typeMask'), FILTER_TYPE_MASK);
    writeHostU32(buf, uint(this.eventMask[0], 0xffffffff, where, 'eventMask[0]'), FILTER_EVENT_MASK);
    writeHostU32(buf, uint(this.eventMask[1], 0xffffffff, where, 'eventMask[1]'), FILTER_EVENT_MASK + 4);
    buf.writeUInt16LE(uint(this.opcode, 0xffff, where, 'opcode'), FILTER_OPCODE);
    return buf;
  }

  /**
   * Passes nothing: every field 0 (`hci_filter_clear`).
   *
   * @example
   * ```ts
   * filter.clear().setPtype(HCI_EVENT_PKT)
   * ```
   */
  clear(): this {
    this.typeMask = 0;
    this.eventMask = [0, 0];
    this.opcode = 0;
    return this;
  }

  /**
   * Passes packets of type `type` (`hci_filter_set_ptype`).
   *
   * @example
   * ```ts
   * filter.setPtype(HCI_EVENT_PKT)
   * ```
   */
  setPtype(type: number): this {
    this.typeMask = (this.typeMask | typeBit(type, 'setPtype')) >>> 0;
    return this;
  }

  /**
   * Stops packets of type `type` (`hci_filter_clear_ptype`).
   *
   * @example
   * ```ts
   * filter.clearPtype(HCI_ACLDATA_PKT)
   * ```
   */
  clearPtype(type: number): this {
    this.typeMask = (this.typeMask & ~typeBit(type, 'clearPtype')) >>> 0;
    return this;
  }

  /**
   * Whether packets of type `type` pass (`hci_filter_test_ptype`).
   *
   * @example
   * ```ts
   * filter.testPtype(HCI_EVENT_PKT)
   * ```
   */
  testPtype(type: number): boolean {
    return (this.typeMask & typeBit(type, 'testPtype')) !== 0;
  }

  /**
   * Passes every packet type (`hci_filter_all_ptypes`).
   *
   * @example
   * ```ts
   * new HciFilter().allPtypes()
   * ```
   */
  allPtypes(): this {
    this.typeMask = 0xffffffff;
    return this;
  }

  /**
   * Passes event `event` (`hci_filter_set_event`).
   *
   * @example
   * ```ts
   * filter.setEvent(EVT_CMD_COMPLETE)
   * ```
   */
  setEvent(event: number): this {
    const [word, bit] = eventBit(event, 'setEvent');
    this.eventMask[word] = (this.eventMask[word]! | bit) >>> 0;
    return this;
  }

  /**
   * Stops event `event` (`hci_filter_clear_event`).
   *
   * @example
   * ```ts
   * filter.clearEvent(EVT_CMD_STATUS)
   * ```
   */
  clearEvent(event: number): this {
    const [word, bit] = eventBit(event, 'clearEvent');
    this.eventMask[word] = (this.eventMask[word]! & ~bit) >>> 0;
    return this;
  }

  /**
   * Whether event `event` passes (`hci_filter_test_event`).
   *
   * @example
   * ```ts
   * filter.testEvent(EVT_CMD_COMPLETE)
   * ```
   */
  testEvent(event: number): boolean {
    const [word, bit] = eventBit(event, 'testEvent');
    return (this.eventMask[word]! & bit) !== 0;
  }

  /**
   * Passes every event (`hci_filter_all_events`).
   *
   * @example
   * ```ts
   * new HciFilter().setPtype(HCI_EVENT_PKT).allEvents()
   * ```
   */
  allEvents(): this {
    this.eventMask = [0xffffffff, 0xffffffff];
    return this;
  }

  /**
   * Passes the Command Complete and Command Status events of `opcode` only
   * (`hci_filter_set_opcode`).
   *
   * @example
   * ```ts
   * filter.setOpcode(hciOpcode(OGF_HOST_CTL, OCF_RESET));
   * ```
   */
  setOpcode(opcode: number): this {
    this.opcode = uint(opcode, 0xffff, 'HciFilter.setOpcode()', 'opcode');
    return this;
  }

  /**
   * Passes those events of any opcode again (`hci_filter_clear_opcode`).
   *
   * @example
   * ```ts
   * filter.clearOpcode()
   * ```
   */
  clearOpcode(): this {
    this.opcode = 0;
    return this;
  }

  /**
   * Whether the filter is set to `opcode` (`hci_filter_test_opcode`).
   *
   * @example
   * ```ts
   * filter.testOpcode(0x0c03)
   * ```
   */
  testOpcode(opcode: number): boolean {
    return this.opcode === uint(opcode, 0xffff, 'HciFilter.testOpcode()', 'opcode');
  }
}

/** The `type_mask` bit of a packet type: `HCI_VENDOR_PKT` is bit 0, any other `type & HCI_FLT_TYPE_BITS`. */
function typeBit(type: number, method: string): number {
  const t = uint(type, 0xff, `HciFilter.${method}()`, 'type');
  return (1 << (t === HCI_VENDOR_PKT ? 0 : t & HCI_FLT_TYPE_BITS)) >>> 0;
}

/** The word and bit of `event_mask` for an event: bit `event & HCI_FLT_EVENT_BITS` of the 64. */
function eventBit(event: number, method: string): [0 | 1, number] {
  const e = uint(event, 0xff, `HciFilter.${method}()`, 'event') & HCI_FLT_EVENT_BITS;
  return [(e >> 5) as 0 | 1, (1 << (e & 31)) >>> 0];
}

/**
 * The opcode of an HCI command: `(ogf << 10) | ocf`, BlueZ's
 * `cmd_opcode_pack`.
 *
 * @throws RangeError when `ogf` is outside 0-63 or `ocf` outside 0-1023.
 * @example
 * ```ts
 * hciOpcode(OGF_HOST_CTL, OCF_RESET); // 0x0c03
 * ```
 */
export function hciOpcode(ogf: number, ocf: number): number {
  return (uint(ogf, 0x3f, 'hciOpcode()', 'ogf') << 10) | uint(ocf, 0x3ff, 'hciOpcode()', 'ocf');
}

/**
 * An HCI command, as {@link parseHciCommand} reads it.
 *
 * @example
 * ```ts
 * const { ogf, ocf, params }: HciCommand = parseHciCommand(packetFromVhci);
 * ```
 */
export interface HciCommand {
  /** The opcode, `(ogf << 10) | ocf`. */
  readonly opcode: number;
  /** The opcode group field, `opcode >> 10`. */
  readonly ogf: number;
  /** The opcode command field, `opcode & 0x3ff`. */
  readonly ocf: number;
  /** The parameters (a copy). */
  readonly params: Buffer;
}

/**
 * An HCI command packet: `HCI_COMMAND_PKT`, the opcode (little-endian),
 * the parameter length and the parameters — what an application writes to
 * a raw HCI socket to send a command to the controller.
 *
 * @throws RangeError when `ogf`/`ocf` are out of range or `params` exceeds 255 bytes.
 * @example
 * ```ts
 * await hci.send(buildHciCommand(OGF_HOST_CTL, OCF_RESET)); // <Buffer 01 03 0c 00>
 * ```
 */
export function buildHciCommand(ogf: number, ocf: number, params: BytesLike = Buffer.alloc(0)): Buffer {
  const opcode = hciOpcode(ogf, ocf);
  const p = bytesArg(params, 'buildHciCommand()', 'params');
  if (p.length > 0xff) throw new RangeError(`buildHciCommand(): params must be at most 255 bytes, got ${p.length}`);
  const packet = Buffer.alloc(4 + p.length);
  packet[0] = HCI_COMMAND_PKT;
  packet.writeUInt16LE(opcode, 1);
  packet[3] = p.length;
  p.copy(packet, 4);
  return packet;
}

/**
 * Reads an HCI command packet (as `/dev/vhci` hands a virtual controller
 * the commands the host sends).
 *
 * @throws TypeError when the packet is not a command; RangeError when it is truncated.
 * @example
 * ```ts
 * parseHciCommand(Buffer.from([1, 3, 0x0c, 0])); // { opcode: 0x0c03, ogf: 3, ocf: 3, params: <Buffer > }
 * ```
 */
export function parseHciCommand(packet: BytesLike): HciCommand {
  const b = bytesArg(packet, 'parseHciCommand()', 'packet');
  if (b.length < 1 || b[0] !== HCI_COMMAND_PKT) {
    throw new TypeError(`parseHciCommand(): expected a command packet (first byte HCI_COMMAND_PKT), got ${show(b)}`);
  }
  if (b.length < 4 || b.length < 4 + b[3]!) {
    throw new RangeError(`parseHciCommand(): the packet is truncated: ${b.length} bytes`);
  }
  const opcode = b.readUInt16LE(1);
  return { opcode, ogf: opcode >> 10, ocf: opcode & 0x3ff, params: Buffer.from(b.subarray(4, 4 + b[3]!)) };
}

/**
 * An HCI event, as {@link parseHciEvent} reads it.
 *
 * @example
 * ```ts
 * const { evt, params }: HciEvent = parseHciEvent(await hci.recv(HCI_MAX_EVENT_SIZE));
 * ```
 */
export interface HciEvent {
  /** The event code (`EVT_CMD_COMPLETE`, ...). */
  readonly evt: number;
  /** The parameters (a copy). */
  readonly params: Buffer;
}

/**
 * An HCI event packet: `HCI_EVENT_PKT`, the event code, the parameter
 * length and the parameters — what a controller sends the host (a virtual
 * controller writes it to `/dev/vhci`).
 *
 * @throws RangeError when `evt` is outside 0-255 or `params` exceeds 255 bytes.
 * @example
 * ```ts
 * buildHciEvent(EVT_CMD_STATUS, Buffer.from([0, 1, 0x05, 0x04])); // <Buffer 04 0f 04 00 01 05 04>
 * ```
 */
export function buildHciEvent(evt: number, params: BytesLike = Buffer.alloc(0)): Buffer {
  const code = uint(evt, 0xff, 'buildHciEvent()', 'evt');
  const p = bytesArg(params, 'buildHciEvent()', 'params');
  if (p.length > 0xff) throw new RangeError(`buildHciEvent(): params must be at most 255 bytes, got ${p.length}`);
  return Buffer.concat([Buffer.from([HCI_EVENT_PKT, code, p.length]), p]);
}

/**
 * Reads an HCI event packet, as a raw HCI socket receives it.
 *
 * @throws TypeError when the packet is not an event; RangeError when it is truncated.
 * @example
 * ```ts
 * const { evt, params } = parseHciEvent(await hci.recv(HCI_MAX_EVENT_SIZE));
 * ```
 */
export function parseHciEvent(packet: BytesLike): HciEvent {
  const b = bytesArg(packet, 'parseHciEvent()', 'packet');
  if (b.length < 1 || b[0] !== HCI_EVENT_PKT) {
    throw new TypeError(`parseHciEvent(): expected an event packet (first byte HCI_EVENT_PKT), got ${show(b)}`);
  }
  if (b.length < 3 || b.length < 3 + b[2]!) throw new RangeError(`parseHciEvent(): the packet is truncated: ${b.length} bytes`);
  return { evt: b[1]!, params: Buffer.from(b.subarray(3, 3 + b[2]!)) };
}

/**
 * A Command Complete event, as {@link parseCommandComplete} reads it.
 *
 * @example
 * ```ts
 * const { opcode, status, returnParameters }: CommandComplete = parseCommandComplete(packet);
 * ```
 */
export interface CommandComplete {
  /** Num_HCI_Command_Packets: how many commands the controller takes now. */
  readonly ncmd: number;
  /** The opcode of the command that completed. */
  readonly opcode: number;
  /** Its opcode group field. */
  readonly ogf: number;
  /** Its opcode command field. */
  readonly ocf: number;
  /** The first return parameter, which is the status (0: success) for nearly every command; `null` when there is none. */
  readonly status: number | null;
  /** The return parameters, status included (a copy). */
  readonly returnParameters: Buffer;
}

/**
 * Reads a Command Complete event (`EVT_CMD_COMPLETE`): the answer to a
 * command, with its return parameters.
 *
 * @throws TypeError when the packet is not a Command Complete event; RangeError when it is truncated.
 * @example
 * ```ts
 * await hci.send(buildHciCommand(OGF_HOST_CTL, OCF_RESET));
 * const done = parseCommandComplete(await hci.recv(HCI_MAX_EVENT_SIZE));
 * done.opcode === hciOpcode(OGF_HOST_CTL, OCF_RESET) && done.status === 0;
 * ```
 */
export function parseCommandComplete(packet: BytesLike): CommandComplete {
  const { evt, params } = parseHciEvent(packet);
  if (evt !== EVT_CMD_COMPLETE) {
    throw new TypeError(`parseCommandComplete(): expected event EVT_CMD_COMPLETE (0x0e), got 0x${evt.toString(16).padStart(2, '0')}`);
  }
  if (params.length < 3) throw new RangeError(`parseCommandComplete(): ${params.length} parameter bytes are too few`);
  const opcode = params.readUInt16LE(1);
  const returnParameters = params.subarray(3);
  return {
    ncmd: params[0]!,
    opcode,
    ogf: opcode >> 10,
    ocf: opcode & 0x3ff,
    status: returnParameters.length > 0 ? returnParameters[0]! : null,
    returnParameters,
  };
}

/**
 * A Command Complete event packet for `opcode`, as a controller answers a
 * command: Num_HCI_Command_Packets, the opcode and the return parameters
 * (which start with the status).
 *
 * @throws RangeError when `opcode` is outside 0-65535, `ncmd` outside 0-255 or the return parameters exceed 252 bytes.
 * @example
 * ```ts
 * buildCommandComplete(hciOpcode(OGF_HOST_CTL, OCF_RESET), Buffer.from([0])); // <Buffer 04 0e 04 01 03 0c 00>
 * ```
 */
export function buildCommandComplete(opcode: number, returnParameters: BytesLike, ncmd = 1): Buffer {
  const head = Buffer.alloc(3);
  head[0] = uint(ncmd, 0xff, 'buildCommandComplete()', 'ncmd');
  head.writeUInt16LE(uint(opcode, 0xffff, 'buildCommandComplete()', 'opcode'), 1);
  const rest = bytesArg(returnParameters, 'buildCommandComplete()', 'returnParameters');
  if (rest.length > 0xff - 3) {
    throw new RangeError(`buildCommandComplete(): returnParameters must be at most 252 bytes, got ${rest.length}`);
  }
  return buildHciEvent(EVT_CMD_COMPLETE, Buffer.concat([head, rest]));
}
