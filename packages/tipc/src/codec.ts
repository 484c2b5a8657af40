/**
 * The AF_TIPC family plugin: `[addr_type, v1, v2, v3, scope?]` to and from
 * `struct sockaddr_tipc`, with CPython's semantics (`getsockaddrarg()` and
 * `makesockaddr()` in Modules/socketmodule.c).
 *
 * @packageDocumentation
 */
import type { AddressContext, FamilyPlugin } from '@bsdsock/core';
import {
  checkInteger, checkRange, layout, prefix, readHostU32, show, writeHostU16, writeHostU32, zeroPadded,
} from '@bsdsock/core/internal';
import {
  AF_TIPC, TIPC_ADDR_ID, TIPC_ADDR_NAME, TIPC_ADDR_NAMESEQ, TIPC_CLUSTER_SCOPE,
} from './constants.generated.js';
import { tipcAddressSchema, type TipcAddrType, type TipcAddressResult } from './schema.js';

const SIZE = layout('sockaddr_tipc');
const FAMILY = layout('sockaddr_tipc.family');
const ADDRTYPE = layout('sockaddr_tipc.addrtype');
const SCOPE = layout('sockaddr_tipc.scope');
const ID_REF = layout('sockaddr_tipc.addr.id.ref');
const ID_NODE = layout('sockaddr_tipc.addr.id.node');
const SEQ_TYPE = layout('sockaddr_tipc.addr.nameseq.type');
const SEQ_LOWER = layout('sockaddr_tipc.addr.nameseq.lower');
const SEQ_UPPER = layout('sockaddr_tipc.addr.nameseq.upper');
const NAME_TYPE = layout('sockaddr_tipc.addr.name.name.type');
const NAME_INSTANCE = layout('sockaddr_tipc.addr.name.name.instance');

const TIPC = 'AF_TIPC';
const SHAPE = '[addr_type: number, v1: number, v2: number, v3: number, scope?: number]';
const MAX_U32 = 0xffffffff;
const TYPES = `TIPC_ADDR_NAMESEQ (${TIPC_ADDR_NAMESEQ}), TIPC_ADDR_NAME (${TIPC_ADDR_NAME}) or TIPC_ADDR_ID (${TIPC_ADDR_ID})`;

/**
 * Per addr_type, the names of v1-v3 in error messages and the offsets
 * getsockaddrarg() stores them at (`null`: parsed, then dropped, as CPython
 * drops v3 of a name or an id).
 */
const FIELDS: Readonly<Record<TipcAddrType, readonly (readonly [name: string, offset: number | null])[]>> = {
  [TIPC_ADDR_NAMESEQ]: [['type', SEQ_TYPE], ['lower', SEQ_LOWER], ['upper', SEQ_UPPER]],
  [TIPC_ADDR_NAME]: [['type', NAME_TYPE], ['instance', NAME_INSTANCE], ['v3', null]],
  [TIPC_ADDR_ID]: [['node', ID_NODE], ['ref', ID_REF], ['v3', null]],
};


function isAddrType(value: number): value is TipcAddrType {
  return value === TIPC_ADDR_NAMESEQ || value === TIPC_ADDR_NAME || value === TIPC_ADDR_ID;
}

/**
 * The AF_TIPC family plugin's type: core's `FamilyPlugin` contract plus the
 * zod schema it documents.
 *
 * @example
 * ```ts
 * const parsed = tipcFamily.schema.parse([TIPC_ADDR_NAME, 18888, 5, 0]);
 * ```
 * @see https://man7.org/linux/man-pages/man7/tipc.7.html
 */
export interface TipcFamilyPlugin extends FamilyPlugin<TipcAddressResult> {
  /** The zod schema of the addresses `encode` accepts. */
  readonly schema: typeof tipcAddressSchema;
}

