/**
 * The flat namespace: `import * as socket from 'bsdsock'` has every export
 * of core and of every family package, each the very same binding (an
 * `export *` silently drops a name two packages export, so a clash would
 * show here as a missing name), and the names Python's `socket.__all__`
 * promises (MOD-30). Importing it registers every family.
 */
import { describe, expect, it } from 'vitest';
import * as bsdsock from 'bsdsock';
import * as alg from '@bsdsock/alg';
import * as bluetooth from '@bsdsock/bluetooth';
import * as can from '@bsdsock/can';
import * as core from '@bsdsock/core';
import * as hyperv from '@bsdsock/hyperv';
import * as inet from '@bsdsock/inet';
import * as netlink from '@bsdsock/netlink';
import * as packet from '@bsdsock/packet';
import * as qipcrtr from '@bsdsock/qipcrtr';
import * as rds from '@bsdsock/rds';
import * as tipc from '@bsdsock/tipc';
import * as unix from '@bsdsock/unix';
import * as vsock from '@bsdsock/vsock';

const packages: Record<string, Record<string, unknown>> = {
  core, inet, unix, packet, netlink, can, alg, tipc, vsock, bluetooth, hyperv, rds, qipcrtr,
};
const flat = bsdsock as Record<string, unknown>;

describe('bsdsock: every package in one namespace', () => {
  it.each(Object.keys(packages))('has every export of @bsdsock/%s, the same binding', (name) => {
    const pkg = packages[name]!;
    const missing = Object.keys(pkg).filter((k) => k !== 'default' && !(k in flat));
    expect(missing).toEqual([]);
    const different = Object.keys(pkg).filter((k) => k !== 'default' && flat[k] !== pkg[k]);
    expect(different).toEqual([]);
  });

  it('no name is exported by two packages with different values', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const [name, pkg] of Object.entries(packages)) {
      for (const k of Object.keys(pkg)) {
        const first = owner.get(k);
        if (first !== undefined && packages[first]![k] !== pkg[k]) clashes.push(`${k}: ${first} and ${name}`);
        owner.set(k, name);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('has the names Python\'s socket.__all__ promises (MOD-30), in bsdsock\'s spelling', () => {
    for (const name of ['socket', 'Socket', 'SocketType', 'socketpair', 'fromfd', 'dup', 'close', 'getfqdn',
      'createConnection', 'createServer', 'hasDualstackIpv6', 'AddressFamily', 'SocketKind', 'MsgFlag',
      'AddressInfo', 'sendFds', 'recvFds', 'getaddrinfo', 'getnameinfo', 'gethostname', 'inetPton', 'inetNtop',
      'OSError', 'error', 'timeout', 'herror', 'gaierror', 'has_ipv6', 'CMSG_LEN', 'CMSG_SPACE', 'AF_INET',
      'AF_UNIX', 'SOCK_STREAM', 'SOL_SOCKET']) {
      expect(flat[name], name).toBeDefined();
    }
  });

  it('importing bsdsock registers every family a package of it owns on this platform', () => {
    const families = core.registeredFamilies();
    for (const af of ['AF_INET', 'AF_INET6', 'AF_UNIX', 'AF_PACKET', 'AF_NETLINK', 'AF_CAN', 'AF_ALG', 'AF_TIPC',
      'AF_VSOCK', 'AF_BLUETOOTH', 'AF_RDS', 'AF_QIPCRTR']) {
      const n = flat[af];
      expect(typeof n, af).toBe('number');
      expect(families.has(n as number), af).toBe(true);
    }
  });
});
