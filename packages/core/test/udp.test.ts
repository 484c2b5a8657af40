/**
 * UDP on real loopback sockets: CPython's behaviours UDP-01..UDP-19 (see
 * the conformance checklist), in the Promise form and in the Sync form
 * where the operation can wait. Nothing is sent to a broadcast address.
 *
 * Every wait is bounded: the default timeout is 5 s for the whole file, so
 * a Sync call can never hang the worker. Datagrams sent on loopback are in
 * the receiver's queue when sendto returns, so the Sync forms need no
 * second thread.
 */
import { constants as osConstants } from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BlockingIOError, OSError, Socket, TimeoutError, getdefaulttimeout, setdefaulttimeout,
  MSG_PEEK, SOCK_DGRAM, SOL_SOCKET, SO_BROADCAST,
} from '@bsdsock/core';
import { AF_INET, AF_INET6, IPPROTO_UDP, IPPROTO_UDPLITE } from '@bsdsock/inet';
import { countOpenFds, listOpenFds } from '@bsdsock/test-utils';
import { expectOSError, rejectionOf, thrownBy } from './fixtures/assertions.js';

const E = osConstants.errno;
const MSG = Buffer.from('Michael Gilfix was here\u1234\r\n', 'utf8');
const HOST = '127.0.0.1';

const opened: Socket[] = [];

function track<T extends Socket>(s: T): T {
  opened.push(s);
  return s;
}

function udp(family = AF_INET, proto = 0): Socket {
  return track(new Socket(family, SOCK_DGRAM, proto));
}

function bound(family = AF_INET, proto = 0): Socket {
  const s = udp(family, proto);
  s.bind([family === AF_INET6 ? '::1' : HOST, 0]);
  return s;
}

/** A bound server and a bound client: [server, client]. */
function udpPair(family = AF_INET, proto = 0): [Socket, Socket] {
  return [bound(family, proto), bound(family, proto)];
}

function portOf(s: Socket): number {
  return (s.getsockname() as [string, number])[1];
}

/** Probed once at collection time, so that whole suites can be skipped with a reason. */
function probe(family: number, proto: number, host: string): string | undefined {
  let s: Socket;
  try {
    s = new Socket(family, SOCK_DGRAM, proto);
  } catch (err) {
    if (err instanceof OSError && (err.errno === E.EPROTONOSUPPORT || err.errno === 94 /* ESOCKTNOSUPPORT */ || err.errno === E.EAFNOSUPPORT)) {
      return err.message;
    }
    throw err;
  }
  try {
    s.bind([host, 0]);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  } finally {
    s.close();
  }
}

const noIPv6 = probe(AF_INET6, 0, '::1');
const noUdplite = probe(AF_INET, IPPROTO_UDPLITE, HOST);
const noUdplite6 = noUdplite ?? noIPv6;
const skipped = (why: string | undefined): string => (why === undefined ? '' : ` (skipped: ${why})`);

let fdsBefore = 0;
let savedDefault: number | null = null;

beforeAll(() => {
  savedDefault = getdefaulttimeout();
  setdefaulttimeout(5);
  fdsBefore = countOpenFds();
});

afterEach(() => {
  for (const s of opened.splice(0)) {
    try {
      s.close();
    } catch {
      // already gone
    }
  }
});

afterAll(() => {
  setdefaulttimeout(savedDefault);
  expect(countOpenFds(), `fds open now: ${JSON.stringify([...listOpenFds()])}`).toBe(fdsBefore);
});

