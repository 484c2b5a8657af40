/**
 * The option structures of CAN_ISOTP sockets (level `SOL_CAN_ISOTP`):
 * `struct can_isotp_options` (CAN_ISOTP_OPTS), `struct
 * can_isotp_fc_options` (CAN_ISOTP_RECV_FC) and `struct
 * can_isotp_ll_options` (CAN_ISOTP_LL_OPTS). Set them before `bind`.
 *
 * @packageDocumentation
 */
import type { BytesLike } from '@bsdsock/core';
import {
  bytesOf, checkInteger, checkRange, isBytesLike, layout, readHostU32, show, writeHostU32,
} from '@bsdsock/core/internal';
import {
  CAN_ISOTP_DEFAULT_EXT_ADDRESS, CAN_ISOTP_DEFAULT_FLAGS, CAN_ISOTP_DEFAULT_FRAME_TXTIME, CAN_ISOTP_DEFAULT_LL_MTU,
  CAN_ISOTP_DEFAULT_LL_TX_DL, CAN_ISOTP_DEFAULT_LL_TX_FLAGS, CAN_ISOTP_DEFAULT_PAD_CONTENT, CAN_ISOTP_DEFAULT_RECV_BS,
  CAN_ISOTP_DEFAULT_RECV_STMIN, CAN_ISOTP_DEFAULT_RECV_WFTMAX,
} from './constants.generated.js';
import { checkObject } from './messages.js';

/** A field of an option struct: its name in the object, its offset, its width in bytes, its default. */
interface Field {
  readonly key: string;
  readonly offset: number;
  readonly width: 1 | 4;
  readonly fallback: number;
}

/** A C struct of u8 and u32 fields, read and written by name. */
class Struct<T extends object> {
  readonly size: number;

  constructor(
    private readonly name: string,
    private readonly fields: readonly Field[],
  ) {
    this.size = layout(name);
  }

  pack(value: unknown, fn: string): Buffer {
    const where = `${fn}:`;
    const shape = `{ ${this.fields.map((f) => `${f.key}?`).join(', ')} }`;
    if (value === undefined) value = {};
    checkObject(value, `${fn} expects ${shape}`);
    const buf = Buffer.alloc(this.size);
    const got = value;
    const values = this.fields.map((f) => (got[f.key] === undefined ? f.fallback : checkInteger(got[f.key], where, f.key)));
    this.fields.forEach((f, i) => {
      const v = checkRange(values[i]!, 0, f.width === 4 ? 0xffffffff : 0xff, where, f.key);
      if (f.width === 4) writeHostU32(buf, v, f.offset);
      else buf[f.offset] = v;
    });
    return buf;
  }

  unpack(bytes: unknown, fn: string): T {
    if (!isBytesLike(bytes)) throw new TypeError(`${fn} expects a bytes-like object, got ${show(bytes)}`);
    const buf = bytesOf(bytes);
    if (buf.length !== this.size) throw new RangeError(`${fn} expects a ${this.size}-byte ${this.name}, got ${buf.length} bytes`);
    const out: Record<string, number> = {};
    for (const f of this.fields) out[f.key] = f.width === 4 ? readHostU32(buf, f.offset) : buf[f.offset]!;
    return out as T;
  }
}

const field = (struct: string, member: string, key: string, width: 1 | 4, fallback: number): Field => ({
  key,
  offset: layout(`${struct}.${member}`),
  width,
  fallback,
});

/**
 * `struct can_isotp_options`, the value of CAN_ISOTP_OPTS.
 *
 * @example
 * ```ts
 * const padded: Partial<IsotpOptions> = { flags: CAN_ISOTP_TX_PADDING, txpadContent: 0x55 };
 * ```
 * @see https://docs.kernel.org/networking/iso15765-2.html
 */
export interface IsotpOptions {
  /** `CAN_ISOTP_LISTEN_MODE`, `CAN_ISOTP_EXTEND_ADDR`, `CAN_ISOTP_TX_PADDING`, ... ORed (u32). Default `CAN_ISOTP_DEFAULT_FLAGS`. */
  readonly flags: number;
  /** The time between consecutive frames in nanoseconds (u32). Default `CAN_ISOTP_DEFAULT_FRAME_TXTIME`. */
  readonly frameTxtime: number;
  /** The extended address to send with `CAN_ISOTP_EXTEND_ADDR` (u8). */
  readonly extAddress: number;
  /** The padding byte to send with `CAN_ISOTP_TX_PADDING` (u8). Default `CAN_ISOTP_DEFAULT_PAD_CONTENT` (0xcc). */
  readonly txpadContent: number;
  /** The padding byte to check with `CAN_ISOTP_CHK_PAD_DATA` (u8). Default 0xcc. */
  readonly rxpadContent: number;
  /** The extended address to receive with `CAN_ISOTP_RX_EXT_ADDR` (u8). */
  readonly rxExtAddress: number;
}