/**
 * AF_TIPC: `[addr_type, v1, v2, v3, scope?]` to and from
 * `struct sockaddr_tipc` (16 bytes on Linux).
 *
 * `encode` checks the tuple (see {@link tipcAddressSchema}), then writes
 * `family`, `addrtype`, `scope` (TIPC_CLUSTER_SCOPE when not given) and,
 * by addr_type, `addr.nameseq` {type, lower, upper}, `addr.name.name`
 * {type, instance} with domain 0, or `addr.id` {node, ref}, each a `__u32`
 * in host byte order, as CPython's getsockaddrarg() does. The addrlen is
 * `sizeof(struct sockaddr_tipc)`.
 *
 * `decode` returns the five items of CPython's makesockaddr():
 * `[TIPC_ADDR_NAMESEQ, type, lower, upper, scope]`,
 * `[TIPC_ADDR_NAME, type, instance, instance, scope]` or
 * `[TIPC_ADDR_ID, node, ref, 0, scope]`; any other addrtype raises a
 * RangeError (CPython: ValueError `Invalid address type`). Bytes past what
 * the kernel wrote read as zero. `scope` is read as the struct's
 * `signed char` (CPython shows a negative one as its unsigned 32-bit
 * wrap-around; the kernel writes 0 into every address it returns).
 *
 * @example
 * ```ts
 * tipcFamily.encode([TIPC_ADDR_NAME, 18888, 5, 0], { family: AF_TIPC, type: SOCK_RDM, proto: 0, caller: 'sendto' });
 * // <Buffer 1e 00 02 02 c8 49 00 00 05 00 00 00 00 00 00 00>
 * ```
 * @see https://man7.org/linux/man-pages/man7/tipc.7.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const tipcFamily: TipcFamilyPlugin = {
  family: AF_TIPC,
  name: TIPC,
  schema: tipcAddressSchema,

  encode(address: unknown, ctx: AddressContext): Buffer {
    const where = `${prefix(ctx)}${TIPC}`;
    if (!Array.isArray(address) || address.length < 4 || address.length > 5) {
      throw new TypeError(`${where} address must be ${SHAPE}, got ${show(address)}`);
    }
    const addrType = checkInteger(address[0], where, 'addr_type');
    if (!isAddrType(addrType)) {
      throw new TypeError(`${where} addr_type must be ${TYPES}, got ${show(addrType)}`);
    }
    const fields = FIELDS[addrType];
    const values = fields.map(([name], i) => checkInteger(address[i + 1], where, name));
    const scope = address[4] === undefined ? TIPC_CLUSTER_SCOPE : checkInteger(address[4], where, 'scope');
    fields.forEach(([name], i) => checkRange(values[i]!, 0, MAX_U32, where, name));
    checkRange(scope, -128, 127, where, 'scope');

    const buf = Buffer.alloc(SIZE);
    writeHostU16(buf, AF_TIPC, FAMILY);
    buf[ADDRTYPE] = addrType;
    buf.writeInt8(scope, SCOPE);
    fields.forEach(([, offset], i) => {
      if (offset !== null) writeHostU32(buf, values[i]!, offset);
    });
    return buf;
  },

  decode(bytes: Buffer, length: number): TipcAddressResult {
    const sa = zeroPadded(bytes, length, SIZE);
    const addrType = sa[ADDRTYPE]!;
    const scope = sa.readInt8(SCOPE);
    switch (addrType) {
      case TIPC_ADDR_NAMESEQ:
        return [addrType, readHostU32(sa, SEQ_TYPE), readHostU32(sa, SEQ_LOWER), readHostU32(sa, SEQ_UPPER), scope];
      case TIPC_ADDR_NAME: {
        const instance = readHostU32(sa, NAME_INSTANCE);
        return [addrType, readHostU32(sa, NAME_TYPE), instance, instance, scope];
      }
      case TIPC_ADDR_ID:
        return [addrType, readHostU32(sa, ID_NODE), readHostU32(sa, ID_REF), 0, scope];
      default:
        throw new RangeError(`${TIPC} address type must be ${TYPES}, got ${addrType}`);
    }
  },
};
