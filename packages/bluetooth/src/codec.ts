/**
 * The AF_BLUETOOTH family plugin: the addresses of L2CAP, RFCOMM, HCI and
 * SCO sockets to and from `struct sockaddr_l2`, `sockaddr_rc`,
 * `sockaddr_hci` and `sockaddr_sco`, with CPython 3.13's semantics
 * (`getsockaddrarg()` and `makesockaddr()` in Modules/socketmodule.c). The
 * socket's protocol picks the format, as in CPython.
 *
 * @packageDocumentation
 */
import { OSError, type AddressContext, type FamilyPlugin } from '@bsdsock/core';
import {
  bytesOf, checkInteger, checkRange, isBytesLike, layout, prefix, readHostU16, show, writeHostU16, zeroPadded,
} from '@bsdsock/core/internal';
import { formatBdaddrAt, scanBdaddr } from './bdaddr.js';
import { AF_BLUETOOTH, BTPROTO_HCI, BTPROTO_L2CAP, BTPROTO_RFCOMM, BTPROTO_SCO } from './constants.generated.js';
import {
  hciAddressSchema, l2capAddressSchema, rfcommAddressSchema, scoAddressSchema, type BluetoothAddressResult,
} from './schema.js';

const L2_SIZE = layout('sockaddr_l2');
const L2_FAMILY = layout('sockaddr_l2.l2_family');
const L2_PSM = layout('sockaddr_l2.l2_psm');
const L2_BDADDR = layout('sockaddr_l2.l2_bdaddr');
const RC_SIZE = layout('sockaddr_rc');
const RC_FAMILY = layout('sockaddr_rc.rc_family');
const RC_BDADDR = layout('sockaddr_rc.rc_bdaddr');
const RC_CHANNEL = layout('sockaddr_rc.rc_channel');
const HCI_SIZE = layout('sockaddr_hci');
const HCI_FAMILY = layout('sockaddr_hci.hci_family');
const HCI_DEV = layout('sockaddr_hci.hci_dev');
const SCO_SIZE = layout('sockaddr_sco');
const SCO_FAMILY = layout('sockaddr_sco.sco_family');
const SCO_BDADDR = layout('sockaddr_sco.sco_bdaddr');

const FAMILY = 'AF_BLUETOOTH';

/** How each protocol's address is written in a "must be" message. */
const SHAPES: Readonly<Record<number, string>> = {
  [BTPROTO_L2CAP]: 'BTPROTO_L2CAP address must be [bdaddr: string, psm: number]',
  [BTPROTO_RFCOMM]: 'BTPROTO_RFCOMM address must be [bdaddr: string, channel: number]',
  [BTPROTO_HCI]: 'BTPROTO_HCI address must be [device_id: number]',
  [BTPROTO_SCO]: 'BTPROTO_SCO address must be bdaddr: string | bytes',
};

/** `bind(): AF_BLUETOOTH`, how every address error of this codec starts. */
function where(ctx: AddressContext): string {
  return `${prefix(ctx)}${FAMILY}`;
}

function typeError(ctx: AddressContext, what: string): TypeError {
  return new TypeError(`${where(ctx)} ${what}`);
}

function badShape(ctx: AddressContext, address: unknown): TypeError {
  return typeError(ctx, `${SHAPES[ctx.proto]}, got ${show(address)}`);
}

/** The kernel-order bytes of a bdaddr string, or the TypeError CPython's OSError becomes here. */
function bdaddrBytes(value: unknown, ctx: AddressContext): Buffer {
  if (typeof value !== 'string') throw typeError(ctx, `bdaddr must be a string, got ${show(value)}`);
  const bytes = scanBdaddr(value);
  if (bytes === null) {
    throw typeError(ctx, `bdaddr must be a Bluetooth address 'XX:XX:XX:XX:XX:XX', got ${show(value)} (bad bluetooth address)`);
  }
  return bytes;
}

