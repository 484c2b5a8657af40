/**
 * `struct can_frame` and `struct canfd_frame`, what a CAN_RAW socket sends
 * and receives: pack a frame from its fields and unpack a received one,
 * instead of `struct.pack("=IB3x8s", can_id, dlc, data)`.
 *
 * @packageDocumentation
 */
import type { BytesLike } from '@bsdsock/core';
import {
  bytesOf, checkInteger, checkRange, isBytesLike, layout, readHostU32, show, writeHostU32,
} from '@bsdsock/core/internal';
import {
  CANFD_BRS, CANFD_ESI, CANFD_MAX_DLEN, CANFD_MTU, CAN_EFF_FLAG, CAN_EFF_MASK, CAN_ERR_FLAG, CAN_ERR_MASK,
  CAN_MAX_DLEN, CAN_MTU, CAN_RTR_FLAG, CAN_SFF_MASK,
} from './constants.generated.js';
import { checkCanId, checkObject, flag, integer } from './messages.js';

const CF_SIZE = layout('can_frame');
const CF_ID = layout('can_frame.can_id');
const CF_DLC = layout('can_frame.can_dlc');
const CF_DATA = layout('can_frame.data');
const FD_SIZE = layout('canfd_frame');
const FD_ID = layout('canfd_frame.can_id');
const FD_LEN = layout('canfd_frame.len');
const FD_FLAGS = layout('canfd_frame.flags');
const FD_DATA = layout('canfd_frame.data');

/**
 * The flags and identifier of a `can_id`, as a received frame has them.
 *
 * @example
 * ```ts
 * const { id, extended, error }: CanIdFields = unpackCanFrame(bytes);
 * ```
 * @see https://docs.kernel.org/networking/can.html
 */
export interface CanIdFields {
  /**
   * The `can_id` word as the kernel has it: the identifier with
   * `CAN_EFF_FLAG`, `CAN_RTR_FLAG` and `CAN_ERR_FLAG` in its top bits.
   */
  readonly canId: number;
  /** The identifier without the flags: 11 bits, 29 with `extended`, the error class mask of an error frame. */
  readonly id: number;
  /** `CAN_EFF_FLAG`: a 29-bit (extended frame format) identifier. */
  readonly extended: boolean;
  /** `CAN_ERR_FLAG`: an error message frame (see <linux/can/error.h>). */
  readonly error: boolean;
}

/**
 * What {@link packCanFrame} takes.
 *
 * @example
 * ```ts
 * const init: CanFrameInit = { canId: 0x123, data: Buffer.from([1, 2, 3]) };
 * ```
 * @see https://docs.kernel.org/networking/can.html
 */
export interface CanFrameInit {
  /**
   * The `can_id` word, 0-0xffffffff: the identifier, with any of
   * `CAN_EFF_FLAG`, `CAN_RTR_FLAG` and `CAN_ERR_FLAG` ORed in (or set them
   * with the booleans below); the negative int32 that JavaScript's `|`
   * gives stands for the same 32 bits. Without `CAN_EFF_FLAG` (or `CAN_ERR_FLAG`) the
   * identifier must fit 11 bits (`CAN_SFF_MASK`).
   */
  readonly canId: number;
  /** The payload, 0-8 bytes (`CAN_MAX_DLEN`); none for a remote frame. */
  readonly data?: BytesLike;
  /** Sets `CAN_EFF_FLAG`: a 29-bit identifier. */
  readonly extended?: boolean;
  /** Sets `CAN_RTR_FLAG`: a remote transmission request (no data; give `dlc`). */
  readonly remote?: boolean;
  /** Sets `CAN_ERR_FLAG`: an error message frame. */
  readonly error?: boolean;
  /**
   * The data length code, 0-8: the length a remote frame requests. A data
   * frame's is its data's length (give it only to say the same).
   */
  readonly dlc?: number;
}

/**
 * A `struct can_frame` as {@link unpackCanFrame} reads it.
 *
 * @example
 * ```ts
 * const frame: CanFrame = unpackCanFrame(await raw.recv(CAN_MTU));
 * if (!frame.remote) console.log(frame.id.toString(16), frame.data);
 * ```
 * @see https://docs.kernel.org/networking/can.html
 */
export interface CanFrame extends CanIdFields {
  /** `false`: a Classical CAN frame (16 bytes, `CAN_MTU`). */
  readonly fd: false;
  /** `CAN_RTR_FLAG`: a remote transmission request. */
  readonly remote: boolean;
  /** The data length code as the kernel gave it (`can_dlc`, 0-8). */
  readonly dlc: number;
  /** The payload, `dlc` bytes (none for a remote frame), a copy. */
  readonly data: Buffer;
}

