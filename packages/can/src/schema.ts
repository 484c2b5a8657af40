/**
 * The AF_CAN addresses as zod schemas: the documented contract of what
 * `bind`, `connect` and `sendto` accept on a CAN socket. The address form
 * depends on the socket's protocol, as in CPython: `[interface]` for
 * CAN_RAW and CAN_BCM, `[interface, rx_addr, tx_addr]` for CAN_ISOTP,
 * `[interface, name, pgn, addr]` for CAN_J1939. The codec checks the same
 * rules by hand; the conformance suite proves that both accept the same
 * addresses and fail with the same error class.
 *
 * @packageDocumentation
 */
import { z } from 'zod';
import { isWellFormed } from '@bsdsock/core/internal';
import { CAN_BCM, CAN_ISOTP, CAN_J1939, CAN_RAW } from './constants.generated.js';

/**
 * A CAN interface name as `ip link` shows it (`'vcan0'`, `'can0'`), or `''`
 * for every interface (ifindex 0). A string without NUL characters.
 * Whether the interface exists, and whether the name fits the kernel's 15
 * bytes (IFNAMSIZ), is found out when the address is used: `OSError`
 * ENODEV, or `OSError('AF_CAN interface name too long')` as CPython raises.
 *
 * @example
 * ```ts
 * canInterfaceSchema.parse('vcan0'); // 'vcan0'
 * ```
 * @see https://man7.org/linux/man-pages/man3/if_nametoindex.3.html
 */
export const canInterfaceSchema = z
  .string()
  .refine((name) => !name.includes('\0'), { message: 'interface must not contain a NUL character' })
  .refine(isWellFormed, { message: 'interface must not contain a lone surrogate' });

/**
 * A `canid_t`: an unsigned 32-bit CAN identifier, flags (`CAN_EFF_FLAG`,
 * ...) included. A negative int32 stands for the same 32 bits, as
 * JavaScript's `0x123 | CAN_EFF_FLAG` is negative.
 */
const canIdSchema = z.number().int().min(-0x8000_0000).max(0xffffffff);

/**
 * A CAN_RAW or CAN_BCM address: `[interface]`, Python's 1-tuple. `''` binds
 * a raw socket to every CAN interface (ifindex 0).
 *
 * Differences from CPython, whose PyUnicode_FSConverter also takes `bytes`
 * and path-like names: here the name is a string, and a NUL in it is a
 * TypeError (CPython: ValueError `embedded null byte`).
 *
 * @example
 * ```ts
 * const raw = new Socket(AF_CAN, SOCK_RAW, CAN_RAW);
 * raw.bind(['vcan0']);
 * const bcm = new Socket(AF_CAN, SOCK_DGRAM, CAN_BCM);
 * await bcm.connect(['vcan0']);
 * ```
 * @see https://docs.kernel.org/networking/can.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const canRawAddressSchema = z.tuple([canInterfaceSchema]).readonly();

/**
 * A CAN_ISOTP (ISO 15765-2) address: `[interface, rx_addr, tx_addr]`, the
 * CAN ids this socket receives on and sends with (`can_addr.tp.rx_id` and
 * `tx_id`), each a 32-bit `canid_t` (OR `CAN_EFF_FLAG` in for a 29-bit id;
 * the negative int32 that JavaScript's `|` then gives is taken as the same
 * 32 bits, and returned unsigned).
 *
 * Differences from CPython, which takes the ids as C `unsigned long`
 * without an overflow check and truncates them to 32 bits: here an id
 * outside -2147483648-4294967295 is a RangeError.
 *
 * @example
 * ```ts
 * const tp = new Socket(AF_CAN, SOCK_DGRAM, CAN_ISOTP);
 * tp.bind(['vcan0', 0x7e8, 0x7e0]); // receive on 0x7e8, send on 0x7e0
 * ```
 * @see https://docs.kernel.org/networking/iso15765-2.html
 */
export const canIsotpAddressSchema = z.tuple([canInterfaceSchema, canIdSchema, canIdSchema]).readonly();

/**
 * A CAN_J1939 (SAE J1939) address: `[interface, name, pgn, addr]`: the
 * 64-bit ECU NAME as a `bigint` (`J1939_NO_NAME`, `0n`, for none), the
 * parameter group number (`J1939_NO_PGN` for none; 18 bits are used) and
 * the 8-bit source or destination address (`J1939_NO_ADDR`, 255, for none).
 *
 * Differences from CPython, which takes them as C `unsigned long long`,
 * `unsigned int` and `unsigned char` without overflow checks (truncating):
 * here `name` must be a bigint in 0-2^64-1, `pgn` a number in 0-4294967295
 * and `addr` in 0-255, else a TypeError or RangeError.
 *
 * @example
 * ```ts
 * const ecu = new Socket(AF_CAN, SOCK_DGRAM, CAN_J1939);
 * ecu.bind(['vcan0', J1939_NO_NAME, J1939_NO_PGN, 0x20]);
 * await ecu.sendto(Buffer.from('data'), ['vcan0', J1939_NO_NAME, 0x12300, 0x30]);
 * ```
 * @see https://docs.kernel.org/networking/j1939.html
 */
