/**
 * The AF_BLUETOOTH addresses as zod schemas, one per protocol: the
 * documented contract of what `bind`, `connect` and `sendto` accept on a
 * Bluetooth socket. The codec checks the same rules by hand; the
 * conformance suite proves that both accept the same addresses and fail
 * with the same error class.
 *
 * Every difference from CPython 3.13 is listed with the schema concerned.
 * Two hold for all of them: a wrong shape or type is a TypeError (CPython:
 * `OSError('<caller>(): wrong format')`), and so is a malformed address
 * string (CPython: `OSError('bad bluetooth address')`).
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import type { BytesLike } from '@bsdsock/core';
import { bytesOf, isBytesLike } from '@bsdsock/core/internal';
import { isBdaddr, scanBdaddr } from './bdaddr.js';

/**
 * A Bluetooth device address as text, `'XX:XX:XX:XX:XX:XX'`, in exactly the
 * forms CPython's `setbdaddr()` accepts (six groups read with C's `%X`,
 * each below 256): `'00:1A:7D:DA:71:13'`, `BDADDR_ANY`, `'0:1a:7d:da:71:13'`.
 *
 * @example
 * ```ts
 * bdaddrSchema.safeParse('00:1A:7D:DA:71:13').success; // true
 * bdaddrSchema.safeParse('00:1A:7D:DA:71').success;    // false
 * ```
 */
export const bdaddrSchema = z.string().refine(isBdaddr, {
  message: "bdaddr must be a Bluetooth address 'XX:XX:XX:XX:XX:XX'",
});

/**
 * An L2CAP PSM (or 0 to have the kernel pick one on bind): a u16, 0-65535.
 * The kernel wants it odd with the low bit of its upper byte clear, and
 * CAP_NET_BIND_SERVICE below 0x1001.
 *
 * @example
 * ```ts
 * psmSchema.parse(0x1001); // 4097
 * ```
 */
export const psmSchema = z.number().int().min(0).max(0xffff);

/**
 * An RFCOMM channel, stored in a u8: 0-255 (the kernel uses 1-30; 0 picks one on listen).
 *
 * @example
 * ```ts
 * channelSchema.safeParse(256).success; // false: a RangeError in encode
 * ```
 */
export const channelSchema = z.number().int().min(0).max(0xff);

/**
 * An HCI device number (`hci0` is 0), a u16: 0-65535, `HCI_DEV_NONE` included.
 *
 * @example
 * ```ts
 * deviceIdSchema.parse(HCI_DEV_NONE); // 65535
 * ```
 */
export const deviceIdSchema = z.number().int().min(0).max(0xffff);

/**
 * A BTPROTO_L2CAP address: `[bdaddr, psm]`, CPython 3.13's 2-tuple. The
 * kernel gets a `struct sockaddr_l2` with `l2_cid` 0 and `l2_bdaddr_type`
 * `BDADDR_BREDR` (CPython 3.14 adds `cid` and `bdaddr_type`; 3.13 does not).
 *
 * Difference from CPython 3.13, which stores any C `int` psm truncated to
 * 16 bits: a psm outside 0-65535 is a RangeError.
 *
 * @example
 * ```ts
 * l2cap.bind([BDADDR_ANY, 0x1001]);
 * await l2cap.connect(['00:1A:7D:DA:71:13', 1]);   // SDP
 * ```
 * @see l2cap(7): https://github.com/bluez/bluez/blob/master/doc/l2cap.rst
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const l2capAddressSchema = z.tuple([bdaddrSchema, psmSchema]).readonly();

/**
 * A BTPROTO_RFCOMM address: `[bdaddr, channel]`.
 *
 * Difference from CPython 3.13, which stores any C `int` channel truncated
 * to 8 bits: a channel outside 0-255 is a RangeError.
 *
 * @example
 * ```ts
 * rfcomm.bind([BDADDR_ANY, 0]);
 * await rfcomm.connect(['00:1A:7D:DA:71:13', 3]);
 * ```
 * @see rfcomm(7): https://github.com/bluez/bluez/blob/master/doc/rfcomm.rst
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const rfcommAddressSchema = z.tuple([bdaddrSchema, channelSchema]).readonly();

/**
 * A BTPROTO_HCI address: `[device_id]`, CPython 3.13's 1-tuple, or the bare
 * `device_id` that `getsockname()` returns, so that an address read back
 * can be given again (CPython 3.14 accepts it too). It is parsed to the
 * device number.
 *
 * The channel is always `HCI_CHANNEL_RAW` (0), as in CPython 3.13: it
 * parses `device_id` as a C `int` straight into `hci_dev`, whose upper half
 * lands in `hci_channel`, which is 0 for every valid device number. A
 * `device_id` outside 0-65535 is a RangeError (CPython writes it anyway).
 *
 * @example
 * ```ts
 * hci.bind([0]);           // hci0, raw channel
 * hci.getsockname();       // 0
 * ```
 * @see hci(7): https://github.com/bluez/bluez/blob/master/doc/hci.rst
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const hciAddressSchema = z.preprocess(
  (value) => (Array.isArray(value) && value.length === 1 && 0 in value ? value[0] : value),
  deviceIdSchema,
);

/** Whether a bytes-like value holds the text of a Bluetooth address (ASCII, no NUL). */
function isBdaddrBytes(value: BytesLike): boolean {
  const bytes = bytesOf(value);
  return !bytes.includes(0) && scanBdaddr(bytes.toString('latin1')) !== null;
}

