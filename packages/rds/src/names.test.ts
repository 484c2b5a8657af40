/**
 * Host names on AF_RDS, resolved as CPython's setipaddr() resolves them for
 * AF_INET, through the registered AF_INET family (this file imports
 * `@bsdsock/inet`, as the flat `bsdsock` package does). Only names that
 * need no DNS query: `localhost` from /etc/hosts, and `127.1`, a numeric
 * form only getaddrinfo(3) accepts.
 */
import { describe, expect, it } from 'vitest';
import { AF_RDS, SOCK_SEQPACKET, type AddressContext } from '@bsdsock/core';
import '@bsdsock/inet';
import { rdsFamily } from './codec.js';

const ctx: AddressContext = { family: AF_RDS, type: SOCK_SEQPACKET, proto: 0, caller: 'sendto' };
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

describe('AF_RDS host names (RDS-02)', () => {
  it.each([
    [['localhost', 4000], '0200 0fa0 7f000001 0000000000000000'],
    [[Buffer.from('localhost'), 1], '0200 0001 7f000001 0000000000000000'],
    [['127.1', 80], '0200 0050 7f000001 0000000000000000'],
  ])('resolves %j with getaddrinfo, on this thread and off it', async (address, golden) => {
    expect(rdsFamily.encode(address, ctx)).toEqual(hex(golden));
    const pending = rdsFamily.encodeAsync!(address, ctx);
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toEqual(hex(golden));
  });
});
