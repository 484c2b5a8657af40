/**
 * The constants of this package that are not numbers from the system
 * headers: Python's two Bluetooth address strings, and the ancillary-data
 * types of HCI sockets, which belong to the kernel's user-space ABI
 * (`include/net/bluetooth/hci_sock.h`, BlueZ's `lib/hci.h`) and never change.
 *
 * @packageDocumentation
 */

/**
 * The wildcard Bluetooth address, `'00:00:00:00:00:00'`: bind to it to use
 * any local adapter. Python's `socket.BDADDR_ANY`.
 *
 * @see https://docs.python.org/3/library/socket.html#socket.BDADDR_ANY
 * @example
 * ```ts
 * const s = new Socket(AF_BLUETOOTH, SOCK_STREAM, BTPROTO_RFCOMM);
 * s.bind([BDADDR_ANY, 0]);
 * ```
 */
export const BDADDR_ANY = '00:00:00:00:00:00';

/**
 * The local-host Bluetooth address, `'00:00:00:FF:FF:FF'`, as Python's
 * `socket.BDADDR_LOCAL` writes it (BlueZ's `BDADDR_LOCAL`).
 *
 * @see https://docs.python.org/3/library/socket.html#socket.BDADDR_LOCAL
 * @example
 * ```ts
 * bdaddrToBytes(BDADDR_LOCAL); // <Buffer ff ff ff 00 00 00>
 * ```
 */
export const BDADDR_LOCAL = '00:00:00:FF:FF:FF';

/**
 * The ancillary-data type with which an HCI socket that set `HCI_DATA_DIR`
 * receives each packet's direction (an `int`: 1 for a packet that came
 * from the controller, 0 for one sent to it), at level `SOL_HCI`. Not in
 * Python's socket module.
 *
 * @example
 * ```ts
 * hci.setsockopt(SOL_HCI, HCI_DATA_DIR, 1);
 * const [, ancdata] = await hci.recvmsg(HCI_MAX_FRAME_SIZE, CMSG_SPACE(4));
 * const incoming = ancdata.some(([level, type, data]) => level === SOL_HCI && type === HCI_CMSG_DIR && data.readInt32LE(0) === 1);
 * ```
 */
export const HCI_CMSG_DIR = 1;

/**
 * The ancillary-data type with which an HCI socket that set
 * `HCI_TIME_STAMP` receives each packet's `struct timeval`, at level
 * `SOL_HCI`. Not in Python's socket module.
 *
 * @example
 * ```ts
 * hci.setsockopt(SOL_HCI, HCI_TIME_STAMP, 1);
 * const [, ancdata] = await hci.recvmsg(HCI_MAX_FRAME_SIZE, CMSG_SPACE(16));
 * const stamp = ancdata.find(([level, type]) => level === SOL_HCI && type === HCI_CMSG_TSTAMP);
 * ```
 */
export const HCI_CMSG_TSTAMP = 2;
