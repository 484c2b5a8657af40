/**
 * `@bsdsock/netlink`: the AF_NETLINK address family for bsdsock, and a small
 * netlink message builder and parser.
 *
 * This package is also the worked example of a family built from outside
 * bsdsock (CONTRIBUTING.md, "How to add a family"): it uses only
 * `@bsdsock/core`'s public API — `registerFamily`, the `FamilyPlugin` and
 * `AddressTypes` types, `Socket`, the constants and the errors — and zod.
 *
 * Importing it registers AF_NETLINK with `@bsdsock/core`, so that netlink
 * sockets take and return Python's `[pid, groups]` addresses.
 *
 * @example
 * ```ts
 * import { AF_UNSPEC, SOCK_RAW, Socket } from '@bsdsock/core';
 * import {
 *   AF_NETLINK, NETLINK_ROUTE, NLM_F_DUMP, NLM_F_REQUEST, NLMSG_DONE, RTM_GETLINK, RTM_NEWLINK, IFLA_IFNAME,
 *   attributeString, buildIfinfomsg, buildMessage, parseIfinfomsg, parseMessages,
 * } from '@bsdsock/netlink';
 *
 * const sock = new Socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
 * sock.bind([0, 0]);
 * await sock.sendto(buildMessage({
 *   type: RTM_GETLINK, flags: NLM_F_REQUEST | NLM_F_DUMP, seq: 1, payload: buildIfinfomsg({ family: AF_UNSPEC }),
 * }), [0, 0]);
 * for (let done = false; !done;) {
 *   for (const msg of parseMessages(await sock.recv(65536))) {
 *     if (msg.type === NLMSG_DONE) done = true;
 *     if (msg.type !== RTM_NEWLINK) continue;
 *     const { index, attributes } = parseIfinfomsg(msg.payload);
 *     console.log(index, attributeString(attributes.find((a) => a.type === IFLA_IFNAME)!.value));
 *   }
 * }
 * sock.close();
 * ```
 * @see https://man7.org/linux/man-pages/man7/netlink.7.html
 * @see https://man7.org/linux/man-pages/man7/rtnetlink.7.html
 * @see https://docs.python.org/3/library/socket.html#socket-families
 * @packageDocumentation
 */
import { registerFamily } from '@bsdsock/core';
import type { AF_NETLINK } from '@bsdsock/core';
import { netlinkFamily } from './codec.js';
import type { NetlinkAddressResult } from './schema.js';

declare module '@bsdsock/core' {
  /** A `Socket<typeof AF_NETLINK>` returns `[pid, groups]`. */
  interface AddressTypes {
    [AF_NETLINK]: NetlinkAddressResult;
  }
}

registerFamily(netlinkFamily);

export * from './constants.js';
export { netlinkFamily, type NetlinkFamilyPlugin } from './codec.js';
export {
  netlinkAddressSchema,
  type NetlinkAddress,
  type NetlinkAddressResult,
} from './schema.js';
export {
  buildMessage, parseMessages, NLMSG_HDRLEN, type NetlinkMessage, type NetlinkMessageInit,
} from './message.js';
export {
  buildAttributes, parseAttributes, attributeString, attributeU32, nlAlign,
  type Attribute, type AttributeInit,
} from './attributes.js';
export {
  buildRtgenmsg, buildIfinfomsg, parseIfinfomsg, type Ifinfomsg, type ParsedIfinfomsg,
} from './rtnetlink.js';
