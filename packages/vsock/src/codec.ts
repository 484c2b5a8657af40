/**
 * The AF_VSOCK family plugin: `[cid, port]` to and from
 * `struct sockaddr_vm`, with CPython's semantics (`getsockaddrarg()` and
 * `makesockaddr()` in Modules/socketmodule.c).
 *
 * @packageDocumentation
 */
import type { AddressContext, FamilyPlugin } from '@bsdsock/core';
import {
  checkInteger, checkRange, layout, prefix, readHostU32, show, writeHostU16, writeHostU32, zeroPadded,
} from '@bsdsock/core/internal';
import { AF_VSOCK } from './constants.generated.js';
import { vsockAddressSchema, type VsockAddressResult } from './schema.js';

const SVM_SIZE = layout('sockaddr_vm');
const SVM_FAMILY = layout('sockaddr_vm.svm_family');
const SVM_PORT = layout('sockaddr_vm.svm_port');
const SVM_CID = layout('sockaddr_vm.svm_cid');

const VSOCK = 'AF_VSOCK';
const MAX_U32 = 0xffffffff;

/**
 * The type of {@link vsockFamily}: core's `FamilyPlugin` contract plus the
 * zod schema it documents.
 *
 * @see https://man7.org/linux/man-pages/man7/vsock.7.html
 * @example
 * ```ts
 * const plugin: VsockFamilyPlugin = vsockFamily;
 * plugin.schema.parse([VMADDR_CID_LOCAL, 1234]);
 * ```
 */
export interface VsockFamilyPlugin extends FamilyPlugin<VsockAddressResult> {
  /** The zod schema of the addresses `encode` accepts. */
  readonly schema: typeof vsockAddressSchema;
}

/**
 * AF_VSOCK: `[cid, port]` to and from `struct sockaddr_vm` (16 bytes on
 * Linux).
 *
 * `encode` checks the pair (see {@link vsockAddressSchema}) and writes
 * `svm_family`, `svm_port` and `svm_cid` in host byte order, the rest zero;
 * the addrlen is `sizeof(struct sockaddr_vm)`. `decode` returns
 * `[svm_cid, svm_port]` as CPython's `makesockaddr()` does; bytes past what
 * the kernel wrote read as zero.
 *
 * @example
 * ```ts
 * vsockFamily.encode([VMADDR_CID_LOCAL, 1234], { family: AF_VSOCK, type: SOCK_STREAM, proto: 0, caller: 'connect' });
 * // <Buffer 28 00 00 00 d2 04 00 00 01 00 00 00 00 00 00 00>
 * ```
 * @see https://man7.org/linux/man-pages/man7/vsock.7.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 */
export const vsockFamily: VsockFamilyPlugin = {
  family: AF_VSOCK,
  name: VSOCK,
  schema: vsockAddressSchema,

  encode(address: unknown, ctx: AddressContext): Buffer {
    const where = `${prefix(ctx)}${VSOCK}`;
    if (!Array.isArray(address) || address.length !== 2) {
      throw new TypeError(`${where} address must be [cid: number, port: number], got ${show(address)}`);
    }
    const cid = checkInteger(address[0], where, 'cid');
    const port = checkInteger(address[1], where, 'port');
    checkRange(cid, 0, MAX_U32, where, 'cid');
    checkRange(port, 0, MAX_U32, where, 'port');
    const buf = Buffer.alloc(SVM_SIZE);
    writeHostU16(buf, AF_VSOCK, SVM_FAMILY);
    writeHostU32(buf, port, SVM_PORT);
    writeHostU32(buf, cid, SVM_CID);
    return buf;
  },

  decode(bytes: Buffer, length: number): VsockAddressResult {
    const sa = zeroPadded(bytes, length, SVM_SIZE);
    return [readHostU32(sa, SVM_CID), readHostU32(sa, SVM_PORT)];
  },
};
