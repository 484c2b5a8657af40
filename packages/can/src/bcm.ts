/**
 * Messages of the CAN broadcast manager (CAN_BCM): `struct bcm_msg_head`
 * followed by its `nframes` CAN frames, what a BCM socket sends (TX_SETUP,
 * RX_SETUP, ...) and receives (RX_CHANGED, TX_EXPIRED, ...).
 *
 * @packageDocumentation
 */
import type { BytesLike } from '@bsdsock/core';
import {
  bytesOf, checkInteger, checkRange, isBytesLike, layout, readHostLong, readHostU32, show, writeHostLong, writeHostU32,
} from '@bsdsock/core/internal';
import { CAN_BCM_CAN_FD_FRAME } from './constants.generated.js';
import {
  canFdFrameBytes, canFrameBytes, unpackCanFdFrame, unpackCanFrame, type CanFdFrame, type CanFdFrameInit,
  type CanFrame, type CanFrameInit,
} from './frame.js';
import { checkCanId, checkObject, integer } from './messages.js';

const HEAD_SIZE = layout('bcm_msg_head');
const OPCODE = layout('bcm_msg_head.opcode');
const FLAGS = layout('bcm_msg_head.flags');
const COUNT = layout('bcm_msg_head.count');
const IVAL1 = layout('bcm_msg_head.ival1');
const IVAL2 = layout('bcm_msg_head.ival2');
const CAN_ID = layout('bcm_msg_head.can_id');
const NFRAMES = layout('bcm_msg_head.nframes');
const FRAMES = layout('bcm_msg_head.frames');
const TV_SEC = layout('bcm_timeval.tv_sec');
const TV_USEC = layout('bcm_timeval.tv_usec');
/** sizeof(long): the width of tv_sec and tv_usec. */
const LONG_SIZE = layout('bcm_timeval.tv_sec.size');
const CF_SIZE = layout('can_frame');
const FD_SIZE = layout('canfd_frame');
/** The largest tv_sec a `long` holds that a JavaScript number keeps exactly. */
const SEC_MAX = LONG_SIZE === 8 ? Number.MAX_SAFE_INTEGER : 0x7fffffff;
const USEC_PER_SEC = 1_000_000;

/**
 * A `struct bcm_timeval`: seconds and microseconds.
 *
 * @example
 * ```ts
 * const every20ms: BcmTimeval = { sec: 0, usec: 20_000 };
 * ```
 * @see https://docs.kernel.org/networking/can.html
 */
export interface BcmTimeval {
  /** Whole seconds (`tv_sec`). */
  readonly sec: number;
  /** Microseconds, 0-999999 (`tv_usec`). */
  readonly usec: number;
}

/**
 * What {@link packBcmMessage} takes.
 *
 * @example
 * ```ts
 * const rxSetup: BcmMessageInit = { opcode: CAN_BCM_RX_SETUP, canId: 0x2a0, frames: [{ canId: 0x2a0, data: Buffer.from([0xff]) }] };
 * ```
 * @see https://docs.kernel.org/networking/can.html
 */
export interface BcmMessageInit {
  /** The operation: `CAN_BCM_TX_SETUP`, `CAN_BCM_TX_DELETE`, `CAN_BCM_TX_SEND`, `CAN_BCM_RX_SETUP`, ... */
  readonly opcode: number;
  /**
   * `CAN_BCM_SETTIMER`, `CAN_BCM_STARTTIMER`, `CAN_BCM_TX_COUNTEVT`, ...,
   * ORed; with `CAN_BCM_CAN_FD_FRAME` the frames are CAN FD frames. Default 0.
   */
  readonly flags?: number;
  /** How many frames to send at `ival1` before switching to `ival2` (TX_SETUP). Default 0. */
  readonly count?: number;
  /** The first interval: seconds as a number (`0.1`), or `{ sec, usec }`. Default 0. */
  readonly ival1?: number | BcmTimeval;
  /** The second interval (the cyclic one of TX_SETUP, the throttle of RX_SETUP). Default 0. */
  readonly ival2?: number | BcmTimeval;
  /** The `can_id` of the job, 0-0xffffffff (`CAN_EFF_FLAG` ORed in for a 29-bit id; the int32 `|` gives is fine). Default 0. */
  readonly canId?: number;
  /**
   * The frames (`nframes` is their number): each a frame to pack, or the
   * bytes of one (16 bytes; 72 with `CAN_BCM_CAN_FD_FRAME`). For RX_SETUP
   * they are the content filters (the data bits that count as a change).
   */
  readonly frames?: readonly (CanFrameInit | CanFdFrameInit | BytesLike)[];
}

