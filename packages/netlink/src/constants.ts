/**
 * The netlink constants: Python's `AF_NETLINK` and `NETLINK_*`, re-exported
 * from `@bsdsock/core` (which reads them from this machine's headers), and
 * the message-level numbers of the kernel's netlink ABI, written here.
 *
 * Why two sources: `@bsdsock/core` exports every constant of Python's
 * socket module, so `AF_NETLINK` and the `NETLINK_*` protocols are core's,
 * and this package re-exports the same bindings. The `NLMSG_*`, `NLM_F_*`,
 * `RTM_*`, `RTMGRP_*` and `IFLA_*` numbers are not socket-module constants
 * (Python has none of them), and a package outside bsdsock cannot add names
 * to core's constant list. They are part of the kernel's user-space ABI
 * (the uapi headers), which never renumbers, so they are written here from
 * the headers cited at each group, as any netlink library does.
 *
 * @packageDocumentation
 */
export {
  AF_NETLINK,
  NETLINK_ROUTE, NETLINK_USERSOCK, NETLINK_FIREWALL, NETLINK_NFLOG, NETLINK_XFRM, NETLINK_IP6_FW,
  NETLINK_DNRTMSG, NETLINK_CRYPTO,
} from '@bsdsock/core';

// <linux/netlink.h>: message types every netlink protocol shares.

/** Nothing: skip the message. */
export const NLMSG_NOOP = 0x1;
/** An error, or an acknowledgement (error 0): the payload is `struct nlmsgerr`. */
export const NLMSG_ERROR = 0x2;
/** The end of a multi-part reply (a dump). */
export const NLMSG_DONE = 0x3;
/** Data lost. */
export const NLMSG_OVERRUN = 0x4;
/** Types below this are the control messages above. */
export const NLMSG_MIN_TYPE = 0x10;

// <linux/netlink.h>: nlmsg_flags.

/** A request (every message to the kernel carries it). */
export const NLM_F_REQUEST = 0x01;
/** Part of a multi-part reply, which NLMSG_DONE ends. */
export const NLM_F_MULTI = 0x02;
/** Asks for an acknowledgement: an NLMSG_ERROR with error 0. */
export const NLM_F_ACK = 0x04;
/** Echo this request to the sender's multicast groups. */
export const NLM_F_ECHO = 0x08;
/** The dump was inconsistent: the data changed while it ran. */
export const NLM_F_DUMP_INTR = 0x10;
/** The dump was filtered as requested. */
export const NLM_F_DUMP_FILTERED = 0x20;
/** GET: the whole table. */
export const NLM_F_ROOT = 0x100;
/** GET: every entry that matches. */
export const NLM_F_MATCH = 0x200;
/** GET: an atomic snapshot. */
export const NLM_F_ATOMIC = 0x400;
/** GET: a dump, `NLM_F_ROOT | NLM_F_MATCH`. */
export const NLM_F_DUMP = 0x300;
/** NEW: replace an existing object. */
export const NLM_F_REPLACE = 0x100;
/** NEW: fail if the object exists. */
export const NLM_F_EXCL = 0x200;
/** NEW: create the object if it does not exist. */
export const NLM_F_CREATE = 0x400;
/** NEW: add to the end of a list. */
export const NLM_F_APPEND = 0x800;
/** ACK: the request was capped (not echoed in full). */
export const NLM_F_CAPPED = 0x100;
/** ACK: extended-ack attributes follow. */
export const NLM_F_ACK_TLVS = 0x200;

// <linux/netlink.h>: attribute type flags.

/** The attribute holds nested attributes. */
export const NLA_F_NESTED = 0x8000;
/** The attribute's value is in network byte order. */
export const NLA_F_NET_BYTEORDER = 0x4000;
/** The type bits of an attribute's type field. */
export const NLA_TYPE_MASK = 0x3fff;

// <linux/rtnetlink.h>: NETLINK_ROUTE message types.

/** A link was created, or a link in a dump. */
export const RTM_NEWLINK = 16;
/** A link was deleted; delete a link. */
export const RTM_DELLINK = 17;
/** Get one link, or dump them all (NLM_F_DUMP). */
export const RTM_GETLINK = 18;
/** Change a link. */
export const RTM_SETLINK = 19;
/** An address was added, or an address in a dump. */
export const RTM_NEWADDR = 20;
/** An address was removed. */
export const RTM_DELADDR = 21;
/** Dump the addresses. */
export const RTM_GETADDR = 22;
/** A route was added, or a route in a dump. */
export const RTM_NEWROUTE = 24;
/** A route was removed. */
export const RTM_DELROUTE = 25;
/** Get a route, or dump them. */
export const RTM_GETROUTE = 26;

// <linux/rtnetlink.h>: the legacy multicast group bits of sockaddr_nl.nl_groups.

/** Link changes. */
export const RTMGRP_LINK = 0x1;
/** Notifications. */
export const RTMGRP_NOTIFY = 0x2;
/** IPv4 address changes. */
export const RTMGRP_IPV4_IFADDR = 0x10;
/** IPv4 route changes. */
export const RTMGRP_IPV4_ROUTE = 0x40;
/** IPv6 address changes. */
export const RTMGRP_IPV6_IFADDR = 0x100;
/** IPv6 route changes. */
export const RTMGRP_IPV6_ROUTE = 0x400;

// <linux/if_link.h>: the attributes of an RTM_NEWLINK message (after its ifinfomsg).

/** Nothing. */
export const IFLA_UNSPEC = 0;
/** The link-level (MAC) address: bytes. */
export const IFLA_ADDRESS = 1;
/** The link-level broadcast address: bytes. */
export const IFLA_BROADCAST = 2;
/** The interface name: a NUL-terminated string. */
export const IFLA_IFNAME = 3;
/** The MTU: u32. */
export const IFLA_MTU = 4;
/** The index of the link this one sits on: u32. */
export const IFLA_LINK = 5;
/** The queueing discipline: a string. */
export const IFLA_QDISC = 6;
/** 32-bit statistics: struct rtnl_link_stats. */
export const IFLA_STATS = 7;
/** The index of the master (bridge, bond) device: u32. */
export const IFLA_MASTER = 10;
/** The transmit queue length: u32. */
export const IFLA_TXQLEN = 13;
/** The RFC 2863 operational state: u8. */
export const IFLA_OPERSTATE = 16;
/** The link mode: u8. */
export const IFLA_LINKMODE = 17;
/** Link-kind information (nested). */
export const IFLA_LINKINFO = 18;
/** The interface alias: a string. */
export const IFLA_IFALIAS = 20;
/** 64-bit statistics: struct rtnl_link_stats64. */
export const IFLA_STATS64 = 23;
/** Per-address-family information (nested). */
export const IFLA_AF_SPEC = 26;
/** The device group: u32. */
export const IFLA_GROUP = 27;
/** The promiscuity count: u32 (> 0: promiscuous). */
export const IFLA_PROMISCUITY = 30;
/** The number of transmit queues: u32. */
export const IFLA_NUM_TX_QUEUES = 31;
/** The number of receive queues: u32. */
export const IFLA_NUM_RX_QUEUES = 32;
/** The carrier state: u8. */
export const IFLA_CARRIER = 33;
/** The smallest MTU the device accepts: u32. */
export const IFLA_MIN_MTU = 50;
/** The largest MTU the device accepts: u32. */
export const IFLA_MAX_MTU = 51;
/** An alternative interface name: a string. */
export const IFLA_ALT_IFNAME = 53;
/** The permanent hardware address: bytes. */
export const IFLA_PERM_ADDRESS = 54;
