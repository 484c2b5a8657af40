/**
 * Batched datagrams (sendmmsg/recvmmsg, beyond Python) and pre-encoded
 * addresses, on real UDP and AF_UNIX sockets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EncodedAddress, OSError, SOCK_DGRAM, SOCK_STREAM, Socket, TimeoutError, socketpair,
} from '@bsdsock/core';
import { AF_INET, AF_INET6 } from '@bsdsock/inet';
import { AF_UNIX } from '@bsdsock/unix';
import { guardFds } from './fixtures/fd-guard.js';

guardFds();

function udpPair(): [Socket<typeof AF_INET>, Socket<typeof AF_INET>] {
  const r = new Socket(AF_INET, SOCK_DGRAM);
  r.bind(['127.0.0.1', 0]);
  const s = new Socket(AF_INET, SOCK_DGRAM);
  s.bind(['127.0.0.1', 0]);
  return [s, r];
}

describe('sendmmsg / recvmmsg', () => {
  let s: Socket<typeof AF_INET>;
  let r: Socket<typeof AF_INET>;
  beforeAll(() => {
    [s, r] = udpPair();
    r.settimeout(5);
  });
  afterAll(() => {
    s.close();
    r.close();
  });

  it('sends many datagrams in one call and receives them in one call, with their addresses (Sync)', () => {
    const dest = r.getsockname();
    const msgs = Array.from({ length: 50 }, (_, i) => [Buffer.from(`message ${i}`), dest] as const);
    expect(s.sendmmsgSync(msgs)).toBe(50);
    const got: Buffer[] = [];
    while (got.length < 50) {
      const batch = r.recvmmsgSync(64, 100);
      expect(batch.length).toBeGreaterThan(0);
      for (const [data, addr] of batch) {
        expect(addr).toEqual(s.getsockname());
        got.push(data);
      }
    }
    expect(got.map(String)).toEqual(msgs.map(([d]) => d.toString()));
  });

  it('the Promise forms: recvmmsg waits for the first datagram and returns what is there', async () => {
    const p = r.recvmmsg(16, 100);
    setTimeout(() => s.sendmmsg([[Buffer.from('a'), r.getsockname()], [Buffer.from('bb'), r.getsockname()]]), 20);
    let batch = await p;
    const all = batch.map(([d]) => d.toString());
    while (all.length < 2) {
      batch = await r.recvmmsg(16, 100);
      all.push(...batch.map(([d]) => d.toString()));
    }
    expect(all).toEqual(['a', 'bb']);
  });

  it('more than 1024 messages are sent in several system calls', async () => {
    const dest = EncodedAddress.of(s, r.getsockname());
    const msgs = Array.from({ length: 1500 }, () => [Buffer.from('x'), dest] as const);
    r.setsockopt(1, 8, 4 * 1024 * 1024); // SO_RCVBUF, so that none is dropped
    const sent = await s.sendmmsg(msgs);
    expect(sent).toBeGreaterThan(1024);
    let received = 0;
    while (received < sent) received += (await r.recvmmsg(1024, 8)).length;
    expect(received).toBe(sent);
  });

  it('truncates a datagram longer than bufsize to bufsize, as recv does', () => {
    s.sendtoSync(Buffer.from('0123456789'), r.getsockname());
    const [[data]] = r.recvmmsgSync(4, 3) as [[Buffer, unknown]];
    expect(data.toString()).toBe('012');
  });

  it('recvmmsg gives each message its own sender, as its own array, when senders alternate', () => {
    const t = new Socket(AF_INET, SOCK_DGRAM);
    try {
      t.bind(['127.0.0.1', 0]);
      const dest = r.getsockname();
      for (let i = 0; i < 3; i++) {
        s.sendtoSync(Buffer.from(`s${i}`), dest);
        s.sendtoSync(Buffer.from(`s${i}b`), dest);
        t.sendtoSync(Buffer.from(`t${i}`), dest);
      }
      const got: [Buffer, unknown][] = [];
      while (got.length < 9) got.push(...r.recvmmsgSync(16, 10));
      for (const [data, addr] of got) {
        expect(addr).toEqual((data.toString().startsWith('s') ? s : t).getsockname());
      }
      const addrs = got.map(([, a]) => a);
      expect(new Set(addrs).size).toBe(addrs.length);
    } finally {
      t.close();
    }
  });

  it('a connected socket sends without addresses', () => {
    const c = new Socket(AF_INET, SOCK_DGRAM);
    try {
      c.connectSync(r.getsockname());
      expect(c.sendmmsgSync([[Buffer.from('p')], [Buffer.from('q'), null]])).toBe(2);
      const got: string[] = [];
      while (got.length < 2) got.push(...r.recvmmsgSync(8, 10).map(([d]) => d.toString()));
      expect(got).toEqual(['p', 'q']);
    } finally {
      c.close();
    }
  });

  it('an unconnected socket without an address fails with EDESTADDRREQ; nothing sent', () => {
    const c = new Socket(AF_INET, SOCK_DGRAM);
    try {
      expect(() => c.sendmmsgSync([[Buffer.from('p')]])).toThrow(OSError);
      try {
        c.sendmmsgSync([[Buffer.from('p')]]);
      } catch (err) {
        expect((err as OSError).code).toBe('EDESTADDRREQ');
      }
    } finally {
      c.close();
    }
  });

  it('timeouts: Sync in timeout mode raises TimeoutError; Promise rejects with it', async () => {
    const q = new Socket(AF_INET, SOCK_DGRAM);
    try {
      q.bind(['127.0.0.1', 0]);
      q.settimeout(0.05);
      expect(() => q.recvmmsgSync(4, 10)).toThrow(TimeoutError);
      await expect(q.recvmmsg(4, 10)).rejects.toBeInstanceOf(TimeoutError);
      q.setblocking(false);
      expect(() => q.recvmmsgSync(4, 10)).toThrow(expect.objectContaining({ code: 'EAGAIN' }));
    } finally {
      q.close();
    }
  });

  it('bad arguments: TypeError / RangeError, and Promise forms reject instead of throwing', async () => {
    expect(() => s.sendmmsgSync('nope' as never)).toThrow(TypeError);
    expect(() => s.sendmmsgSync([['x' as never]])).toThrow(TypeError);
    expect(() => s.sendmmsgSync([[Buffer.from('x'), ['127.0.0.1', 70000]]])).toThrow(RangeError);
    expect(() => r.recvmmsgSync(0, 10)).toThrow(RangeError);
    expect(() => r.recvmmsgSync(2000, 10)).toThrow(RangeError);
    expect(() => r.recvmmsgSync(4, -1)).toThrow(RangeError);
    expect(() => r.recvmmsgSync(1.5, 10)).toThrow(TypeError);
    await expect(s.sendmmsg(5 as never)).rejects.toBeInstanceOf(TypeError);
    await expect(r.recvmmsg(0, 10)).rejects.toBeInstanceOf(RangeError);
  });

  it('works for every datagram family: AF_UNIX and AF_INET6', async () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_DGRAM);
    try {
      expect(a.sendmmsgSync([[Buffer.from('u1')], [Buffer.from('u2')]])).toBe(2);
      const got = await b.recvmmsg(4, 10);
      expect(got.map(([d]) => d.toString())).toEqual(['u1', 'u2']);
      expect(got[0]![1]).toBeNull();
    } finally {
      a.close();
      b.close();
    }
    const six = new Socket(AF_INET6, SOCK_DGRAM);
    try {
      six.bind(['::1', 0]);
      six.settimeout(5);
      expect(six.sendmmsgSync([[Buffer.from('v6'), six.getsockname()]])).toBe(1);
      const [[data, addr]] = six.recvmmsgSync(2, 10) as [[Buffer, readonly [string, number, number, number]]];
      expect(data.toString()).toBe('v6');
      expect(addr[0]).toBe('::1');
    } finally {
      six.close();
    }
  });
});

describe('EncodedAddress', () => {
  it('is reused by sendto, sendmsg and connect, and equals the tuple', () => {
    const [s, r] = udpPair();
    try {
      r.settimeout(5);
      const dest = EncodedAddress.of(s, r.getsockname());
      expect(dest.family).toBe(AF_INET);
      for (let i = 0; i < 3; i++) expect(s.sendtoSync(Buffer.from(`e${i}`), dest)).toBe(2);
      expect(s.sendmsgSync([Buffer.from('m')], [], 0, dest)).toBe(1);
      expect([0, 1, 2, 3].map(() => r.recvSync(10).toString())).toEqual(['e0', 'e1', 'e2', 'm']);
      s.connectSync(dest);
      expect(s.getpeername()).toEqual(r.getsockname());
    } finally {
      s.close();
      r.close();
    }
  });

  it('is validated once, when made, and refused by a socket of another family', () => {
    const s = new Socket(AF_INET, SOCK_STREAM);
    const u = new Socket(AF_UNIX, SOCK_DGRAM);
    try {
      expect(() => EncodedAddress.of(s, ['127.0.0.1', 70000])).toThrow(RangeError);
      const dest = EncodedAddress.of(s, ['127.0.0.1', 9]);
      expect(() => u.sendtoSync(Buffer.from('x'), dest)).toThrow(TypeError);
    } finally {
      s.close();
      u.close();
    }
  });
});

describe('EncodedAddress in the Promise forms', () => {
  it('sendto(data, encoded) and sendto(data, flags, encoded, {signal}) take it as the address', async () => {
    const [s, r] = udpPair();
    try {
      r.settimeout(5);
      const dest = EncodedAddress.of(s, r.getsockname());
      expect(await s.sendto(Buffer.from('p1'), dest)).toBe(2);
      expect(await s.sendto(Buffer.from('p2'), 0, dest, { signal: new AbortController().signal })).toBe(2);
      expect(await s.sendmsg([Buffer.from('p3')], [], 0, dest)).toBe(2);
      expect([(await r.recv(10)).toString(), (await r.recv(10)).toString(), (await r.recv(10)).toString()])
        .toEqual(['p1', 'p2', 'p3']);
    } finally {
      s.close();
      r.close();
    }
  });
});
