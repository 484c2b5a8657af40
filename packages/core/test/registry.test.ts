/**
 * The family registry through its public API only, as an outside package
 * would use it: a small AF_NETLINK plugin registered with registerFamily
 * then used end to end on a real netlink socket (one test calls core's
 * address decoder directly, for a case only AF_RDS produces).
 */
import { describe, expect, it } from 'vitest';
import {
  AF_NETLINK, SOCK_RAW, Socket, getFamily, registerFamily, registeredFamilies,
  type AddressContext, type FamilyPlugin,
} from '@bsdsock/core';

type NetlinkAddress = readonly [pid: number, groups: number];

const netlink: FamilyPlugin<NetlinkAddress> = {
  family: AF_NETLINK,
  name: 'AF_NETLINK',
  encode(address: unknown, ctx: AddressContext): Buffer {
    if (!Array.isArray(address) || address.length !== 2) {
      throw new TypeError(`${ctx.caller}(): AF_NETLINK address must be [pid, groups]`);
    }
    const [pid, groups] = address as unknown[];
    if (typeof pid !== 'number' || typeof groups !== 'number') {
      throw new TypeError(`${ctx.caller}(): AF_NETLINK pid and groups must be numbers`);
    }
    const b = Buffer.alloc(12);
    b.writeUInt16LE(AF_NETLINK, 0);
    b.writeUInt32LE(pid, 4);
    b.writeUInt32LE(groups, 8);
    return b;
  },
  decode(bytes: Buffer): NetlinkAddress {
    return [bytes.readUInt32LE(4), bytes.readUInt32LE(8)];
  },
};

describe('registerFamily', () => {
  it('rejects what is not a plugin', () => {
    expect(() => registerFamily(null as unknown as FamilyPlugin)).toThrow(TypeError);
    expect(() => registerFamily({ ...netlink, family: -1 })).toThrow(RangeError);
    expect(() => registerFamily({ ...netlink, family: 1.5 })).toThrow(RangeError);
    expect(() => registerFamily({ ...netlink, family: 0x10000 })).toThrow(RangeError);
    expect(() => registerFamily({ family: 99, name: 'X' } as unknown as FamilyPlugin)).toThrow(TypeError);
  });

  it('before registration, the family uses raw [family, Buffer] addresses (OTH-03: decoded as CPython does; given raw where CPython says "bad family", as API.md specifies)', () => {
    expect(getFamily(AF_NETLINK)).toBeUndefined();
    const s = new Socket(AF_NETLINK, SOCK_RAW, 0);
    try {
      const addr = s.getsockname() as unknown as [number, Buffer];
      expect(addr[0]).toBe(AF_NETLINK);
      expect(Buffer.isBuffer(addr[1])).toBe(true);
    } finally {
      s.close();
    }
  });

  it('a registered plugin encodes and decodes the addresses of real sockets', () => {
    expect(registerFamily(netlink)).toBeUndefined();
    expect(getFamily(AF_NETLINK)).toBe(netlink);
    expect(registeredFamilies().get(AF_NETLINK)).toBe(netlink);
    const s = new Socket(AF_NETLINK, SOCK_RAW, 0);
    try {
      s.bind([0, 0]);
      const [pid, groups] = s.getsockname() as NetlinkAddress;
      expect(pid).toBeGreaterThan(0); // the kernel assigned a port id
      expect(groups).toBe(0);
      expect(() => s.bind('nope')).toThrow(/^bind\(\): AF_NETLINK address must be \[pid, groups\]/);
    } finally {
      s.close();
    }
  });

  it('an address of a family with no plugin is decoded by the socket\'s family\'s plugin (AF_RDS sockets report AF_INET addresses)', async () => {
    const { decodeAddress } = await import('../src/sockaddr.js');
    const bytes = Buffer.alloc(12);
    bytes.writeUInt16LE(0x7777, 0); // a family nobody registered
    bytes.writeUInt32LE(42, 4);
    bytes.writeUInt32LE(7, 8);
    const ctx = { family: AF_NETLINK, type: SOCK_RAW, proto: 0, caller: 'getsockname' };
    expect(decodeAddress(bytes, 12, ctx)).toEqual([42, 7]);
    // With neither registered, the raw form.
    expect(decodeAddress(bytes, 12, { ...ctx, family: 0x7778 })).toEqual([0x7777, bytes]);
  });

  it('registering again replaces the plugin and returns the previous one', () => {
    const again = { ...netlink };
    expect(registerFamily(again)).toBe(netlink);
    expect(getFamily(AF_NETLINK)).toBe(again);
  });
});

describe('a plugin whose family refuses a peer address on accept (AF_ALG does)', () => {
  it('acceptAddress: false makes accept(2) ask for none, and accept() returns a null address', async () => {
    const { AF_UNIX } = await import('@bsdsock/unix');
    const unix = getFamily(AF_UNIX)!;
    registerFamily({ ...unix, acceptAddress: false });
    const srv = new Socket(AF_UNIX, 1);
    const cli = new Socket(AF_UNIX, 1);
    try {
      srv.bind(Buffer.from(`\0bsdsock-accept-${process.pid}`));
      srv.listen();
      srv.settimeout(5);
      cli.connectSync(srv.getsockname());
      const [conn, addr] = srv.acceptSync();
      expect(addr).toBeNull();
      conn.close();
      const p = srv.accept();
      const cli2 = new Socket(AF_UNIX, 1);
      cli2.connectSync(srv.getsockname());
      const [conn2, addr2] = await p;
      expect(addr2).toBeNull();
      conn2.close();
      cli2.close();
    } finally {
      registerFamily(unix);
      srv.close();
      cli.close();
    }
  });
});