/**
 * What {@link packCanFdFrame} takes.
 *
 * @example
 * ```ts
 * const init: CanFdFrameInit = { canId: 0x321, brs: true, data: Buffer.alloc(64) };
 * ```
 * @see https://docs.kernel.org/networking/can.html
 */
export interface CanFdFrameInit {
  /**
   * The `can_id` word, 0-0xffffffff (or the negative int32 that `|`
   * gives), with `CAN_EFF_FLAG` or `CAN_ERR_FLAG` ORed in (or set them with
   * the booleans below); CAN FD has no remote
   * frames. Without `CAN_EFF_FLAG` the identifier must fit 11 bits.
   */
  readonly canId: number;
  /** The payload, 0-64 bytes (`CANFD_MAX_DLEN`); CAN FD carries 0-8, 12, 16, 20, 24, 32, 48 or 64 (drivers pad the others up). */
  readonly data?: BytesLike;
  /** Sets `CAN_EFF_FLAG`: a 29-bit identifier. */
  readonly extended?: boolean;
  /** Sets `CAN_ERR_FLAG`: an error message frame. */
  readonly error?: boolean;
  /** Sets `CANFD_BRS`: bit rate switch (the data phase at the second bit rate). */
  readonly brs?: boolean;
  /** Sets `CANFD_ESI`: error state indicator of the sender. */
  readonly esi?: boolean;
  /** More `flags` bits, 0-255, ORed in (`CANFD_FDF`, ...). */
  readonly flags?: number;
}

/**
 * A `struct canfd_frame` as {@link unpackCanFdFrame} reads it.
 *
 * @example
 * ```ts
 * const frame: CanFdFrame = unpackCanFdFrame(await raw.recv(CANFD_MTU));
 * console.log(frame.len, frame.brs);
 * ```
 * @see https://docs.kernel.org/networking/can.html
 */
export interface CanFdFrame extends CanIdFields {
  /** `true`: a CAN FD frame (72 bytes, `CANFD_MTU`). */
  readonly fd: true;
  /** The payload length (`len`, 0-64). */
  readonly len: number;
  /** The `flags` byte: `CANFD_BRS`, `CANFD_ESI`, `CANFD_FDF` (which the kernel sets on CAN FD frames it delivers since Linux 6.0). */
  readonly flags: number;
  /** `CANFD_BRS`: bit rate switch. */
  readonly brs: boolean;
  /** `CANFD_ESI`: error state indicator. */
  readonly esi: boolean;
  /** The payload, `len` bytes, a copy. */
  readonly data: Buffer;
}

/** The `can_id` word of a frame: the number, the flag booleans ORed in, and the identifier's width checked. */
function canIdWord(init: Record<string, unknown>, where: string, rtr: boolean): number {
  const raw = checkInteger(init.canId, where, 'canId');
  const extended = flag(init.extended, where, 'extended');
  const remote = rtr ? flag(init.remote, where, 'remote') : false;
  const error = flag(init.error, where, 'error');
  checkCanId(raw, where, 'canId');
  const word = (raw | (extended ? CAN_EFF_FLAG : 0) | (remote ? CAN_RTR_FLAG : 0) | (error ? CAN_ERR_FLAG : 0)) >>> 0;
  if ((word & (CAN_EFF_FLAG | CAN_ERR_FLAG)) === 0 && (word & CAN_EFF_MASK) > CAN_SFF_MASK) {
    throw new RangeError(
      `${where} canId ${show(raw)} (0x${(raw >>> 0).toString(16)}) does not fit a standard 11-bit identifier (0-0x${CAN_SFF_MASK.toString(16)}); ` +
        'set CAN_EFF_FLAG (extended: true) for a 29-bit one',
    );
  }
  return word;
}

/** The payload of a frame: bytes-like, at most `max` bytes (RangeError beyond). */
function payload(value: unknown, max: number, where: string, limit: string): Buffer {
  if (value === undefined) return Buffer.alloc(0);
  if (!isBytesLike(value)) throw new TypeError(`${where} data must be a bytes-like object, got ${show(value)}`);
  const data = bytesOf(value);
  if (data.length > max) throw new RangeError(`${where} data must be at most ${max} bytes (${limit}), got ${data.length}`);
  return data;
}

/** The identifier fields of a `can_id` word. */
function idFields(word: number): CanIdFields {
  const extended = (word & CAN_EFF_FLAG) !== 0;
  const error = (word & CAN_ERR_FLAG) !== 0;
  const id = word & (error ? CAN_ERR_MASK : extended ? CAN_EFF_MASK : CAN_SFF_MASK);
  return { canId: word, id, extended, error };
}

