/**
 * The AF_ALG family plugin: `[type, name, feat?, mask?]` to and from
 * `struct sockaddr_alg`, with CPython's semantics (`getsockaddrarg()` in
 * Modules/socketmodule.c).
 *
 * @packageDocumentation
 */
import type { AddressContext, FamilyPlugin } from '@bsdsock/core';
import {
  checkInteger, checkRange, isWellFormed, layout, prefix, readCString, readHostU32, show, writeHostU16, writeHostU32,
  zeroPadded,
} from '@bsdsock/core/internal';
import { AF_ALG } from './constants.generated.js';
import { SALG_NAME_SIZE, SALG_TYPE_SIZE, algAddressSchema, type AlgAddressResult } from './schema.js';

const SALG_SIZE = layout('sockaddr_alg');
const SALG_FAMILY = layout('sockaddr_alg.salg_family');
const SALG_TYPE = layout('sockaddr_alg.salg_type');
const SALG_FEAT = layout('sockaddr_alg.salg_feat');
const SALG_MASK = layout('sockaddr_alg.salg_mask');
const SALG_NAME = layout('sockaddr_alg.salg_name');

const ALG = 'AF_ALG';
const SHAPE = '[type: string, name: string, feat?: number, mask?: number]';
const MAX_U32 = 0xffffffff;

/** Checks a type or name and returns its UTF-8 bytes: a string without NUL that fits its field with the NUL. */
function checkCString(value: unknown, size: number, where: string, field: string): Buffer {
  if (typeof value !== 'string') throw new TypeError(`${where} ${field} must be a string, got ${show(value)}`);
  if (value.includes('\0')) throw new TypeError(`${where} ${field} must not contain a NUL character`);
  if (!isWellFormed(value)) throw new TypeError(`${where} ${field} must not contain a lone surrogate`);
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length >= size) {
    throw new TypeError(`${where} ${field} too long: at most ${size - 1} bytes in UTF-8, got ${bytes.length}`);
  }
  return bytes;
}

/**
 * The type of {@link algFamily}: core's `FamilyPlugin` contract plus the
 * zod schema it documents, and no peer address for `accept()`.
 *
 * @see https://www.kernel.org/doc/html/latest/crypto/userspace-if.html
 * @example
 * ```ts
 * const plugin: AlgFamilyPlugin = algFamily;
 * plugin.schema.parse(['hash', 'sha256']);
 * ```
 */
export interface AlgFamilyPlugin extends FamilyPlugin<AlgAddressResult> {
  /** The zod schema of the addresses `encode` accepts. */
  readonly schema: typeof algAddressSchema;
  /** `false`: accept(2) on AF_ALG fails with ECONNABORTED when asked for a peer address. */
  readonly acceptAddress: false;
}

/**
 * AF_ALG: `[type, name, feat?, mask?]` to and from `struct sockaddr_alg`
 * (88 bytes on Linux).
 *
 * `encode` checks the tuple (see {@link algAddressSchema}) and writes
 * `salg_family`, the NUL-terminated `salg_type` and `salg_name`, and
 * `salg_feat` / `salg_mask` in host byte order; the addrlen is
 * `sizeof(struct sockaddr_alg)`, as CPython gives it.
 *
 * `decode` reads the same fields back as `[type, name, feat, mask]` (text up
 * to the first NUL, bytes past what was written as zero). The kernel never
 * hands an AF_ALG address to user space (see {@link AlgAddressResult}), so
 * core never calls it for a kernel result.
 *
 * `acceptAddress` is `false`: core's `accept()` passes no address buffer,
 * as CPython does for AF_ALG (the kernel fails the call with ECONNABORTED
 * otherwise), and returns `[opSocket, null]`.
 *
 * @example
 * ```ts
 * algFamily.encode(['hash', 'sha256'], { family: AF_ALG, type: SOCK_SEQPACKET, proto: 0, caller: 'bind' });
 * // <Buffer 26 00 68 61 73 68 00 ... 73 68 61 32 35 36 00 ...> (88 bytes)
 * ```
 * @see https://www.kernel.org/doc/html/latest/crypto/userspace-if.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const algFamily: AlgFamilyPlugin = {
  family: AF_ALG,
  name: ALG,
  schema: algAddressSchema,
  acceptAddress: false,

  encode(address: unknown, ctx: AddressContext): Buffer {
    const where = `${prefix(ctx)}${ALG}`;
    if (!Array.isArray(address) || address.length < 2 || address.length > 4) {
      throw new TypeError(`${where} address must be ${SHAPE}, got ${show(address)}`);
    }
    const type = checkCString(address[0], SALG_TYPE_SIZE, where, 'type');
    const name = checkCString(address[1], SALG_NAME_SIZE, where, 'name');
    const feat = address[2] === undefined ? 0 : checkInteger(address[2], where, 'feat');
    const mask = address[3] === undefined ? 0 : checkInteger(address[3], where, 'mask');
    checkRange(feat, 0, MAX_U32, where, 'feat');
    checkRange(mask, 0, MAX_U32, where, 'mask');

    const buf = Buffer.alloc(SALG_SIZE);
    writeHostU16(buf, AF_ALG, SALG_FAMILY);
    type.copy(buf, SALG_TYPE);
    writeHostU32(buf, feat, SALG_FEAT);
    writeHostU32(buf, mask, SALG_MASK);
    name.copy(buf, SALG_NAME);
    return buf;
  },

  decode(bytes: Buffer, length: number): AlgAddressResult {
    const sa = zeroPadded(bytes, length, SALG_SIZE);
    return [
      readCString(sa, SALG_TYPE, SALG_TYPE_SIZE),
      readCString(sa, SALG_NAME, SALG_NAME_SIZE),
      readHostU32(sa, SALG_FEAT),
      readHostU32(sa, SALG_MASK),
    ];
  },
};
