/**
 * The context id of this machine, as the vsock device reports it.
 *
 * @packageDocumentation
 */
import { closeSync, openSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { aux, binding, fromErrno } from '@bsdsock/core/internal';
import { IOCTL_VM_SOCKETS_GET_LOCAL_CID } from './constants.generated.js';

/** The vsock device that answers IOCTL_VM_SOCKETS_GET_LOCAL_CID. */
const VSOCK_DEVICE = '/dev/vsock';

/** The OSError subclass of a failed node:fs call, with Python's `: '/dev/vsock'` after the message. */
function openError(err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const errno = code === undefined ? undefined : (osConstants.errno as Record<string, number | undefined>)[code];
  if (errno === undefined) return err;
  const e = fromErrno(errno, 'open');
  e.message = `${e.message}: '${VSOCK_DEVICE}'`;
  return e;
}

/**
 * This machine's vsock context id (CID): the ioctl(2)
 * `IOCTL_VM_SOCKETS_GET_LOCAL_CID` on `/dev/vsock`, read as an unsigned
 * 32-bit number, as CPython's test helper `get_cid()` does it with
 * `fcntl.ioctl`. A guest gets the CID its hypervisor gave it (3 and up); a
 * machine with only the loopback transport gets `VMADDR_CID_LOCAL` (1), or
 * `VMADDR_CID_ANY` (0xffffffff) when no transport says.
 *
 * Availability: Linux with the vsock module (`/dev/vsock`). Where CPython's
 * `get_cid()` returns `None` on any OSError, `localCid()` raises it: the
 * `OSError` subclass of the failure, `FileNotFoundError` when
 * `/dev/vsock` is missing and `PermissionError` when it cannot be opened
 * (message `[Errno 2] No such file or directory: '/dev/vsock'`, `syscall`
 * `'open'`; `'ioctl'` when the device refuses the request).
 *
 * @see https://man7.org/linux/man-pages/man7/vsock.7.html
 * @example
 * ```ts
 * import { OSError } from '@bsdsock/core';
 * import { VMADDR_CID_ANY, VMADDR_CID_HOST, VMADDR_CID_LOCAL, localCid } from '@bsdsock/vsock';
 *
 * let cid: number | null = null;
 * try { cid = localCid(); } catch (err) { if (!(err instanceof OSError)) throw err; }
 * // As CPython's testStream: talk to yourself through CID 1 when the CID says nothing better.
 * const target = cid === null || cid === VMADDR_CID_HOST || cid === VMADDR_CID_ANY ? VMADDR_CID_LOCAL : cid;
 * ```
 */
export function localCid(): number {
  let fd: number;
  try {
    fd = openSync(VSOCK_DEVICE, 'r');
  } catch (err) {
    throw openError(err);
  }
  try {
    const r = binding.ioctlInt(fd, IOCTL_VM_SOCKETS_GET_LOCAL_CID);
    if (r < 0) throw fromErrno(-r, 'ioctl');
    return aux[0]! >>> 0;
  } finally {
    closeSync(fd);
  }
}