/** A zeroed sockaddr of `size` bytes with its family set. */
function sockaddr(size: number, familyOffset: number): Buffer {
  const buf = Buffer.alloc(size);
  writeHostU16(buf, AF_BLUETOOTH, familyOffset);
  return buf;
}

/** `[bdaddr, number]` (L2CAP, RFCOMM): the bdaddr's bytes and the number, checked. */
function bdaddrAndNumber(address: unknown, ctx: AddressContext, field: string, max: number): [Buffer, number] {
  if (!Array.isArray(address) || address.length !== 2) throw badShape(ctx, address);
  const bytes = bdaddrBytes(address[0], ctx);
  const n = checkInteger(address[1], where(ctx), field);
  return [bytes, checkRange(n, 0, max, where(ctx), field)];
}

function encodeL2cap(address: unknown, ctx: AddressContext): Buffer {
  const [bdaddr, psm] = bdaddrAndNumber(address, ctx, 'psm', 0xffff);
  const buf = sockaddr(L2_SIZE, L2_FAMILY);
  buf.writeUInt16LE(psm, L2_PSM); // __le16 l2_psm; l2_cid 0, l2_bdaddr_type BDADDR_BREDR
  bdaddr.copy(buf, L2_BDADDR);
  return buf;
}

function encodeRfcomm(address: unknown, ctx: AddressContext): Buffer {
  const [bdaddr, channel] = bdaddrAndNumber(address, ctx, 'channel', 0xff);
  const buf = sockaddr(RC_SIZE, RC_FAMILY);
  bdaddr.copy(buf, RC_BDADDR);
  buf[RC_CHANNEL] = channel;
  return buf;
}

function encodeHci(address: unknown, ctx: AddressContext): Buffer {
  let dev: unknown = address;
  if (Array.isArray(address)) {
    if (address.length !== 1) throw badShape(ctx, address);
    dev = address[0];
  } else if (typeof address !== 'number') {
    throw badShape(ctx, address);
  }
  const id = checkRange(checkInteger(dev, where(ctx), 'device_id'), 0, 0xffff, where(ctx), 'device_id');
  const buf = sockaddr(HCI_SIZE, HCI_FAMILY);
  writeHostU16(buf, id, HCI_DEV); // hci_channel stays HCI_CHANNEL_RAW, as in CPython 3.13
  return buf;
}

function encodeSco(address: unknown, ctx: AddressContext): Buffer {
  let bdaddr: Buffer;
  if (typeof address === 'string') {
    bdaddr = bdaddrBytes(address, ctx);
  } else if (isBytesLike(address)) {
    const text = bytesOf(address);
    if (text.includes(0)) throw typeError(ctx, `bdaddr must not contain a NUL byte, got ${show(address)}`);
    bdaddr = bdaddrBytes(text.toString('latin1'), ctx);
  } else {
    throw badShape(ctx, address);
  }
  const buf = sockaddr(SCO_SIZE, SCO_FAMILY);
  bdaddr.copy(buf, SCO_BDADDR);
  return buf;
}

/**
 * A family plugin of this package: the core contract plus the zod schema of each protocol's address.
 *
 * @example
 * ```ts
 * bluetoothFamily.schemas[BTPROTO_RFCOMM].safeParse([BDADDR_ANY, 3]).success; // true
 * ```
 */
export interface BluetoothFamilyPlugin extends FamilyPlugin<BluetoothAddressResult> {
  /** The zod schema of the addresses `encode` accepts, by `BTPROTO_*`. */
  readonly schemas: {
    readonly [BTPROTO_L2CAP]: typeof l2capAddressSchema;
    readonly [BTPROTO_HCI]: typeof hciAddressSchema;
    readonly [BTPROTO_SCO]: typeof scoAddressSchema;
    readonly [BTPROTO_RFCOMM]: typeof rfcommAddressSchema;
  };
}