/**
 * `struct can_isotp_fc_options`, the value of CAN_ISOTP_RECV_FC: the flow
 * control this socket sends as a receiver.
 *
 * @example
 * ```ts
 * const fc: IsotpFcOptions = { bs: 8, stmin: 5, wftmax: 0 };
 * ```
 * @see https://docs.kernel.org/networking/iso15765-2.html
 */
export interface IsotpFcOptions {
  /** Block size: consecutive frames between flow control frames, 0 for no limit (u8). */
  readonly bs: number;
  /** Separation time: 0-127 ms, or 0xf1-0xf9 for 100-900 µs (u8). */
  readonly stmin: number;
  /** How many wait frames to send at most, 0 to send none (u8). */
  readonly wftmax: number;
}

/**
 * `struct can_isotp_ll_options`, the value of CAN_ISOTP_LL_OPTS: the link
 * layer.
 *
 * @example
 * ```ts
 * const fd: IsotpLlOptions = { mtu: CANFD_MTU, txDl: 64, txFlags: CANFD_BRS };
 * ```
 * @see https://docs.kernel.org/networking/iso15765-2.html
 */
export interface IsotpLlOptions {
  /** `CAN_MTU` (16) for Classical CAN, `CANFD_MTU` (72) for CAN FD (u8). */
  readonly mtu: number;
  /** The data length of the frames sent: 8 for Classical CAN; 8-64 for CAN FD (u8). */
  readonly txDl: number;
  /** The `flags` of the CAN FD frames sent (`CANFD_BRS`, ...) (u8). */
  readonly txFlags: number;
}

const OPTS = 'can_isotp_options';
const isotpOptions = new Struct<IsotpOptions>(OPTS, [
  field(OPTS, 'flags', 'flags', 4, CAN_ISOTP_DEFAULT_FLAGS),
  field(OPTS, 'frame_txtime', 'frameTxtime', 4, CAN_ISOTP_DEFAULT_FRAME_TXTIME),
  field(OPTS, 'ext_address', 'extAddress', 1, CAN_ISOTP_DEFAULT_EXT_ADDRESS),
  field(OPTS, 'txpad_content', 'txpadContent', 1, CAN_ISOTP_DEFAULT_PAD_CONTENT),
  field(OPTS, 'rxpad_content', 'rxpadContent', 1, CAN_ISOTP_DEFAULT_PAD_CONTENT),
  field(OPTS, 'rx_ext_address', 'rxExtAddress', 1, CAN_ISOTP_DEFAULT_EXT_ADDRESS),
]);
const FC = 'can_isotp_fc_options';
const isotpFcOptions = new Struct<IsotpFcOptions>(FC, [
  field(FC, 'bs', 'bs', 1, CAN_ISOTP_DEFAULT_RECV_BS),
  field(FC, 'stmin', 'stmin', 1, CAN_ISOTP_DEFAULT_RECV_STMIN),
  field(FC, 'wftmax', 'wftmax', 1, CAN_ISOTP_DEFAULT_RECV_WFTMAX),
]);
const LL = 'can_isotp_ll_options';
const isotpLlOptions = new Struct<IsotpLlOptions>(LL, [
  field(LL, 'mtu', 'mtu', 1, CAN_ISOTP_DEFAULT_LL_MTU),
  field(LL, 'tx_dl', 'txDl', 1, CAN_ISOTP_DEFAULT_LL_TX_DL),
  field(LL, 'tx_flags', 'txFlags', 1, CAN_ISOTP_DEFAULT_LL_TX_FLAGS),
]);

/**
 * The bytes of a `struct can_isotp_options` for
 * `setsockopt(SOL_CAN_ISOTP, CAN_ISOTP_OPTS, ...)`; a field left out takes
 * the kernel's default (`CAN_ISOTP_DEFAULT_*`).
 *
 * @throws TypeError for a field that is not an integer; RangeError for one
 *   out of its u32 or u8 range.
 * @see https://docs.kernel.org/networking/iso15765-2.html
 * @example
 * ```ts
 * tp.setsockopt(SOL_CAN_ISOTP, CAN_ISOTP_OPTS, packIsotpOptions({ flags: CAN_ISOTP_TX_PADDING, txpadContent: 0x55 }));
 * ```
 */