/** The Buffer of a frame to unpack, of exactly `size` bytes. */
function frameBytes(value: unknown, size: number, fn: string, what: string): Buffer {
  if (!isBytesLike(value)) throw new TypeError(`${fn} expects a bytes-like object, got ${show(value)}`);
  const bytes = bytesOf(value);
  if (bytes.length !== size) throw new RangeError(`${fn} expects ${what}, got ${bytes.length} bytes`);
  return bytes;
}

/**
 * The 16 bytes (`CAN_MTU`) of a `struct can_frame`, in host byte order:
 * what `send` on a CAN_RAW socket takes, and what a BCM message carries.
 *
 * @throws TypeError for a field of the wrong type, or data on a remote
 *   frame; RangeError for a `canId` out of 0-0xffffffff, an identifier
 *   wider than 11 bits without `CAN_EFF_FLAG`, more than 8 data bytes, a
 *   `dlc` out of 0-8 or a data frame's `dlc` that is not its data's length.
 * @see https://docs.kernel.org/networking/can.html (How to use SocketCAN)
 * @example
 * ```ts
 * const raw = new Socket(AF_CAN, SOCK_RAW, CAN_RAW);
 * raw.bind(['vcan0']);
 * await raw.send(packCanFrame({ canId: 0x123, data: Buffer.from([0xde, 0xad]) }));
 * await raw.send(packCanFrame({ canId: 0x1abcdef, extended: true, data: Buffer.from('8 bytes!') }));
 * await raw.send(packCanFrame({ canId: 0x7df, remote: true, dlc: 8 }));
 * ```
 */
export function packCanFrame(frame: CanFrameInit): Buffer {
  return canFrameBytes(frame, 'packCanFrame()');
}

/**
 * {@link packCanFrame}, its errors naming `what` (`'packBcmMessage(): frames[0]'`).
 * @internal
 */
export function canFrameBytes(frame: unknown, what: string): Buffer {
  const where = `${what}:`;
  checkObject(frame, `${what} expects { canId, data?, extended?, remote?, error?, dlc? }`);
  const word = canIdWord(frame, where, true);
  const data = payload(frame.data, CAN_MAX_DLEN, where, 'CAN_MAX_DLEN');
  const remote = (word & CAN_RTR_FLAG) !== 0;
  if (remote && data.length > 0) throw new TypeError(`${where} a remote frame (CAN_RTR_FLAG) carries no data, got ${data.length} bytes`);
  let dlc = data.length;
  if (frame.dlc !== undefined) {
    dlc = integer(frame.dlc, 0, CAN_MAX_DLEN, where, 'dlc');
    if (!remote && dlc !== data.length) {
      throw new RangeError(`${where} dlc must be the data's length (${data.length}) for a data frame, got ${dlc}`);
    }
  }
  const buf = Buffer.alloc(CF_SIZE);
  writeHostU32(buf, word, CF_ID);
  buf[CF_DLC] = dlc;
  data.copy(buf, CF_DATA);
  return buf;
}

/**
 * Reads a `struct can_frame` (16 bytes, `CAN_MTU`), as `recv` on a CAN_RAW
 * socket returns it.
 *
 * @throws TypeError when `bytes` is not bytes-like; RangeError when it is
 *   not 16 bytes long (a 72-byte CAN FD frame: use {@link unpackCanFdFrame}
 *   or {@link unpackFrame}).
 * @see https://docs.kernel.org/networking/can.html
 * @example
 * ```ts
 * const { id, extended, dlc, data } = unpackCanFrame(await raw.recv(CAN_MTU));
 * ```
 */
export function unpackCanFrame(bytes: BytesLike): CanFrame {
  const buf = frameBytes(bytes, CF_SIZE, 'unpackCanFrame()', `a ${CAN_MTU}-byte can_frame (CAN_MTU)`);
  const word = readHostU32(buf, CF_ID);
  const remote = (word & CAN_RTR_FLAG) !== 0;
  const dlc = buf[CF_DLC]!;
  const length = remote ? 0 : Math.min(dlc, CAN_MAX_DLEN);
  return { fd: false, ...idFields(word), remote, dlc, data: Buffer.from(buf.subarray(CF_DATA, CF_DATA + length)) };
}