/** The behaviours that hold for UDP and UDP-Lite alike (UDP-18), over IPv4 and IPv6. */
function basicSuite(family: number, proto: number): void {
  const any = family === AF_INET6 ? '::1' : HOST;

  it('UDP-01: sendto(MSG, 0, addr); recv(len) returns MSG (Promise)', async () => {
    const [srv, cli] = udpPair(family, proto);
    expect(await cli.sendto(MSG, 0, srv.getsockname())).toBe(MSG.length);
    expect(await srv.recv(MSG.length)).toEqual(MSG);
  });

  it('UDP-01: sendtoSync(MSG, 0, addr); recvSync(len) returns MSG (Sync)', () => {
    const [srv, cli] = udpPair(family, proto);
    expect(cli.sendtoSync(MSG, 0, srv.getsockname())).toBe(MSG.length);
    expect(srv.recvSync(MSG.length)).toEqual(MSG);
  });

  it('UDP-02: recvfrom returns [MSG, address] and the address is the sender\'s getsockname (both forms)', async () => {
    const [srv, cli] = udpPair(family, proto);
    await cli.sendto(MSG, srv.getsockname());
    const [data, addr] = await srv.recvfrom(MSG.length);
    expect(data).toEqual(MSG);
    expect(addr).toEqual(cli.getsockname());
    cli.sendtoSync(MSG, srv.getsockname());
    const [data2, addr2] = srv.recvfromSync(MSG.length);
    expect(data2).toEqual(MSG);
    expect(addr2).toEqual(cli.getsockname());
  });

  it('UDP-03: recvfrom(-1) is a RangeError "negative buffersize in recvfrom" (both forms)', async () => {
    const [srv] = udpPair(family, proto);
    const e1 = await rejectionOf(srv.recvfrom(-1));
    expect(e1).toBeInstanceOf(RangeError);
    expect(e1.message).toBe('negative buffersize in recvfrom');
    const e2 = thrownBy(() => srv.recvfromSync(-1));
    expect(e2).toBeInstanceOf(RangeError);
    expect(e2.message).toBe('negative buffersize in recvfrom');
  });

  it('UDP-14: with a timeout and no data, recv raises TimeoutError "timed out" (both forms)', async () => {
    const srv = bound(family, proto);
    srv.settimeout(0.2);
    const t0 = performance.now();
    const e1 = await rejectionOf(srv.recv(100));
    expect(e1).toBeInstanceOf(TimeoutError);
    expect(e1.errno).toBeNull();
    expect(e1.message).toBe('timed out');
    expect(performance.now() - t0).toBeGreaterThan(150);
    const t1 = performance.now();
    const e2 = thrownBy(() => srv.recvfromSync(100));
    expect(e2).toBeInstanceOf(TimeoutError);
    expect(e2.errno).toBeNull();
    expect(e2.message).toBe('timed out');
    expect(performance.now() - t1).toBeGreaterThan(150);
    expect(performance.now() - t1).toBeLessThan(3000);
  });

  it('UDP-14: with timeout 0 and no data, recvSync raises BlockingIOError EAGAIN at once (Sync)', () => {
    const srv = bound(family, proto);
    srv.settimeout(0);
    expectOSError(thrownBy(() => srv.recvSync(100)), BlockingIOError, E.EAGAIN);
    expectOSError(thrownBy(() => srv.recvfromSync(100)), BlockingIOError, E.EAGAIN);
    expectOSError(thrownBy(() => srv.recvIntoSync(Buffer.alloc(8))), BlockingIOError, E.EAGAIN);
    expectOSError(thrownBy(() => srv.recvfromIntoSync(Buffer.alloc(8))), BlockingIOError, E.EAGAIN);
  });

  it('a pending recvfrom resolves when a datagram arrives (Promise)', async () => {
    const [srv, cli] = udpPair(family, proto);
    const pending = srv.recvfrom(100);
    await new Promise((r) => setTimeout(r, 30));
    await cli.sendto(MSG, any === '::1' ? ['::1', portOf(srv)] : [HOST, portOf(srv)]);
    const [data, addr] = await pending;
    expect(data).toEqual(MSG);
    expect(addr).toEqual(cli.getsockname());
  });
}

