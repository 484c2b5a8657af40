/**
 * `@bsdsock/can`: the AF_CAN address family for bsdsock — SocketCAN on
 * Linux: raw CAN frames (CAN_RAW), the broadcast manager (CAN_BCM),
 * ISO 15765-2 transport (CAN_ISOTP) and SAE J1939 (CAN_J1939).
 *
 * Importing this package registers AF_CAN (`PF_CAN`) with `@bsdsock/core`,
 * so that CAN sockets take and return Python's addresses: `[interface]`
 * for CAN_RAW and CAN_BCM, `[interface, rx_addr, tx_addr]` for CAN_ISOTP
 * and `[interface, name, pgn, addr]` for CAN_J1939 (`name` a bigint). It
 * exports Python's `CAN_*`, `SOL_CAN_*`, `CAN_RAW_*`, `CAN_BCM_*` and
 * `J1939_*` constants, the few more its helpers need (`CAN_MTU`,
 * `CANFD_*`, `SOL_CAN_ISOTP`, `CAN_ISOTP_*`, ...), and helpers that pack
 * and unpack what Python code writes with `struct`: CAN and CAN FD frames,
 * CAN_RAW_FILTER arrays, BCM messages and the ISO-TP options.
 *
 * The kernel needs the `can`, `can-raw`, `can-bcm`, `can-isotp` or
 * `can-j1939` module; without it `new Socket(AF_CAN, ...)` raises
 * `OSError` EAFNOSUPPORT or EPROTONOSUPPORT.
 *
 * @example
 * ```ts
 * import { SOCK_RAW, Socket } from '@bsdsock/core';
 * import { AF_CAN, CAN_MTU, CAN_RAW, packCanFrame, unpackCanFrame } from '@bsdsock/can';
 *
 * const raw = new Socket(AF_CAN, SOCK_RAW, CAN_RAW);
 * raw.bind(['vcan0']);
 * await raw.send(packCanFrame({ canId: 0x123, data: Buffer.from([0xc0, 0xff, 0xee]) }));
 * const [frame, [ifname]] = await raw.recvfrom(CAN_MTU);
 * console.log(ifname, unpackCanFrame(frame));
 * ```
 * @see https://docs.kernel.org/networking/can.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 * @packageDocumentation
 */
import { registerFamily } from '@bsdsock/core';
import { canFamily } from './codec.js';
import type { AF_CAN } from './constants.generated.js';
import type { CanAddressResult } from './schema.js';

declare module '@bsdsock/core' {
  /**
   * A `Socket<typeof AF_CAN>` returns `[interface]` (CAN_RAW, CAN_BCM),
   * `[interface, rx_addr, tx_addr]` (CAN_ISOTP) or
   * `[interface, name, pgn, addr]` (CAN_J1939).
   */
  interface AddressTypes {
    [AF_CAN]: CanAddressResult;
  }
}

registerFamily(canFamily);

export * from './constants.generated.js';
export { canFamily, type CanFamilyPlugin } from './codec.js';
export {
  canAddressSchema,
  canInterfaceSchema,
  canIsotpAddressSchema,
  canJ1939AddressSchema,
  canRawAddressSchema,
  type CanAddress,
  type CanAddressResult,
  type CanIsotpAddress,
  type CanIsotpAddressResult,
  type CanJ1939Address,
  type CanJ1939AddressResult,
  type CanRawAddress,
  type CanRawAddressResult,
} from './schema.js';
export {
  packCanFdFrame,
  packCanFrame,
  unpackCanFdFrame,
  unpackCanFrame,
  unpackFrame,
  type CanFdFrame,
  type CanFdFrameInit,
  type CanFrame,
  type CanFrameInit,
  type CanIdFields,
} from './frame.js';
export { packCanFilters, unpackCanFilters, type CanFilter } from './filter.js';
export {
  packBcmMessage,
  unpackBcmMessage,
  type BcmMessage,
  type BcmMessageInit,
  type BcmTimeval,
} from './bcm.js';
export {
  packIsotpFcOptions,
  packIsotpLlOptions,
  packIsotpOptions,
  unpackIsotpFcOptions,
  unpackIsotpLlOptions,
  unpackIsotpOptions,
  type IsotpFcOptions,
  type IsotpLlOptions,
  type IsotpOptions,
} from './isotp.js';
