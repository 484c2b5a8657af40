/**
 * The AF_CAN family plugin: the address of the socket's protocol to and
 * from `struct sockaddr_can`, with CPython's semantics (`getsockaddrarg()`
 * and `makesockaddr()` in Modules/socketmodule.c).
 *
 * @packageDocumentation
 */
import { OSError, type AddressContext, type FamilyPlugin } from '@bsdsock/core';
import {
  checkInteger, checkRange, interfaceIndex, interfaceName, isWellFormed, layout, prefix, readHostI32, readHostU32,
  readHostU64, show, writeHostI32, writeHostU16, writeHostU32, writeHostU64, zeroPadded,
} from '@bsdsock/core/internal';
import type { z } from 'zod';
import { AF_CAN, CAN_BCM, CAN_ISOTP, CAN_J1939, CAN_RAW } from './constants.generated.js';
import { checkCanId } from './messages.js';
import { canAddressSchema, type CanAddressResult } from './schema.js';

const SIZE = layout('sockaddr_can');
const FAMILY = layout('sockaddr_can.can_family');
const IFINDEX = layout('sockaddr_can.can_ifindex');
const TP_RX_ID = layout('sockaddr_can.can_addr.tp.rx_id');
const TP_TX_ID = layout('sockaddr_can.can_addr.tp.tx_id');
const J1939_NAME = layout('sockaddr_can.can_addr.j1939.name');
const J1939_PGN = layout('sockaddr_can.can_addr.j1939.pgn');
const J1939_ADDR = layout('sockaddr_can.can_addr.j1939.addr');

/** IFNAMSIZ (<net/if.h>): an interface name and its NUL fit in 16 bytes on Linux. */
const IFNAMSIZ = 16;
const CAN = 'AF_CAN';
const U32_MAX = 0xffffffff;
const U64_MAX = 0xffff_ffff_ffff_ffffn;

/** The address shape of each protocol, for messages. */
const SHAPES = new Map<number, string>([
  [CAN_RAW, '[interface: string] for CAN_RAW'],
  [CAN_BCM, '[interface: string] for CAN_BCM'],
  [CAN_ISOTP, '[interface: string, rx_addr: number, tx_addr: number] for CAN_ISOTP'],
  [CAN_J1939, '[interface: string, name: bigint, pgn: number, addr: number] for CAN_J1939'],
]);
const ARITY = new Map<number, number>([[CAN_RAW, 1], [CAN_BCM, 1], [CAN_ISOTP, 3], [CAN_J1939, 4]]);

/** Checks the interface's type (before any range). */
function checkInterface(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new TypeError(`${where} interface must be a string, got ${show(value)}`);
  if (value.includes('\0')) throw new TypeError(`${where} interface must not contain a NUL character`);
  if (!isWellFormed(value)) throw new TypeError(`${where} interface must not contain a lone surrogate`);
  return value;
}

/**
 * The index of interface `name` as CPython's SIOCGIFINDEX ioctl finds it:
 * `''` is 0 (every interface); a name of 16 bytes or more raises
 * `OSError('AF_CAN interface name too long')`; an unknown name raises
 * `OSError` ENODEV.
 */
function canInterfaceIndex(name: string, ctx: AddressContext): number {
  if (name === '') return 0;
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes >= IFNAMSIZ) {
    throw new OSError(`${prefix(ctx)}${CAN} interface name too long (${bytes} bytes; at most ${IFNAMSIZ - 1})`);
  }
  return interfaceIndex(name);
}

/**
 * A family plugin of this package: the core contract plus the zod schemas
 * it documents.
 *
 * @example
 * ```ts
 * canFamily.schemaFor(CAN_ISOTP)?.safeParse(['vcan0', 0x7e8, 0x7e0]).success; // true
 * ```
 * @see https://docs.kernel.org/networking/can.html
 */
export interface CanFamilyPlugin extends FamilyPlugin<CanAddressResult> {
  /**
   * The zod schema of the addresses `encode` accepts on a socket of
   * protocol `proto` (see {@link canAddressSchema}).
   */
  schemaFor(proto: number): z.ZodType | undefined;
}

