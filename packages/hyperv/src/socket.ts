/**
 * How a Hyper-V socket is made: through {@link hypervSocket}, which knows
 * whether the platform has AF_HYPERV, rather than `new Socket(34, ...)`,
 * which on Linux asks for AF_ISDN.
 *
 * @packageDocumentation
 */
import { constants as osConstants } from 'node:os';
import { OSError, SOCK_STREAM, Socket } from '@bsdsock/core';
import { binding, show } from '@bsdsock/core/internal';
import { hypervWindowsConstants } from './constants.js';

/**
 * This platform's AF_HYPERV, read from the constants its headers define
 * (the addon's table, which `constants.generated.ts` is made from), or
 * `undefined` where there is none: on Linux, always. Python's
 * `hasattr(socket, 'AF_HYPERV')` is `platformAfHyperv !== undefined`.
 *
 * @example
 * ```ts
 * if (platformAfHyperv === undefined) console.log('no Hyper-V sockets here; use AF_VSOCK');
 * ```
 */
export const platformAfHyperv: number | undefined = (() => {
  const value = binding.constants.AF_HYPERV;
  return typeof value === 'number' ? value : undefined;
})();

/** The message of the OSError that a Hyper-V socket raises where the platform has none. */
const NEEDS_WINDOWS =
  'AF_HYPERV needs Windows: this platform has no Hyper-V sockets ' +
  `(on Linux, family ${hypervWindowsConstants.AF_HYPERV} is AF_ISDN; use AF_VSOCK from @bsdsock/vsock to talk to a Hyper-V host)`;

/**
 * A Hyper-V socket, Python's `socket.socket(AF_HYPERV, type, HV_PROTOCOL_RAW)`.
 *
 * Where the platform has AF_HYPERV (Windows) this is
 * `new Socket(AF_HYPERV, type, proto)`. Where it has none (Linux, and so
 * every platform bsdsock runs on today) it raises `OSError` EAFNOSUPPORT
 * whose message says that AF_HYPERV needs Windows. This is the way to
 * reach that error: `new Socket(34, ...)` would ask Linux for AF_ISDN, a
 * different family with the same number, and `AF_HYPERV` itself is not
 * exported on Linux (as Python has no `socket.AF_HYPERV` there).
 *
 * @param type `SOCK_STREAM` (the default), the only type Hyper-V sockets have.
 * @param proto `HV_PROTOCOL_RAW` (the default).
 * @throws OSError EAFNOSUPPORT where the platform has no AF_HYPERV.
 * @throws TypeError when `type` or `proto` is not an integer.
 * @see https://docs.python.org/3/library/socket.html#socket.AF_HYPERV
 * @see https://learn.microsoft.com/virtualization/hyper-v-on-windows/user-guide/make-integration-service
 * @example
 * ```ts
 * try {
 *   const sock = hypervSocket();
 *   await sock.connect([HV_GUID_PARENT, serviceId]);
 * } catch (err) {
 *   if (err instanceof OSError && err.code === 'EAFNOSUPPORT') console.log(err.message); // on Linux
 * }
 * ```
 */
export function hypervSocket(type: number = SOCK_STREAM, proto: number = hypervWindowsConstants.HV_PROTOCOL_RAW): Socket {
  for (const [name, value] of [['type', type], ['proto', proto]] as const) {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw new TypeError(`hypervSocket(): ${name} must be an integer, got ${show(value)}`);
    }
  }
  if (platformAfHyperv === undefined) {
    throw new OSError(osConstants.errno.EAFNOSUPPORT, NEEDS_WINDOWS, 'socket');
  }
  return new Socket(platformAfHyperv, type, proto);
}