export const canJ1939AddressSchema = z
  .tuple([
    canInterfaceSchema,
    z.bigint().min(0n).max(0xffff_ffff_ffff_ffffn),
    z.number().int().min(0).max(0xffffffff),
    z.number().int().min(0).max(0xff),
  ])
  .readonly();

/**
 * A CAN_RAW or CAN_BCM address as given: `[interface]`.
 *
 * @example
 * ```ts
 * const address: CanRawAddress = ['vcan0'];
 * ```
 * @see https://docs.kernel.org/networking/can.html
 */
export type CanRawAddress = z.output<typeof canRawAddressSchema>;
/**
 * A CAN_ISOTP address as given: `[interface, rx_addr, tx_addr]`.
 *
 * @example
 * ```ts
 * const address: CanIsotpAddress = ['vcan0', 0x7e8, 0x7e0];
 * ```
 * @see https://docs.kernel.org/networking/iso15765-2.html
 */
export type CanIsotpAddress = z.output<typeof canIsotpAddressSchema>;
/**
 * A CAN_J1939 address as given: `[interface, name, pgn, addr]`.
 *
 * @example
 * ```ts
 * const address: CanJ1939Address = ['vcan0', J1939_NO_NAME, J1939_NO_PGN, 0x20];
 * ```
 * @see https://docs.kernel.org/networking/j1939.html
 */
export type CanJ1939Address = z.output<typeof canJ1939AddressSchema>;
/**
 * Any AF_CAN address as given; which form a socket takes depends on its
 * protocol (see {@link canAddressSchema}).
 *
 * @example
 * ```ts
 * const addresses: CanAddress[] = [['vcan0'], ['vcan0', 0x7e8, 0x7e0], ['vcan0', 0n, J1939_NO_PGN, 0x20]];
 * ```
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export type CanAddress = CanRawAddress | CanIsotpAddress | CanJ1939Address;

/**
 * A CAN_RAW or CAN_BCM address as bsdsock returns it: `[interface]`, `''`
 * for ifindex 0 (a socket bound to every interface, or unbound).
 *
 * @example
 * ```ts
 * const [frame, [ifname]] = await raw.recvfrom(CAN_MTU) as [Buffer, CanRawAddressResult];
 * ```
 * @see https://docs.kernel.org/networking/can.html
 */
export type CanRawAddressResult = readonly [ifname: string];
/**
 * A CAN_ISOTP address as bsdsock returns it: `[interface, rx_addr, tx_addr]`,
 * the ids unsigned.
 *
 * @example
 * ```ts
 * const [ifname, rx, tx] = tp.getsockname() as CanIsotpAddressResult;
 * ```
 * @see https://docs.kernel.org/networking/iso15765-2.html
 */
export type CanIsotpAddressResult = readonly [ifname: string, rx_addr: number, tx_addr: number];
/**
 * A CAN_J1939 address as bsdsock returns it: `[interface, name, pgn, addr]`,
 * `name` a bigint. On `recvfrom` it is the sender's.
 *
 * @example
 * ```ts
 * const [data, [, name, pgn, sa]] = await ecu.recvfrom(1785) as [Buffer, CanJ1939AddressResult];
 * ```
 * @see https://docs.kernel.org/networking/j1939.html
 */
export type CanJ1939AddressResult = readonly [ifname: string, name: bigint, pgn: number, addr: number];
/**
 * An AF_CAN address as bsdsock returns it (`getsockname`, `recvfrom`):
 * the form of the socket's protocol, as CPython's `makesockaddr` builds it.
 *
 * @example
 * ```ts
 * const address: CanAddressResult = sock.getsockname(); // on a Socket<typeof AF_CAN>
 * if (address.length === 3) console.log('ISO-TP ids', address[1], address[2]);
 * ```
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export type CanAddressResult = CanRawAddressResult | CanIsotpAddressResult | CanJ1939AddressResult;

/** The schemas by protocol. */
const SCHEMAS = new Map<number, z.ZodType>([
  [CAN_RAW, canRawAddressSchema],
  [CAN_BCM, canRawAddressSchema],
  [CAN_ISOTP, canIsotpAddressSchema],
  [CAN_J1939, canJ1939AddressSchema],
]);

/**
 * The schema of the addresses a CAN socket of protocol `proto` takes, or
 * `undefined` for a protocol bsdsock (like CPython) has no address form for.
 *
 * @see https://docs.kernel.org/networking/can.html
 * @example
 * ```ts
 * canAddressSchema(CAN_ISOTP)?.parse(['vcan0', 0x7e8, 0x7e0]);
 * ```
 */
export function canAddressSchema(proto: typeof CAN_RAW | typeof CAN_BCM): typeof canRawAddressSchema;
export function canAddressSchema(proto: typeof CAN_ISOTP): typeof canIsotpAddressSchema;
export function canAddressSchema(proto: typeof CAN_J1939): typeof canJ1939AddressSchema;
export function canAddressSchema(proto: number): z.ZodType | undefined;
export function canAddressSchema(proto: number): z.ZodType | undefined {
  return SCHEMAS.get(proto);
}