/**
 * AF_CAN (`PF_CAN`): the address of the socket's protocol to and from
 * `struct sockaddr_can`.
 *
 * `encode` reads the socket's protocol from the context, as CPython reads
 * `sock_proto`: CAN_RAW and CAN_BCM take `[interface]`, CAN_ISOTP
 * `[interface, rx_addr, tx_addr]`, CAN_J1939 `[interface, name, pgn, addr]`;
 * any other protocol raises `OSError('bind(): unsupported CAN protocol')`.
 * It checks every type, then every range, then turns the interface name
 * into its index (`''` is 0, every interface): a name of 16 bytes or more
 * raises `OSError` "AF_CAN interface name too long" and an unknown one
 * `OSError` ENODEV, as CPython's SIOCGIFINDEX ioctl does. The addrlen is
 * `sizeof(struct sockaddr_can)`.
 *
 * `decode` returns what Python's `makesockaddr` does for the protocol:
 * `[interface]`, `[interface, rx_addr, tx_addr]` or
 * `[interface, name, pgn, addr]` (`name` a bigint), the name looked up
 * with if_indextoname(3) (`''` for index 0 or an index that names no
 * interface). Bytes past what the kernel wrote read as zero (CAN_RAW's
 * recvfrom writes only the first 8).
 *
 * @example
 * ```ts
 * const ctx = { family: AF_CAN, type: SOCK_DGRAM, proto: CAN_ISOTP, caller: 'bind' };
 * const bytes = canFamily.encode(['vcan0', 0x7e8, 0x7e0], ctx); // 24 bytes of struct sockaddr_can
 * canFamily.decode(bytes, bytes.length, ctx); // ['vcan0', 0x7e8, 0x7e0]
 * ```
 * @see https://docs.kernel.org/networking/can.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const canFamily: CanFamilyPlugin = {
  family: AF_CAN,
  name: CAN,
  schemaFor: canAddressSchema,

  encode(address: unknown, ctx: AddressContext): Buffer {
    const proto = ctx.proto;
    const arity = ARITY.get(proto);
    if (arity === undefined) throw new OSError(`${prefix(ctx)}unsupported CAN protocol`);
    const where = `${prefix(ctx)}${CAN}`;
    if (!Array.isArray(address) || address.length !== arity) {
      throw new TypeError(`${where} address must be ${SHAPES.get(proto)!}, got ${show(address)}`);
    }
    const name = checkInterface(address[0], where);
    const buf = Buffer.alloc(SIZE);
    if (proto === CAN_ISOTP) {
      const rx = checkInteger(address[1], where, 'rx_addr');
      const tx = checkInteger(address[2], where, 'tx_addr');
      writeHostU32(buf, checkCanId(rx, where, 'rx_addr'), TP_RX_ID);
      writeHostU32(buf, checkCanId(tx, where, 'tx_addr'), TP_TX_ID);
    } else if (proto === CAN_J1939) {
      const j1939Name: unknown = address[1];
      if (typeof j1939Name !== 'bigint') throw new TypeError(`${where} name must be a bigint, got ${show(j1939Name)}`);
      const pgn = checkInteger(address[2], where, 'pgn');
      const addr = checkInteger(address[3], where, 'addr');
      if (j1939Name < 0n || j1939Name > U64_MAX) {
        throw new RangeError(`${where} name must be 0n-${U64_MAX}n, got ${show(j1939Name)}`);
      }
      writeHostU64(buf, j1939Name, J1939_NAME);
      writeHostU32(buf, checkRange(pgn, 0, U32_MAX, where, 'pgn'), J1939_PGN);
      buf[J1939_ADDR] = checkRange(addr, 0, 0xff, where, 'addr');
    }
    writeHostU16(buf, AF_CAN, FAMILY);
    writeHostI32(buf, canInterfaceIndex(name, ctx), IFINDEX);
    return buf;
  },

  decode(bytes: Buffer, length: number, ctx: AddressContext): CanAddressResult {
    const sa = zeroPadded(bytes, length, SIZE);
    const name = interfaceName(readHostI32(sa, IFINDEX));
    if (ctx.proto === CAN_ISOTP) return [name, readHostU32(sa, TP_RX_ID), readHostU32(sa, TP_TX_ID)];
    if (ctx.proto === CAN_J1939) return [name, readHostU64(sa, J1939_NAME), readHostU32(sa, J1939_PGN), sa[J1939_ADDR]!];
    return [name];
  },
};