/**
 * A BCM message as {@link unpackBcmMessage} reads it.
 *
 * @example
 * ```ts
 * const msg: BcmMessage = unpackBcmMessage(await bcm.recv(4096));
 * ```
 * @see https://docs.kernel.org/networking/can.html
 */
export interface BcmMessage {
  /** The operation or notification: `CAN_BCM_RX_CHANGED`, `CAN_BCM_TX_STATUS`, `CAN_BCM_RX_TIMEOUT`, ... */
  readonly opcode: number;
  /** The job's flags (`CAN_BCM_*`). */
  readonly flags: number;
  /** The job's remaining count of `ival1` frames. */
  readonly count: number;
  /** The job's first interval. */
  readonly ival1: BcmTimeval;
  /** The job's second interval. */
  readonly ival2: BcmTimeval;
  /** The `can_id` of the job (flags such as `CAN_EFF_FLAG` included). */
  readonly canId: number;
  /** The frames: `CanFdFrame`s when `flags` has `CAN_BCM_CAN_FD_FRAME`, else `CanFrame`s. */
  readonly frames: readonly (CanFrame | CanFdFrame)[];
}

/** A timeval from seconds or `{ sec, usec }`; `field` names it in errors. */
function timeval(value: unknown, where: string, field: string): BcmTimeval {
  if (value === undefined) return { sec: 0, usec: 0 };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${where} ${field} must be a finite number of seconds, got ${show(value)}`);
    if (value < 0 || value > SEC_MAX) throw new RangeError(`${where} ${field} must be 0-${SEC_MAX} seconds, got ${show(value)}`);
    let sec = Math.floor(value);
    let usec = Math.round((value - sec) * USEC_PER_SEC);
    if (usec === USEC_PER_SEC) {
      sec += 1;
      usec = 0;
    }
    return { sec, usec };
  }
  checkObject(value, `${where} ${field} must be seconds or { sec, usec }`);
  const sec = checkInteger(value.sec, where, `${field}.sec`);
  const usec = checkInteger(value.usec, where, `${field}.usec`);
  checkRange(sec, 0, SEC_MAX, where, `${field}.sec`);
  checkRange(usec, 0, USEC_PER_SEC - 1, where, `${field}.usec`);
  return { sec, usec };
}

function writeTimeval(buf: Buffer, tv: BcmTimeval, at: number): void {
  writeHostLong(buf, tv.sec, at + TV_SEC, LONG_SIZE);
  writeHostLong(buf, tv.usec, at + TV_USEC, LONG_SIZE);
}

function readTimeval(buf: Buffer, at: number): BcmTimeval {
  return { sec: readHostLong(buf, at + TV_SEC, LONG_SIZE), usec: readHostLong(buf, at + TV_USEC, LONG_SIZE) };
}

/** One frame of a message: given bytes of the right size, or packed from its fields. */
function frameOf(frame: unknown, fd: boolean, what: string): Buffer {
  const size = fd ? FD_SIZE : CF_SIZE;
  if (isBytesLike(frame)) {
    const bytes = bytesOf(frame);
    if (bytes.length !== size) {
      throw new RangeError(`${what} must be ${size} bytes (${fd ? 'a canfd_frame, as flags has CAN_BCM_CAN_FD_FRAME' : 'a can_frame'}), got ${bytes.length}`);
    }
    return bytes;
  }
  return fd ? canFdFrameBytes(frame, what) : canFrameBytes(frame, what);
}

/**
 * The bytes of a BCM message: a `struct bcm_msg_head` (opcode, flags,
 * count, ival1, ival2, can_id, nframes) in host byte order, then its
 * frames. `send` it on a CAN_BCM socket connected to an interface.
 *
 * @throws TypeError for a field of the wrong type; RangeError for a number
 *   out of range (u32 fields, microseconds 0-999999, negative intervals) or
 *   a frame given as bytes of the wrong size.
 * @see https://docs.kernel.org/networking/can.html (Broadcast Manager protocol sockets - SOCK_DGRAM)
 * @example
 * ```ts
 * const bcm = new Socket(AF_CAN, SOCK_DGRAM, CAN_BCM);
 * await bcm.connect(['vcan0']);
 * // send 0x123 every 100 ms until TX_DELETE
 * await bcm.send(packBcmMessage({
 *   opcode: CAN_BCM_TX_SETUP,
 *   flags: CAN_BCM_SETTIMER | CAN_BCM_STARTTIMER,
 *   ival2: 0.1,
 *   canId: 0x123,
 *   frames: [{ canId: 0x123, data: Buffer.from([1, 2, 3]) }],
 * }));
 * ```
 */
export function packBcmMessage(message: BcmMessageInit): Buffer {
  const fn = 'packBcmMessage()';
  const where = `${fn}:`;
  checkObject(message, `${fn} expects { opcode, flags?, count?, ival1?, ival2?, canId?, frames? }`);
  const opcode = integer(message.opcode, 0, 0xffffffff, where, 'opcode');
  const flags = message.flags === undefined ? 0 : integer(message.flags, 0, 0xffffffff, where, 'flags');
  const count = message.count === undefined ? 0 : integer(message.count, 0, 0xffffffff, where, 'count');
  const ival1 = timeval(message.ival1, where, 'ival1');
  const ival2 = timeval(message.ival2, where, 'ival2');
  const canId = message.canId === undefined ? 0 : checkCanId(checkInteger(message.canId, where, 'canId'), where, 'canId');
  const given: unknown = message.frames ?? [];
  if (!Array.isArray(given)) throw new TypeError(`${where} frames must be an array, got ${show(given)}`);
  const fd = (flags & CAN_BCM_CAN_FD_FRAME) !== 0;
  const frames = given.map((f: unknown, i) => frameOf(f, fd, `${fn}: frames[${i}]`));

  const buf = Buffer.alloc(FRAMES + frames.reduce((n, f) => n + f.length, 0));
  writeHostU32(buf, opcode, OPCODE);
  writeHostU32(buf, flags, FLAGS);
  writeHostU32(buf, count, COUNT);
  writeTimeval(buf, ival1, IVAL1);
  writeTimeval(buf, ival2, IVAL2);
  writeHostU32(buf, canId, CAN_ID);
  writeHostU32(buf, frames.length, NFRAMES);
  let at = FRAMES;
  for (const f of frames) at += f.copy(buf, at);
  return buf;
}

/**
 * Reads a BCM message, as `recv` on a CAN_BCM socket returns one
 * (`CAN_BCM_RX_CHANGED` with the frame that changed, `CAN_BCM_TX_STATUS`,
 * ...): the head, then `nframes` frames (CAN FD frames when `flags` has
 * `CAN_BCM_CAN_FD_FRAME`).
 *
 * @throws TypeError when `bytes` is not bytes-like; RangeError when its
 *   length is not the head's plus `nframes` frames.
 * @see https://docs.kernel.org/networking/can.html
 * @example
 * ```ts
 * const msg = unpackBcmMessage(await bcm.recv(4096));
 * if (msg.opcode === CAN_BCM_RX_CHANGED) console.log(msg.canId, msg.frames[0]?.data);
 * ```
 */
export function unpackBcmMessage(bytes: BytesLike): BcmMessage {
  const fn = 'unpackBcmMessage()';
  if (!isBytesLike(bytes)) throw new TypeError(`${fn} expects a bytes-like object, got ${show(bytes)}`);
  const buf = bytesOf(bytes);
  if (buf.length < HEAD_SIZE) throw new RangeError(`${fn} expects at least the ${HEAD_SIZE}-byte bcm_msg_head, got ${buf.length} bytes`);
  const flags = readHostU32(buf, FLAGS);
  const nframes = readHostU32(buf, NFRAMES);
  const fd = (flags & CAN_BCM_CAN_FD_FRAME) !== 0;
  const size = fd ? FD_SIZE : CF_SIZE;
  const want = FRAMES + nframes * size;
  if (buf.length !== want) {
    throw new RangeError(`${fn} expects ${want} bytes (the head and ${nframes} ${size}-byte frames), got ${buf.length}`);
  }
  const frames: (CanFrame | CanFdFrame)[] = [];
  for (let i = 0; i < nframes; i++) {
    const frame = buf.subarray(FRAMES + i * size, FRAMES + (i + 1) * size);
    frames.push(fd ? unpackCanFdFrame(frame) : unpackCanFrame(frame));
  }
  return {
    opcode: readHostU32(buf, OPCODE),
    flags,
    count: readHostU32(buf, COUNT),
    ival1: readTimeval(buf, IVAL1),
    ival2: readTimeval(buf, IVAL2),
    canId: readHostU32(buf, CAN_ID),
    frames,
  };
}