/**
 * A BTPROTO_SCO address: the bare `bdaddr`, as a string or as bytes holding
 * its ASCII text (`Buffer.from('00:1A:7D:DA:71:13')`), not a tuple.
 *
 * Difference from CPython 3.13, which takes bytes only and reads them up to
 * the first NUL: a string is accepted too (as API.md and CPython 3.14 say),
 * and bytes holding a NUL are a TypeError (3.14: ValueError).
 *
 * @example
 * ```ts
 * sco.bind(BDADDR_ANY);
 * sco.bind(Buffer.from('00:1A:7D:DA:71:13'));
 * ```
 * @see sco(7): https://github.com/bluez/bluez/blob/master/doc/sco.rst
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const scoAddressSchema = z.union([
  bdaddrSchema,
  z.custom<BytesLike>((v) => isBytesLike(v) && isBdaddrBytes(v), {
    message: 'bdaddr must be the ASCII text of a Bluetooth address',
  }),
]);

/**
 * A BTPROTO_L2CAP address as given: `[bdaddr, psm]`.
 *
 * @example
 * ```ts
 * const address: L2capAddress = [BDADDR_ANY, 0x1001];
 * ```
 */
export type L2capAddress = z.output<typeof l2capAddressSchema>;
/**
 * A BTPROTO_RFCOMM address as given: `[bdaddr, channel]`.
 *
 * @example
 * ```ts
 * const address: RfcommAddress = ['00:1A:7D:DA:71:13', 3];
 * ```
 */
export type RfcommAddress = z.output<typeof rfcommAddressSchema>;
/**
 * A BTPROTO_HCI address as given: `[device_id]` (or the bare `device_id`).
 *
 * @example
 * ```ts
 * const address: HciAddress = [0];
 * ```
 */
export type HciAddress = readonly [deviceId: number] | number;
/**
 * A BTPROTO_SCO address as given: the `bdaddr` text, or bytes of that text.
 *
 * @example
 * ```ts
 * const address: ScoAddress = BDADDR_ANY;
 * ```
 */
export type ScoAddress = z.output<typeof scoAddressSchema>;
/**
 * Any AF_BLUETOOTH address as given; which form applies depends on the socket's protocol.
 *
 * @example
 * ```ts
 * const addresses: BluetoothAddress[] = [[BDADDR_ANY, 0x1001], [0], BDADDR_ANY];
 * ```
 */
export type BluetoothAddress = L2capAddress | RfcommAddress | HciAddress | ScoAddress;

/**
 * A BTPROTO_L2CAP address as returned: `[bdaddr, psm]`, the address in upper case.
 *
 * @example
 * ```ts
 * const [bdaddr, psm] = l2cap.getsockname() as L2capAddressResult;
 * ```
 */
export type L2capAddressResult = readonly [bdaddr: string, psm: number];
/**
 * A BTPROTO_RFCOMM address as returned: `[bdaddr, channel]`, the address in upper case.
 *
 * @example
 * ```ts
 * const [conn, [peer, channel]] = (await server.accept()) as [Socket, RfcommAddressResult];
 * ```
 */
export type RfcommAddressResult = readonly [bdaddr: string, channel: number];
/**
 * A BTPROTO_HCI address as returned: the bare device number, as Python returns it.
 *
 * @example
 * ```ts
 * const dev = hci.getsockname() as HciAddressResult; // 0 for hci0
 * ```
 */
export type HciAddressResult = number;
/**
 * A BTPROTO_SCO address as returned: the `bdaddr` text in upper case.
 *
 * @example
 * ```ts
 * const bdaddr = sco.getsockname() as ScoAddressResult;
 * ```
 */
export type ScoAddressResult = string;
/**
 * The address of a Bluetooth socket whose protocol has no address format
 * (BNEP, CMTP, HIDP, ...): the family and the raw sockaddr bytes, as core
 * returns an unregistered family's.
 *
 * @example
 * ```ts
 * const [family, raw] = bluetoothFamily.decode(bytes, length, bnepCtx) as RawBluetoothAddressResult;
 * ```
 */
export type RawBluetoothAddressResult = readonly [family: number, sockaddr: Buffer];
/**
 * Any AF_BLUETOOTH address as bsdsock returns it (`getsockname`, `accept`,
 * `recvfrom`); the socket's protocol says which form.
 *
 * @example
 * ```ts
 * const sock: Socket<typeof AF_BLUETOOTH> = new Socket(AF_BLUETOOTH, SOCK_STREAM, BTPROTO_RFCOMM);
 * const address: BluetoothAddressResult = sock.getsockname();
 * ```
 */
export type BluetoothAddressResult =
  | L2capAddressResult
  | RfcommAddressResult
  | HciAddressResult
  | ScoAddressResult
  | RawBluetoothAddressResult;