/**
 * AF_BLUETOOTH: the address of each Bluetooth protocol to and from its
 * kernel `sockaddr`, chosen by the socket's protocol as CPython does.
 *
 * | protocol | address given | returned | kernel struct |
 * |---|---|---|---|
 * | `BTPROTO_L2CAP` | `[bdaddr, psm]` | `[bdaddr, psm]` | `sockaddr_l2` (14 bytes; `l2_psm` little-endian, `l2_cid` 0, `l2_bdaddr_type` BR/EDR) |
 * | `BTPROTO_RFCOMM` | `[bdaddr, channel]` | `[bdaddr, channel]` | `sockaddr_rc` (10 bytes) |
 * | `BTPROTO_HCI` | `[device_id]` | `device_id` | `sockaddr_hci` (6 bytes; channel `HCI_CHANNEL_RAW`) |
 * | `BTPROTO_SCO` | `bdaddr` (string or bytes) | `bdaddr` | `sockaddr_sco` (8 bytes) |
 *
 * A `bdaddr` is text such as `'00:1A:7D:DA:71:13'`, stored reversed
 * (see `bdaddrToBytes()`); it comes back in upper case, as CPython's
 * `makebdaddr()` writes it. `encode` checks the address (see the schemas in
 * `schema.ts`), every type before any range; on a socket of another
 * protocol (BNEP, HIDP, ...) it raises `OSError` `unknown Bluetooth
 * protocol` as CPython does, and `decode` returns `[family, raw bytes]`.
 *
 * @see l2cap(7), rfcomm(7), sco(7), hci(7): https://github.com/bluez/bluez/tree/master/doc
 * @see https://docs.python.org/3/library/socket.html#socket-families
 * @see https://github.com/python/cpython/blob/3.13/Modules/socketmodule.c (getsockaddrarg, makesockaddr)
 * @example
 * ```ts
 * const ctx = { family: AF_BLUETOOTH, type: SOCK_STREAM, proto: BTPROTO_RFCOMM, caller: 'bind' };
 * bluetoothFamily.encode(['00:11:22:33:44:55', 3], ctx); // <Buffer 1f 00 55 44 33 22 11 00 03 00>
 * bluetoothFamily.decode(bytes, 10, ctx);                  // ['00:11:22:33:44:55', 3]
 * ```
 */
export const bluetoothFamily: BluetoothFamilyPlugin = {
  family: AF_BLUETOOTH,
  name: FAMILY,
  schemas: {
    [BTPROTO_L2CAP]: l2capAddressSchema,
    [BTPROTO_HCI]: hciAddressSchema,
    [BTPROTO_SCO]: scoAddressSchema,
    [BTPROTO_RFCOMM]: rfcommAddressSchema,
  },

  encode(address: unknown, ctx: AddressContext): Buffer {
    switch (ctx.proto) {
      case BTPROTO_L2CAP:
        return encodeL2cap(address, ctx);
      case BTPROTO_RFCOMM:
        return encodeRfcomm(address, ctx);
      case BTPROTO_HCI:
        return encodeHci(address, ctx);
      case BTPROTO_SCO:
        return encodeSco(address, ctx);
      default:
        throw new OSError(`${prefix(ctx)}${FAMILY} protocol ${ctx.proto} has no address format: unknown Bluetooth protocol`);
    }
  },

  decode(bytes: Buffer, length: number, ctx: AddressContext): BluetoothAddressResult {
    switch (ctx.proto) {
      case BTPROTO_L2CAP: {
        const sa = zeroPadded(bytes, length, L2_SIZE);
        return [formatBdaddrAt(sa, L2_BDADDR), sa.readUInt16LE(L2_PSM)];
      }
      case BTPROTO_RFCOMM: {
        const sa = zeroPadded(bytes, length, RC_SIZE);
        return [formatBdaddrAt(sa, RC_BDADDR), sa[RC_CHANNEL]!];
      }
      case BTPROTO_HCI:
        return readHostU16(zeroPadded(bytes, length, HCI_SIZE), HCI_DEV);
      case BTPROTO_SCO:
        return formatBdaddrAt(zeroPadded(bytes, length, SCO_SIZE), SCO_BDADDR);
      default:
        return [ctx.family, Buffer.from(bytes.subarray(0, length))];
    }
  },
};
