/**
 * Host byte order: `struct sockaddr_vm` and the u64 socket options hold
 * numbers in the byte order of the machine.
 *
 * @internal
 * @packageDocumentation
 */
import { endianness } from 'node:os';

const LE = endianness() === 'LE';

/** Writes a u16 in host byte order (svm_family). */
export function writeHostU16(buf: Buffer, value: number, offset: number): void {
  if (LE) buf.writeUInt16LE(value, offset);
  else buf.writeUInt16BE(value, offset);
}

/** Writes a u32 in host byte order (svm_cid, svm_port). */
export function writeHostU32(buf: Buffer, value: number, offset: number): void {
  if (LE) buf.writeUInt32LE(value, offset);
  else buf.writeUInt32BE(value, offset);
}

/** Reads a u32 in host byte order. */
export function readHostU32(buf: Buffer, offset: number): number {
  return LE ? buf.readUInt32LE(offset) : buf.readUInt32BE(offset);
}

/** An 8-byte buffer holding `value` as a u64 in host byte order (the SO_VM_SOCKETS_BUFFER_* options). */
export function hostU64(value: bigint): Buffer {
  const buf = Buffer.alloc(8);
  if (LE) buf.writeBigUInt64LE(value);
  else buf.writeBigUInt64BE(value);
  return buf;
}

/** Reads a u64 in host byte order. */
export function readHostU64(buf: Buffer): bigint {
  return LE ? buf.readBigUInt64LE(0) : buf.readBigUInt64BE(0);
}
