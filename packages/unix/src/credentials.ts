/**
 * Process credentials over AF_UNIX sockets (Linux): `struct ucred` as sent
 * and received in SCM_CREDENTIALS control messages (with SO_PASSCRED on the
 * receiver) and as SO_PEERCRED returns it. Python leaves the struct to
 * `struct.pack('3i', ...)`; these helpers build and read it with the
 * platform's layout.
 *
 * @see https://man7.org/linux/man-pages/man7/unix.7.html (SO_PASSCRED, SO_PEERCRED, SCM_CREDENTIALS)
 * @packageDocumentation
 */
import { endianness } from 'node:os';
import { SOL_SOCKET, SO_PEERCRED, type BytesLike, type Socket } from '@bsdsock/core';
import { layout } from '@bsdsock/core/internal';

/** sizeof(struct ucred): 12 on Linux. */
const SIZE = layout('ucred');
const PID = layout('ucred.pid');
const UID = layout('ucred.uid');
const GID = layout('ucred.gid');
const LE = endianness() === 'LE';

/** A process's credentials, as `struct ucred` holds them. */
export interface Credentials {
  /** The process ID (pid_t). */
  readonly pid: number;
  /** The user ID (uid_t). */
  readonly uid: number;
  /** The group ID (gid_t). */
  readonly gid: number;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'Array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

function field(creds: Record<string, unknown>, name: string, min: number, max: number): number {
  const v = creds[name];
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new TypeError(`packCredentials(): ${name} must be an integer, not ${typeName(v)}`);
  }
  if (v < min || v > max) throw new RangeError(`packCredentials(): ${name} must be ${min}-${max}, got ${v}`);
  return v;
}

/** This process's own credentials: process.pid and the real uid and gid. */
function ownCredentials(): Credentials {
  return { pid: process.pid, uid: process.getuid!(), gid: process.getgid!() };
}

/**
 * Builds the `struct ucred` bytes of an SCM_CREDENTIALS control message,
 * by default this process's own (`process.pid`, `getuid()`, `getgid()`).
 * The kernel accepts other values only with CAP_SYS_ADMIN (pid) and
 * CAP_SETUID / CAP_SETGID (uid, gid), else sendmsg fails with EPERM.
 *
 * @see https://man7.org/linux/man-pages/man7/unix.7.html
 * @example
 * ```ts
 * import { SOL_SOCKET } from '@bsdsock/core';
 * import { SCM_CREDENTIALS, packCredentials } from '@bsdsock/unix';
 *
 * await sock.sendmsg([Buffer.from('hi')], [[SOL_SOCKET, SCM_CREDENTIALS, packCredentials()]]);
 * ```
 */
export function packCredentials(creds: Credentials = ownCredentials()): Buffer {
  if (typeof creds !== 'object' || creds === null) {
    throw new TypeError(`packCredentials(): credentials must be an object {pid, uid, gid}, not ${typeName(creds)}`);
  }
  const c = creds as unknown as Record<string, unknown>;
  const pid = field(c, 'pid', -0x8000_0000, 0x7fff_ffff);
  const uid = field(c, 'uid', 0, 0xffff_ffff);
  const gid = field(c, 'gid', 0, 0xffff_ffff);
  const buf = Buffer.alloc(SIZE);
  if (LE) {
    buf.writeInt32LE(pid, PID);
    buf.writeUInt32LE(uid, UID);
    buf.writeUInt32LE(gid, GID);
  } else {
    buf.writeInt32BE(pid, PID);
    buf.writeUInt32BE(uid, UID);
    buf.writeUInt32BE(gid, GID);
  }
  return buf;
}

/**
 * Reads `struct ucred` bytes — the data of an `[SOL_SOCKET,
 * SCM_CREDENTIALS, data]` item from `recvmsg`, or SO_PEERCRED's value —
 * as `{ pid, uid, gid }`.
 *
 * @see https://man7.org/linux/man-pages/man7/unix.7.html
 * @example
 * ```ts
 * import { CMSG_SPACE, SOL_SOCKET } from '@bsdsock/core';
 * import { SCM_CREDENTIALS, SO_PASSCRED, parseCredentials } from '@bsdsock/unix';
 *
 * receiver.setsockopt(SOL_SOCKET, SO_PASSCRED, 1);
 * const [, ancdata] = await receiver.recvmsg(100, CMSG_SPACE(12));
 * for (const [level, type, data] of ancdata) {
 *   if (level === SOL_SOCKET && type === SCM_CREDENTIALS) console.log(parseCredentials(data)); // { pid, uid, gid }
 * }
 * ```
 */
export function parseCredentials(data: BytesLike): Credentials {
  let buf: Buffer;
  if (ArrayBuffer.isView(data)) buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  else if (data instanceof ArrayBuffer) buf = Buffer.from(data);
  else throw new TypeError(`parseCredentials(): a bytes-like object is required, not ${typeName(data)}`);
  if (buf.length < SIZE) {
    throw new RangeError(`parseCredentials(): struct ucred is ${SIZE} bytes, got ${buf.length}`);
  }
  return LE
    ? { pid: buf.readInt32LE(PID), uid: buf.readUInt32LE(UID), gid: buf.readUInt32LE(GID) }
    : { pid: buf.readInt32BE(PID), uid: buf.readUInt32BE(UID), gid: buf.readUInt32BE(GID) };
}

/**
 * The credentials of the peer of a connected AF_UNIX socket, as they were
 * when it called connect(2) or socketpair(2): SO_PEERCRED decoded. The raw
 * `sock.getsockopt(SOL_SOCKET, SO_PEERCRED, 12)` gives the same bytes.
 *
 * @see https://man7.org/linux/man-pages/man7/unix.7.html
 * @example
 * ```ts
 * const [conn] = await server.accept();
 * const { pid, uid } = peerCredentials(conn);
 * ```
 */
export function peerCredentials(sock: Socket): Credentials {
  if (typeof sock !== 'object' || sock === null || typeof (sock as Partial<Socket>).getsockopt !== 'function') {
    throw new TypeError(`peerCredentials(): sock must be a Socket, not ${typeName(sock)}`);
  }
  return parseCredentials(sock.getsockopt(SOL_SOCKET, SO_PEERCRED, SIZE));
}