/**
 * The 72 bytes (`CANFD_MTU`) of a `struct canfd_frame`, in host byte
 * order: what `send` takes on a CAN_RAW socket with `CAN_RAW_FD_FRAMES`
 * enabled (on an interface whose MTU is `CANFD_MTU`), and what a BCM
 * message with `CAN_BCM_CAN_FD_FRAME` carries.
 *
 * @throws TypeError for a field of the wrong type; RangeError for a
 *   `canId` out of 0-0xffffffff, an identifier wider than 11 bits without
 *   `CAN_EFF_FLAG`, more than 64 data bytes, or `flags` out of 0-255.
 * @see https://docs.kernel.org/networking/can.html (CAN FD support)
 * @example
 * ```ts
 * raw.setsockopt(SOL_CAN_RAW, CAN_RAW_FD_FRAMES, 1);
 * await raw.send(packCanFdFrame({ canId: 0x321, brs: true, data: Buffer.alloc(64, 0xaa) }));
 * ```
 */
export function packCanFdFrame(frame: CanFdFrameInit): Buffer {
  return canFdFrameBytes(frame, 'packCanFdFrame()');
}

/**
 * {@link packCanFdFrame}, its errors naming `what`.
 * @internal
 */
export function canFdFrameBytes(frame: unknown, what: string): Buffer {
  const where = `${what}:`;
  checkObject(frame, `${what} expects { canId, data?, extended?, error?, brs?, esi?, flags? }`);
  const word = canIdWord(frame, where, false);
  const brs = flag(frame.brs, where, 'brs');
  const esi = flag(frame.esi, where, 'esi');
  const extra = frame.flags === undefined ? 0 : checkInteger(frame.flags, where, 'flags');
  const data = payload(frame.data, CANFD_MAX_DLEN, where, 'CANFD_MAX_DLEN');
  checkRange(extra, 0, 0xff, where, 'flags');
  const buf = Buffer.alloc(FD_SIZE);
  writeHostU32(buf, word, FD_ID);
  buf[FD_LEN] = data.length;
  buf[FD_FLAGS] = extra | (brs ? CANFD_BRS : 0) | (esi ? CANFD_ESI : 0);
  data.copy(buf, FD_DATA);
  return buf;
}

/**
 * Reads a `struct canfd_frame` (72 bytes, `CANFD_MTU`), as `recv` returns
 * a CAN FD frame on a socket with `CAN_RAW_FD_FRAMES` enabled.
 *
 * @throws TypeError when `bytes` is not bytes-like; RangeError when it is
 *   not 72 bytes long.
 * @see https://docs.kernel.org/networking/can.html
 * @example
 * ```ts
 * const { canId, len, brs, data } = unpackCanFdFrame(await raw.recv(CANFD_MTU));
 * ```
 */
export function unpackCanFdFrame(bytes: BytesLike): CanFdFrame {
  const buf = frameBytes(bytes, FD_SIZE, 'unpackCanFdFrame()', `a ${CANFD_MTU}-byte canfd_frame (CANFD_MTU)`);
  const word = readHostU32(buf, FD_ID);
  const len = buf[FD_LEN]!;
  const flags = buf[FD_FLAGS]!;
  return {
    fd: true,
    ...idFields(word),
    len,
    flags,
    brs: (flags & CANFD_BRS) !== 0,
    esi: (flags & CANFD_ESI) !== 0,
    data: Buffer.from(buf.subarray(FD_DATA, FD_DATA + Math.min(len, CANFD_MAX_DLEN))),
  };
}

/**
 * Reads whichever frame `bytes` holds, by its length: a 16-byte
 * `can_frame` or a 72-byte `canfd_frame`, as a socket with
 * `CAN_RAW_FD_FRAMES` enabled receives both. `fd` tells them apart.
 *
 * @throws TypeError when `bytes` is not bytes-like; RangeError for any
 *   other length.
 * @see https://docs.kernel.org/networking/can.html
 * @example
 * ```ts
 * const frame = unpackFrame(await raw.recv(CANFD_MTU));
 * console.log(frame.fd ? `FD, ${frame.len} bytes` : `classic, dlc ${frame.dlc}`);
 * ```
 */
export function unpackFrame(bytes: BytesLike): CanFrame | CanFdFrame {
  const fn = 'unpackFrame()';
  if (!isBytesLike(bytes)) throw new TypeError(`${fn} expects a bytes-like object, got ${show(bytes)}`);
  if (bytes.byteLength === FD_SIZE) return unpackCanFdFrame(bytes);
  if (bytes.byteLength === CF_SIZE) return unpackCanFrame(bytes);
  throw new RangeError(`${fn} expects a ${CAN_MTU}-byte can_frame or a ${CANFD_MTU}-byte canfd_frame, got ${bytes.byteLength} bytes`);
}
