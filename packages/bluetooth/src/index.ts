/**
 * `@bsdsock/bluetooth`: the AF_BLUETOOTH address family for bsdsock —
 * BlueZ's L2CAP, RFCOMM, HCI and SCO sockets on Linux.
 *
 * Importing this package registers AF_BLUETOOTH with `@bsdsock/core`, so
 * that Bluetooth sockets take and return Python's addresses: L2CAP
 * `[bdaddr, psm]`, RFCOMM `[bdaddr, channel]`, HCI `[device_id]` (returned
 * as the bare `device_id`) and SCO `bdaddr`. It exports Python's
 * `BTPROTO_*`, `BDADDR_ANY`, `BDADDR_LOCAL`, `SOL_HCI`, `HCI_FILTER`,
 * `HCI_TIME_STAMP` and `HCI_DATA_DIR`, the L2CAP/RFCOMM/`SOL_BLUETOOTH`
 * options this platform's headers define, and helpers for addresses
 * (`bdaddrToBytes`, `bdaddrFromBytes`), the `HCI_FILTER` option
 * ({@link HciFilter}) and HCI packets (`buildHciCommand`,
 * `parseCommandComplete`, ...).
 *
 * A raw HCI socket sends commands only to a controller that is up
 * (otherwise `send` raises ENETDOWN); bringing one up takes the HCIDEVUP
 * ioctl (BlueZ's `hciconfig hci0 up`, or Python's
 * `fcntl.ioctl(fd, 0x400448c9, dev)`) or the management interface, with
 * CAP_NET_ADMIN. HCI sockets need CAP_NET_RAW to send most commands.
 *
 * @example
 * ```ts
 * import { SOCK_RAW, Socket } from '@bsdsock/core';
 * import {
 *   AF_BLUETOOTH, BTPROTO_HCI, EVT_CMD_COMPLETE, HCI_EVENT_PKT, HCI_FILTER, HCI_MAX_EVENT_SIZE, OCF_RESET, OGF_HOST_CTL,
 *   SOL_HCI, HciFilter, buildHciCommand, hciOpcode, parseCommandComplete,
 * } from '@bsdsock/bluetooth';
 *
 * const hci = new Socket(AF_BLUETOOTH, SOCK_RAW, BTPROTO_HCI);
 * hci.bind([0]); // hci0
 * const reset = hciOpcode(OGF_HOST_CTL, OCF_RESET);
 * hci.setsockopt(SOL_HCI, HCI_FILTER, new HciFilter().setPtype(HCI_EVENT_PKT).setEvent(EVT_CMD_COMPLETE).setOpcode(reset).pack());
 * await hci.send(buildHciCommand(OGF_HOST_CTL, OCF_RESET));
 * console.log(parseCommandComplete(await hci.recv(HCI_MAX_EVENT_SIZE)).status); // 0
 * hci.close();
 * ```
 * @see https://docs.python.org/3/library/socket.html#socket-families
 * @see https://github.com/bluez/bluez/tree/master/lib
 * @packageDocumentation
 */
import { registerFamily } from '@bsdsock/core';
import { bluetoothFamily } from './codec.js';
import type { AF_BLUETOOTH } from './constants.generated.js';
import type { BluetoothAddressResult } from './schema.js';

declare module '@bsdsock/core' {
  /** A `Socket<typeof AF_BLUETOOTH>` returns its protocol's address: `[bdaddr, psm]`, `[bdaddr, channel]`, `device_id` or `bdaddr`. */
  interface AddressTypes {
    [AF_BLUETOOTH]: BluetoothAddressResult;
  }
}

registerFamily(bluetoothFamily);

export * from './constants.generated.js';
export * from './constants.js';
export { bluetoothFamily, type BluetoothFamilyPlugin } from './codec.js';
export {
  bdaddrSchema, psmSchema, channelSchema, deviceIdSchema,
  l2capAddressSchema, rfcommAddressSchema, hciAddressSchema, scoAddressSchema,
  type BluetoothAddress, type L2capAddress, type RfcommAddress, type HciAddress, type ScoAddress,
  type BluetoothAddressResult, type L2capAddressResult, type RfcommAddressResult, type HciAddressResult,
  type ScoAddressResult, type RawBluetoothAddressResult,
} from './schema.js';
export { bdaddrToBytes, bdaddrFromBytes, isBdaddr } from './bdaddr.js';
export {
  HciFilter, hciOpcode, buildHciCommand, parseHciCommand, buildHciEvent, parseHciEvent, parseCommandComplete,
  buildCommandComplete, type HciFilterInit, type HciCommand, type HciEvent, type CommandComplete,
} from './hci.js';