describe('UDP over IPv4', () => {
  basicSuite(AF_INET, 0);

  it('a UDP socket is SOCK_DGRAM with proto 0, or IPPROTO_UDP when asked', () => {
    const a = udp();
    expect([a.family, a.type, a.proto]).toEqual([AF_INET, SOCK_DGRAM, 0]);
    const b = udp(AF_INET, IPPROTO_UDP);
    expect(b.proto).toBe(IPPROTO_UDP);
  });

  it('UDP-04: string data is a TypeError "a bytes-like object is required", with 2 or 3 arguments (both forms)', async () => {
    const [srv, cli] = udpPair();
    const addr = srv.getsockname();
    for (const data of ['\u2620', 5, null, { length: 3 }]) {
      for (const rest of [[addr], [0, addr]]) {
        const e1 = await rejectionOf((cli.sendto as Function)(data, ...rest));
        expect(e1).toBeInstanceOf(TypeError);
        expect(e1.message).toMatch(/a bytes-like object is required/);
        const e2 = thrownBy(() => (cli.sendtoSync as Function).call(cli, data, ...rest));
        expect(e2).toBeInstanceOf(TypeError);
        expect(e2.message).toMatch(/a bytes-like object is required/);
      }
    }
  });

  it('UDP-04: a null address, a non-integer flags or null flags is a TypeError (both forms)', async () => {
    const [srv, cli] = udpPair();
    const addr = srv.getsockname();
    const cases: unknown[][] = [[null], [0, null], ['bar', addr], [null, null], [1.5, addr]];
    for (const rest of cases) {
      const e1 = await rejectionOf((cli.sendto as Function).call(cli, Buffer.from('foo'), ...rest));
      expect(e1, JSON.stringify(rest)).toBeInstanceOf(TypeError);
      const e2 = thrownBy(() => (cli.sendtoSync as Function).call(cli, Buffer.from('foo'), ...rest));
      expect(e2, JSON.stringify(rest)).toBeInstanceOf(TypeError);
    }
    const e3 = thrownBy(() => cli.sendtoSync(Buffer.from('foo'), null as never));
    expect(e3.message).toMatch(/^sendto\(\): AF_INET address must be .*null/);
  });

  it('UDP-05: sendto with 1 or 4 arguments: "sendto() takes 2 or 3 arguments (N given)" (both forms)', async () => {
    const [srv, cli] = udpPair();
    const e1 = thrownBy(() => (cli.sendtoSync as Function).call(cli, Buffer.from('foo')));
    expect(e1).toBeInstanceOf(TypeError);
    expect(e1.message).toBe('sendto() takes 2 or 3 arguments (1 given)');
    const e2 = thrownBy(() => (cli.sendtoSync as Function).call(cli, Buffer.from('foo'), 0, srv.getsockname(), 4));
    expect(e2).toBeInstanceOf(TypeError);
    expect(e2.message).toBe('sendto() takes 2 or 3 arguments (4 given)');
    const e3 = await rejectionOf((cli.sendto as Function).call(cli, Buffer.from('foo')));
    expect(e3).toBeInstanceOf(TypeError);
    expect(e3.message).toBe('sendto() takes 2 or 3 arguments (1 given)');
  });

  it('sendto address checks name sendto() and the family (both forms)', async () => {
    const cli = udp();
    const e1 = await rejectionOf(cli.sendto(MSG, [HOST, 70000]));
    expect(e1).toBeInstanceOf(RangeError);
    expect(e1.message).toMatch(/^sendto\(\): AF_INET port must be 0-65535/);
    const e2 = thrownBy(() => cli.sendtoSync(MSG, 0, [HOST]));
    expect(e2).toBeInstanceOf(TypeError);
    expect(e2.message).toMatch(/^sendto\(\): AF_INET address must be/);
  });

  it('sendto resolves "localhost" (both forms)', async () => {
    const [srv, cli] = udpPair();
    await cli.sendto(Buffer.from('a'), ['localhost', portOf(srv)]);
    cli.sendtoSync(Buffer.from('b'), ['localhost', portOf(srv)]);
    expect((await srv.recv(10)).toString()).toBe('a');
    expect(srv.recvSync(10).toString()).toBe('b');
  });

  it('UDP-06: recv(3) of a 10-byte datagram gives 3 bytes, drops the rest; the next recv gets the next datagram (Promise)', async () => {
    const [srv, cli] = udpPair();
    await cli.sendto(Buffer.from('0123456789'), srv.getsockname());
    await cli.sendto(Buffer.from('next'), srv.getsockname());
    expect((await srv.recv(3)).toString()).toBe('012');
    expect((await srv.recv(100)).toString()).toBe('next');
    await cli.sendto(Buffer.from('0123456789'), srv.getsockname());
    await cli.sendto(Buffer.from('next'), srv.getsockname());
    const [d, a] = await srv.recvfrom(3);
    expect([d.toString(), a]).toEqual(['012', cli.getsockname()]);
    expect((await srv.recvfrom(100))[0].toString()).toBe('next');
  });

  it('UDP-06: truncation (Sync)', () => {
    const [srv, cli] = udpPair();
    cli.sendtoSync(Buffer.from('0123456789'), srv.getsockname());
    cli.sendtoSync(Buffer.from('next'), srv.getsockname());
    expect(srv.recvSync(3).toString()).toBe('012');
    expect(srv.recvSync(100).toString()).toBe('next');
    cli.sendtoSync(Buffer.from('0123456789'), srv.getsockname());
    cli.sendtoSync(Buffer.from('next'), srv.getsockname());
    const buf = Buffer.alloc(3);
    expect(srv.recvfromIntoSync(buf)).toEqual([3, cli.getsockname()]);
    expect(buf.toString()).toBe('012');
    expect(srv.recvSync(100).toString()).toBe('next');
  });

  it('UDP-08: an empty datagram: sendto gives 0, recvfrom gives [empty, address] (both forms)', async () => {
    const [srv, cli] = udpPair();
    expect(await cli.sendto(Buffer.alloc(0), srv.getsockname())).toBe(0);
    const [d, a] = await srv.recvfrom(100);
    expect(d).toEqual(Buffer.alloc(0));
    expect(a).toEqual(cli.getsockname());
    expect(cli.sendtoSync(new Uint8Array(0), srv.getsockname())).toBe(0);
    expect(srv.recvfromSync(100)).toEqual([Buffer.alloc(0), cli.getsockname()]);
    // An empty datagram is a datagram: recv(100) returns it as empty, and the next one follows.
    await cli.sendto(Buffer.alloc(0), srv.getsockname());
    await cli.sendto(Buffer.from('after'), srv.getsockname());
    expect(await srv.recv(100)).toEqual(Buffer.alloc(0));
    expect(srv.recvSync(100).toString()).toBe('after');
  });

  it('UDP-09: send on an unconnected UDP socket is a plain OSError EDESTADDRREQ (both forms)', async () => {
    const s = udp();
    expectOSError(await rejectionOf(s.send(MSG)), OSError, E.EDESTADDRREQ);
    expectOSError(thrownBy(() => s.sendSync(MSG)), OSError, E.EDESTADDRREQ);
    expectOSError(await rejectionOf(s.sendall(MSG)), OSError, E.EDESTADDRREQ);
    expectOSError(thrownBy(() => s.sendallSync(MSG)), OSError, E.EDESTADDRREQ);
  });

  it('UDP-10: a 70000-byte datagram is a plain OSError EMSGSIZE (both forms)', async () => {
    const [srv, cli] = udpPair();
    const big = Buffer.alloc(70000);
    expectOSError(await rejectionOf(cli.sendto(big, srv.getsockname())), OSError, E.EMSGSIZE);
    expectOSError(thrownBy(() => cli.sendtoSync(big, srv.getsockname())), OSError, E.EMSGSIZE);
    cli.connectSync(srv.getsockname());
    expectOSError(await rejectionOf(cli.send(big)), OSError, E.EMSGSIZE);
    expectOSError(thrownBy(() => cli.sendSync(big)), OSError, E.EMSGSIZE);
  });

  it('UDP-11: connect sets the default peer: getpeername, send, and the server sees the client (Promise)', async () => {
    const [srv, cli] = udpPair();
    await cli.connect(srv.getsockname());
    expect(cli.getpeername()).toEqual(srv.getsockname());
    expect(await cli.send(MSG)).toBe(MSG.length);
    const [d, a] = await srv.recvfrom(1024);
    expect(d).toEqual(MSG);
    expect(a).toEqual(cli.getsockname());
    // The connected socket only hears from its peer.
    const other = bound();
    await other.sendto(Buffer.from('stranger'), cli.getsockname());
    await srv.sendto(Buffer.from('peer'), cli.getsockname());
    expect((await cli.recv(100)).toString()).toBe('peer');
  });

  it('UDP-11: connected UDP (Sync)', () => {
    const [srv, cli] = udpPair();
    cli.connectSync(srv.getsockname());
    expect(cli.getpeername()).toEqual(srv.getsockname());
    expect(cli.sendSync(MSG)).toBe(MSG.length);
    cli.sendallSync(Buffer.from('all'));
    expect(srv.recvfromSync(1024)).toEqual([MSG, cli.getsockname()]);
    expect(srv.recvfromSync(1024)).toEqual([Buffer.from('all'), cli.getsockname()]);
    expect(cli.connectExSync(srv.getsockname())).toBe(0);
  });

  it('UDP-12: SO_BROADCAST starts at 0 and can be set (nothing is broadcast)', () => {
    const s = udp();
    expect(s.getsockopt(SOL_SOCKET, SO_BROADCAST)).toBe(0);
    s.setsockopt(SOL_SOCKET, SO_BROADCAST, 1);
    expect(s.getsockopt(SOL_SOCKET, SO_BROADCAST)).toBe(1);
    s.setsockopt(SOL_SOCKET, SO_BROADCAST, false);
    expect(s.getsockopt(SOL_SOCKET, SO_BROADCAST)).toBe(0);
  });

  it('UDP-13: recv with MSG_PEEK returns the datagram without consuming it (both forms)', async () => {
    const [srv, cli] = udpPair();
    await cli.sendto(Buffer.from('0123456789'), srv.getsockname());
    expect((await srv.recv(4, MSG_PEEK)).toString()).toBe('0123');
    expect(srv.recvSync(100, MSG_PEEK).toString()).toBe('0123456789');
    const [d, a] = srv.recvfromSync(100, MSG_PEEK);
    expect([d.toString(), a]).toEqual(['0123456789', cli.getsockname()]);
    expect((await srv.recvfrom(100, MSG_PEEK))[0].toString()).toBe('0123456789');
    expect((await srv.recv(100)).toString()).toBe('0123456789');
    srv.setblocking(false);
    expectOSError(thrownBy(() => srv.recvSync(100, MSG_PEEK)), BlockingIOError, E.EAGAIN);
  });

  it('UDP-15: recv(0) and recvInto(empty) return at once and consume nothing (both forms)', async () => {
    const [srv, cli] = udpPair();
    await cli.sendto(Buffer.from('first'), srv.getsockname());
    expect(srv.recvSync(0)).toEqual(Buffer.alloc(0));
    expect(await srv.recv(0)).toEqual(Buffer.alloc(0));
    expect(srv.recvIntoSync(Buffer.alloc(0))).toBe(0);
    expect(await srv.recvInto(new Uint8Array(0))).toBe(0);
    expect((await srv.recv(100)).toString()).toBe('first');
    // And with nothing queued, non-blocking: still no error.
    srv.setblocking(false);
    expect(srv.recvSync(0)).toEqual(Buffer.alloc(0));
    expect(srv.recvIntoSync(Buffer.alloc(0))).toBe(0);
  });

  it('UDP-15: recvfrom(0) and recvfromInto(empty) make the syscall and consume a datagram (Sync)', () => {
    const [srv, cli] = udpPair();
    for (const consume of [
      () => srv.recvfromSync(0),
      () => srv.recvfromIntoSync(Buffer.alloc(0)),
      () => srv.recvfromIntoSync(Buffer.alloc(0), 0),
    ]) {
      cli.sendtoSync(Buffer.from('first'), srv.getsockname());
      cli.sendtoSync(Buffer.from('second'), srv.getsockname());
      const [n, addr] = consume();
      expect(Buffer.isBuffer(n) ? n.length : n).toBe(0);
      expect(addr).toEqual(cli.getsockname());
      expect(srv.recvSync(100).toString()).toBe('second');
    }
    srv.setblocking(false);
    expectOSError(thrownBy(() => srv.recvfromSync(0)), BlockingIOError, E.EAGAIN);
    expectOSError(thrownBy(() => srv.recvfromIntoSync(Buffer.alloc(0))), BlockingIOError, E.EAGAIN);
  });

  it('UDP-15: recvfrom(0) and recvfromInto(empty) consume a datagram (Promise)', async () => {
    const [srv, cli] = udpPair();
    await cli.sendto(Buffer.from('first'), srv.getsockname());
    await cli.sendto(Buffer.from('second'), srv.getsockname());
    expect(await srv.recvfrom(0)).toEqual([Buffer.alloc(0), cli.getsockname()]);
    expect((await srv.recv(100)).toString()).toBe('second');
    await cli.sendto(Buffer.from('first'), srv.getsockname());
    await cli.sendto(Buffer.from('second'), srv.getsockname());
    expect(await srv.recvfromInto(Buffer.alloc(0))).toEqual([0, cli.getsockname()]);
    expect((await srv.recv(100)).toString()).toBe('second');
    // With nothing queued, the Promise form waits for a datagram, and consumes it.
    const pending = srv.recvfrom(0);
    await new Promise((r) => setTimeout(r, 20));
    await cli.sendto(Buffer.from('third'), srv.getsockname());
    await cli.sendto(Buffer.from('fourth'), srv.getsockname());
    expect(await pending).toEqual([Buffer.alloc(0), cli.getsockname()]);
    expect((await srv.recv(100)).toString()).toBe('fourth');
  });

  it('UDP-17: several datagrams keep their order and boundaries (both forms)', async () => {
    const [srv, cli] = udpPair();
    const sizes = [1, 0, 100, 1472, 9000, 65507, 3, 2048];
    const grams = sizes.map((n, i) => Buffer.alloc(n, 0x41 + i));
    for (const g of grams) await cli.sendto(g, srv.getsockname());
    for (const g of grams) expect(await srv.recv(65535)).toEqual(g);
    for (const g of grams) cli.sendtoSync(g, srv.getsockname());
    for (const g of grams) expect(srv.recvfromSync(65535)).toEqual([g, cli.getsockname()]);
  });

  it('UDP-19: an unbound UDP socket gets an ephemeral port at its first sendto (both forms)', async () => {
    const srv = bound();
    const a = udp();
    expect(a.getsockname()).toEqual(['0.0.0.0', 0]);
    await a.sendto(MSG, srv.getsockname());
    expect(portOf(a)).toBeGreaterThan(0);
    const b = udp();
    b.sendtoSync(MSG, srv.getsockname());
    expect(portOf(b)).toBeGreaterThan(0);
    const [, fromA] = srv.recvfromSync(1024);
    const [, fromB] = srv.recvfromSync(1024);
    expect((fromA as [string, number])[1]).toBe(portOf(a));
    expect((fromB as [string, number])[1]).toBe(portOf(b));
  });

  it('recvInto / recvfromInto on UDP fill the view\'s window only (both forms)', async () => {
    const [srv, cli] = udpPair();
    const ab = new ArrayBuffer(16);
    const whole = new Uint8Array(ab).fill(0xee);
    cli.sendtoSync(Buffer.from('ABCDEFGH'), srv.getsockname());
    expect(await srv.recvfromInto(new Uint16Array(ab).subarray(2, 6))).toEqual([8, cli.getsockname()]);
    expect(Buffer.from(whole)).toEqual(Buffer.concat([Buffer.alloc(4, 0xee), Buffer.from('ABCDEFGH'), Buffer.alloc(4, 0xee)]));
    whole.fill(0xee);
    cli.sendtoSync(Buffer.from('0123456789'), srv.getsockname());
    expect(srv.recvIntoSync(new DataView(ab, 3, 4))).toBe(4);
    expect(Buffer.from(whole)).toEqual(Buffer.concat([Buffer.alloc(3, 0xee), Buffer.from('0123'), Buffer.alloc(9, 0xee)]));
  });
});

