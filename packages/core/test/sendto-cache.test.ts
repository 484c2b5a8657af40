/**
 * sendto keeps the encoded bytes of its last address (EncodeCache) while the
 * caller passes an equal one. These tests prove that what the cache returns
 * is always what encoding the address now would give: datagrams land where
 * the address of each call says, however the caller builds, reuses or
 * mutates its address values, and a host name is never kept.
 */
import * as fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type FamilyPlugin, SOCK_DGRAM, Socket, getFamily, registerFamily } from '@bsdsock/core';
import { AF_INET, AF_INET6, inet6Family, inetFamily } from '@bsdsock/inet';
import { AF_UNIX } from '@bsdsock/unix';
import { guardFds } from './fixtures/fd-guard.js';

guardFds();

const open: Socket[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

function udp(family: number = AF_INET): Socket {
  const s = new Socket(family, SOCK_DGRAM);
  open.push(s);
  return s;
}

function receiver(host = '127.0.0.1'): [Socket, number] {
  const r = udp(host.includes(':') ? AF_INET6 : AF_INET);
  r.bind([host, 0]);
  r.settimeout(5);
  return [r, (r.getsockname() as [string, number])[1]];
}

describe('sendto address cache', () => {
  it('each datagram goes where its own call says: alternating peers, fresh and reused arrays', async () => {
    const [a, portA] = receiver();
    const [b, portB] = receiver();
    const s = udp();
    const toA: [string, number] = ['127.0.0.1', portA];
    for (let i = 0; i < 6; i++) {
      const port = i % 2 === 0 ? portA : portB;
      // Even calls reuse one array, odd ones build a new one each time.
      const addr = i % 2 === 0 ? toA : ['127.0.0.1', port];
      if (i < 3) s.sendtoSync(Buffer.from(`m${i}`), addr);
      else await s.sendto(Buffer.from(`m${i}`), addr);
    }
    const gotA = [a.recvSync(16), a.recvSync(16), a.recvSync(16)].map(String);
    const gotB = [b.recvSync(16), b.recvSync(16), b.recvSync(16)].map(String);
    expect(gotA).toEqual(['m0', 'm2', 'm4']);
    expect(gotB).toEqual(['m1', 'm3', 'm5']);
  });

  it('an array mutated between calls sends to its new contents', () => {
    const [a, portA] = receiver();
    const [b, portB] = receiver();
    const s = udp();
    const addr: [string, number] = ['127.0.0.1', portA];
    s.sendtoSync(Buffer.from('first'), addr);
    addr[1] = portB;
    s.sendtoSync(Buffer.from('second'), addr);
    addr[1] = portA;
    s.sendtoSync(Buffer.from('third'), addr);
    expect([a.recvSync(16), a.recvSync(16)].map(String)).toEqual(['first', 'third']);
    expect(String(b.recvSync(16))).toBe('second');
  });

  it('a bytes host is never kept: mutating the bytes changes the destination', () => {
    const [a, portA] = receiver('127.0.0.1');
    // The second receiver on 127.0.0.2 at the same port: only the host differs.
    const d = udp();
    d.bind(['127.0.0.2', portA]);
    d.settimeout(5);
    const host = Buffer.from('127.0.0.1');
    const s = udp();
    s.sendtoSync(Buffer.from('one'), [host, portA]);
    host[host.length - 1] = 0x32; // '127.0.0.2'
    s.sendtoSync(Buffer.from('two'), [host, portA]);
    expect(String(a.recvSync(16))).toBe('one');
    expect(String(d.recvSync(16))).toBe('two');
  });

  it('an invalid address still raises every time, after a valid one was kept', () => {
    const [, port] = receiver();
    const s = udp();
    s.sendtoSync(Buffer.from('ok'), ['127.0.0.1', port]);
    expect(() => s.sendtoSync(Buffer.from('x'), ['127.0.0.1', 70000])).toThrow(RangeError);
    expect(() => s.sendtoSync(Buffer.from('x'), ['127.0.0.1', port, 0])).toThrow(TypeError);
    expect(() => s.sendtoSync(Buffer.from('x'), ['127.0.0.1'])).toThrow(TypeError);
  });

  it('a plugin registered later encodes the next call (the kept bytes belong to the old one)', () => {
    const [a, portA] = receiver();
    const [b, portB] = receiver();
    const s = udp();
    s.sendtoSync(Buffer.from('before'), ['127.0.0.1', portA]);
    const original = getFamily(AF_INET)!;
    // A plugin that sends everything for portA to portB instead.
    const redirect: FamilyPlugin = {
      ...original,
      encode: (address, ctx) => {
        const [host, port] = address as [string, number];
        return original.encode([host, port === portA ? portB : port], ctx);
      },
    };
    registerFamily(redirect);
    try {
      s.sendtoSync(Buffer.from('after'), ['127.0.0.1', portA]);
    } finally {
      registerFamily(original);
    }
    s.sendtoSync(Buffer.from('restored'), ['127.0.0.1', portA]);
    expect([a.recvSync(16), a.recvSync(16)].map(String)).toEqual(['before', 'restored']);
    expect(String(b.recvSync(16))).toBe('after');
  });

  it('AF_UNIX paths are kept; alternating paths still reach each peer', () => {
    const dir = `/tmp/bsdsock-cache-${process.pid}`;
    const paths = [`${dir}-a.sock`, `${dir}-b.sock`];
    const peers = paths.map((p) => {
      const r = udp(AF_UNIX);
      r.bind(p);
      r.settimeout(5);
      return r;
    });
    try {
      const s = udp(AF_UNIX);
      for (let i = 0; i < 4; i++) s.sendtoSync(Buffer.from(`u${i}`), paths[i % 2]!);
      expect([peers[0]!.recvSync(8), peers[0]!.recvSync(8)].map(String)).toEqual(['u0', 'u2']);
      expect([peers[1]!.recvSync(8), peers[1]!.recvSync(8)].map(String)).toEqual(['u1', 'u3']);
    } finally {
      for (const p of paths) fs.rmSync(p, { force: true });
    }
  });
});

describe('FamilyPlugin.stable', () => {
  it('AF_INET: a numeric host, "" and "<broadcast>" are stable; a name or bytes are not', () => {
    expect(inetFamily.stable!(['127.0.0.1', 1])).toBe(true);
    expect(inetFamily.stable!(['', 1])).toBe(true);
    expect(inetFamily.stable!(['<broadcast>', 1])).toBe(true);
    expect(inetFamily.stable!(['localhost', 1])).toBe(false);
    expect(inetFamily.stable!(['127.1', 1])).toBe(false); // getaddrinfo's form, looked up each time
    expect(inetFamily.stable!([Buffer.from('127.0.0.1'), 1])).toBe(false);
  });

  it('AF_INET6: a literal without %scope is stable; a scope or a name is not', () => {
    expect(inet6Family.stable!(['::1', 1])).toBe(true);
    expect(inet6Family.stable!(['fe80::1', 1, 0, 1])).toBe(true);
    expect(inet6Family.stable!(['fe80::1%lo', 1])).toBe(false);
    expect(inet6Family.stable!(['localhost', 1])).toBe(false);
  });
});
