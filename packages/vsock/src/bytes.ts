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