describe.skipIf(noIPv6 !== undefined)(`UDP over IPv6 (UDP-16)${skipped(noIPv6)}`, () => {
  it('recvfrom gives a 4-item address; sendto takes a 2-item one (both forms)', async () => {
    const [srv, cli] = udpPair(AF_INET6);
    const [host, port, flow, scope] = srv.getsockname() as [string, number, number, number];
    expect([host, flow, scope]).toEqual(['::1', 0, 0]);
    expect(await cli.sendto(MSG, ['::1', port])).toBe(MSG.length);
    const [d, a] = await srv.recvfrom(1024);
    expect(d).toEqual(MSG);
    expect(a).toEqual(['::1', portOf(cli), 0, 0]);
    cli.sendtoSync(MSG, ['::1', port, 0]);
    expect(srv.recvfromSync(1024)).toEqual([MSG, cli.getsockname()]);
  });

  basicSuite(AF_INET6, 0);
});

describe.skipIf(noUdplite !== undefined)(`UDP-Lite over IPv4 (UDP-18)${skipped(noUdplite)}`, () => {
  it('a UDP-Lite socket reports proto IPPROTO_UDPLITE (136)', () => {
    const s = udp(AF_INET, IPPROTO_UDPLITE);
    expect([s.family, s.type, s.proto]).toEqual([AF_INET, SOCK_DGRAM, 136]);
  });

  basicSuite(AF_INET, IPPROTO_UDPLITE);
});

describe.skipIf(noUdplite6 !== undefined)(`UDP-Lite over IPv6 (UDP-18)${skipped(noUdplite6)}`, () => {
  basicSuite(AF_INET6, IPPROTO_UDPLITE);
});