export function packIsotpOptions(options: Partial<IsotpOptions> = {}): Buffer {
  return isotpOptions.pack(options, 'packIsotpOptions()');
}

/**
 * Reads a `struct can_isotp_options`, as
 * `getsockopt(SOL_CAN_ISOTP, CAN_ISOTP_OPTS, 12)` returns it.
 *
 * @throws TypeError when `bytes` is not bytes-like; RangeError when it is
 *   not `sizeof(struct can_isotp_options)` long.
 * @see https://docs.kernel.org/networking/iso15765-2.html
 * @example
 * ```ts
 * const { flags, frameTxtime } = unpackIsotpOptions(tp.getsockopt(SOL_CAN_ISOTP, CAN_ISOTP_OPTS, 12));
 * ```
 */
export function unpackIsotpOptions(bytes: BytesLike): IsotpOptions {
  return isotpOptions.unpack(bytes, 'unpackIsotpOptions()');
}

/**
 * The bytes of a `struct can_isotp_fc_options` for
 * `setsockopt(SOL_CAN_ISOTP, CAN_ISOTP_RECV_FC, ...)`; a field left out
 * takes the kernel's default (0).
 *
 * @throws TypeError for a field that is not an integer; RangeError for one
 *   out of 0-255.
 * @see https://docs.kernel.org/networking/iso15765-2.html
 * @example
 * ```ts
 * tp.setsockopt(SOL_CAN_ISOTP, CAN_ISOTP_RECV_FC, packIsotpFcOptions({ bs: 8, stmin: 5 }));
 * ```
 */
export function packIsotpFcOptions(options: Partial<IsotpFcOptions> = {}): Buffer {
  return isotpFcOptions.pack(options, 'packIsotpFcOptions()');
}

/**
 * Reads a `struct can_isotp_fc_options`, as
 * `getsockopt(SOL_CAN_ISOTP, CAN_ISOTP_RECV_FC, 3)` returns it.
 *
 * @throws TypeError when `bytes` is not bytes-like; RangeError when it is
 *   not 3 bytes long.
 * @see https://docs.kernel.org/networking/iso15765-2.html
 * @example
 * ```ts
 * const { bs, stmin, wftmax } = unpackIsotpFcOptions(tp.getsockopt(SOL_CAN_ISOTP, CAN_ISOTP_RECV_FC, 3));
 * ```
 */
export function unpackIsotpFcOptions(bytes: BytesLike): IsotpFcOptions {
  return isotpFcOptions.unpack(bytes, 'unpackIsotpFcOptions()');
}

/**
 * The bytes of a `struct can_isotp_ll_options` for
 * `setsockopt(SOL_CAN_ISOTP, CAN_ISOTP_LL_OPTS, ...)`; a field left out
 * takes the kernel's default (Classical CAN: `CAN_MTU`, 8 bytes, no flags).
 * The kernel checks the combination (EINVAL for an MTU other than
 * `CAN_MTU`/`CANFD_MTU`, or a `txDl` that is not a CAN FD length).
 *
 * @throws TypeError for a field that is not an integer; RangeError for one
 *   out of 0-255.
 * @see https://docs.kernel.org/networking/iso15765-2.html
 * @example
 * ```ts
 * // ISO-TP over CAN FD, 64-byte frames with bit rate switch
 * tp.setsockopt(SOL_CAN_ISOTP, CAN_ISOTP_LL_OPTS, packIsotpLlOptions({ mtu: CANFD_MTU, txDl: 64, txFlags: CANFD_BRS }));
 * ```
 */
export function packIsotpLlOptions(options: Partial<IsotpLlOptions> = {}): Buffer {
  return isotpLlOptions.pack(options, 'packIsotpLlOptions()');
}

/**
 * Reads a `struct can_isotp_ll_options`, as
 * `getsockopt(SOL_CAN_ISOTP, CAN_ISOTP_LL_OPTS, 3)` returns it.
 *
 * @throws TypeError when `bytes` is not bytes-like; RangeError when it is
 *   not 3 bytes long.
 * @see https://docs.kernel.org/networking/iso15765-2.html
 * @example
 * ```ts
 * const { mtu, txDl } = unpackIsotpLlOptions(tp.getsockopt(SOL_CAN_ISOTP, CAN_ISOTP_LL_OPTS, 3));
 * ```
 */
export function unpackIsotpLlOptions(bytes: BytesLike): IsotpLlOptions {
  return isotpLlOptions.unpack(bytes, 'unpackIsotpLlOptions()');
}
