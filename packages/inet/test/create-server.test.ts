/**
 * createServer, hasDualstackIpv6 and has_ipv6 on loopback: CPython's
 * CCS-13..CCS-19 and MOD-15 (see the conformance checklist); SO_REUSEPORT
 * with two listeners on one port; the IPv4-mapped peer address on a
 * dual-stack server; the bind error's message compared with python3.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { OSError, SOCK_STREAM, SOL_SOCKET, SO_REUSEADDR, SO_REUSEPORT, Socket } from '@bsdsock/core';
import {
  AF_INET, AF_INET6, IPPROTO_IPV6, IPV6_V6ONLY, createConnection, createServer, hasDualstackIpv6, has_ipv6,
} from '@bsdsock/inet';
import { hasPython, listOpenFds, needsPython, python, runPythonSync } from '@bsdsock/test-utils';
import { guardFds } from '../../core/test/fixtures/fd-guard.js';

guardFds();

/** The sockets this process has open (other fds come and go with Node's own work). */
function countSockets(): number {
  return [...listOpenFds().values()].filter((target) => target.startsWith('socket:')).length;
}

const opened: Socket[] = [];
function track<T extends Socket>(s: T): T {
  opened.push(s);
  return s;
}
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

function portOf(s: Socket): number {
  return (s.getsockname() as [string, number])[1];
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

/** Sends a line through a client to the server and reads the echo. */
async function echo(server: Socket, address: readonly [string, number]): Promise<[string, unknown]> {
  const client = track(await createConnection(address, { timeout: 5 }));
  server.settimeout(5);
  const [conn, peer] = await server.accept();
  track(conn);
  conn.settimeout(5);
  await client.sendall(Buffer.from('ping'));
  await conn.sendall(await conn.recv(4));
  return [(await client.recv(4)).toString(), peer];
}

describe('MOD-15', () => {
  it('has_ipv6 is true and this Linux has dual-stack sockets', () => {
    expect(has_ipv6).toBe(true);
    expect(hasDualstackIpv6()).toBe(true);
  });
});

describe('createServer', () => {
  it('CCS-13: a listening AF_INET stream socket on the address', () => {
    const s = track(createServer(['127.0.0.1', 0]));
    expect(s.family).toBe(AF_INET);
    expect(s.type).toBe(SOCK_STREAM);
    expect(s.getsockname()).toEqual(['127.0.0.1', portOf(s)]);
    const s6 = track(createServer(['::1', 0], { family: AF_INET6 }));
    expect(s6.family).toBe(AF_INET6);
    expect(s6.getsockname()).toEqual(['::1', portOf(s6), 0, 0]);
  });

  it('CCS-14: SO_REUSEADDR is set; SO_REUSEPORT only with reusePort', () => {
    const s = track(createServer(['127.0.0.1', 0]));
    expect(s.getsockopt(SOL_SOCKET, SO_REUSEADDR)).toBe(1);
    expect(s.getsockopt(SOL_SOCKET, SO_REUSEPORT)).toBe(0);
    const r = track(createServer(['127.0.0.1', 0], { reusePort: true }));
    expect(r.getsockopt(SOL_SOCKET, SO_REUSEPORT)).not.toBe(0);
  });

  it('SO_REUSEPORT: two listeners on one port, connections spread over both', async () => {
    const a = track(createServer(['127.0.0.1', 0], { reusePort: true }));
    const port = portOf(a);
    const b = track(createServer(['127.0.0.1', port], { reusePort: true }));
    expect(portOf(b)).toBe(port);
    a.setblocking(false);
    b.setblocking(false);
    const accepted = [0, 0];
    for (let i = 0; i < 24; i++) track(await createConnection(['127.0.0.1', port], { timeout: 5 }));
    for (const [i, srv] of [a, b].entries()) {
      for (;;) {
        try {
          track(srv.acceptSync()[0]);
          accepted[i]!++;
        } catch {
          break;
        }
      }
    }
    expect(accepted[0]! + accepted[1]!).toBe(24);
    expect(accepted[0]).toBeGreaterThan(0);
    expect(accepted[1]).toBeGreaterThan(0);
  });

  it('CCS-15: AF_INET6 sets IPV6_V6ONLY unless dualstackIpv6', () => {
    const only6 = track(createServer(['::1', 0], { family: AF_INET6 }));
    expect(only6.getsockopt(IPPROTO_IPV6, IPV6_V6ONLY)).toBe(1);
    const dual = track(createServer(['::', 0], { family: AF_INET6, dualstackIpv6: true }));
    expect(dual.getsockopt(IPPROTO_IPV6, IPV6_V6ONLY)).toBe(0);
  });

  it('CCS-15: a dual-stack server takes IPv4 clients as ::ffff:127.0.0.1, and IPv6 ones', async () => {
    const dual = track(createServer(['::', 0], { family: AF_INET6, dualstackIpv6: true }));
    const port = portOf(dual);
    const [r4, peer4] = await echo(dual, ['127.0.0.1', port]);
    expect(r4).toBe('ping');
    expect(peer4).toEqual(['::ffff:127.0.0.1', expect.any(Number), 0, 0]);
    const [r6, peer6] = await echo(dual, ['::1', port]);
    expect(r6).toBe('ping');
    expect((peer6 as [string])[0]).toBe('::1');
  });

  it('an IPv6-only server refuses IPv4 clients', async () => {
    const only6 = track(createServer(['::', 0], { family: AF_INET6 }));
    await expect(createConnection(['127.0.0.1', portOf(only6)], { timeout: 5 })).rejects.toMatchObject({ errno: 111 });
  });

  it('CCS-16: the ValueErrors are RangeErrors', () => {
    expect(() => createServer(['', 0], { dualstackIpv6: true })).toThrow(
      new RangeError('dualstack_ipv6 requires AF_INET6 family'),
    );
  });

  it('CCS-17: a failed bind names the address, keeps errno and class, and closes the socket', () => {
    const first = track(createServer(['127.0.0.1', 0]));
    const port = portOf(first);
    const before = countSockets();
    const err = thrown(() => createServer(['127.0.0.1', port])) as OSError;
    expect(err.constructor).toBe(OSError);
    expect(err.errno).toBe(98);
    expect(err.code).toBe('EADDRINUSE');
    expect(err.message).toBe(`[Errno 98] Address already in use (while attempting to bind on address ('127.0.0.1', ${port}))`);
    expect(err.strerror).toBe(`Address already in use (while attempting to bind on address ('127.0.0.1', ${port}))`);
    expect(err.args).toEqual([98, err.strerror]);
    expect(countSockets()).toBe(before);
  });

  it('CCS-17: the same for a lookup error and an errno-less error', () => {
    const gai = thrown(() => createServer(['0.1.1.~1', 0])) as OSError;
    expect(gai.constructor).toBe(OSError);
    expect(gai.errno).toBe(-2);
    expect(gai.message).toBe("[Errno -2] Name or service not known (while attempting to bind on address ('0.1.1.~1', 0))");
    const none = thrown(() => createServer(['<broadcast>', 0], { family: AF_INET6 })) as OSError;
    expect(none.errno).toBeNull();
    expect(none.message).toBe("[Errno None] None (while attempting to bind on address ('<broadcast>', 0))");
    const unavailable = thrown(() => createServer(['192.0.2.1', 0])) as OSError;
    expect(unavailable.errno).toBe(99);
  });

  it('a bad address is a TypeError, and the socket is closed', () => {
    const before = countSockets();
    expect(() => createServer('nope' as never)).toThrow(TypeError);
    expect(() => createServer(['127.0.0.1', 70000])).toThrow(RangeError);
    expect(countSockets()).toBe(before);
  });

  it('CCS-18: options are keyword-only (an object); backlog null is the default', () => {
    expect(() => createServer(['', 0], AF_INET as never)).toThrow(TypeError);
    const s = track(createServer(['127.0.0.1', 0], { backlog: null }));
    expect(portOf(s)).toBeGreaterThan(0);
    const s2 = track(createServer(['127.0.0.1', 0], { backlog: 5 }));
    expect(portOf(s2)).toBeGreaterThan(0);
    expect(() => createServer(['127.0.0.1', 0], { backlog: 'x' as never })).toThrow(TypeError);
  });

  it("CCS-19: ('', port) echoes to 127.0.0.1; with AF_INET6 to ::1", async () => {
    const s4 = track(createServer(['', 0]));
    expect((s4.getsockname() as [string])[0]).toBe('0.0.0.0');
    expect((await echo(s4, ['127.0.0.1', portOf(s4)]))[0]).toBe('ping');
    const s6 = track(createServer(['', 0], { family: AF_INET6 }));
    expect((s6.getsockname() as [string])[0]).toBe('::');
    expect((await echo(s6, ['::1', portOf(s6)]))[0]).toBe('ping');
  });
});

describe.skipIf(!hasPython())(needsPython('compared with python3 at run time'), () => {
  it("the bind error's message is the same", () => {
    const first = track(createServer(['127.0.0.1', 0]));
    const port = portOf(first);
    const r = runPythonSync(`
import socket, json
out = []
for addr, fam in ((('127.0.0.1', ${port}), socket.AF_INET), (('0.1.1.~1', 0), socket.AF_INET), (('<broadcast>', 0), socket.AF_INET6), (("it's", 0), socket.AF_INET)):
    try: socket.create_server(addr, family=fam)
    except OSError as e: out.append([type(e).__name__, e.errno, str(e)])
print(json.dumps(out))
`);
    expect(r.code).toBe(0);
    const mine = ([[['127.0.0.1', port], AF_INET], [['0.1.1.~1', 0], AF_INET], [['<broadcast>', 0], AF_INET6], [["it's", 0], AF_INET]] as const)
      .map(([addr, family]) => {
        const e = thrown(() => createServer(addr, { family })) as OSError;
        return [e.constructor.name, e.errno, e.message];
      });
    expect(mine).toEqual(JSON.parse(r.stdout));
  });
});

describe('hasDualstackIpv6 leaves nothing open', () => {
  it('closes its probe socket', () => {
    const before = countSockets();
    hasDualstackIpv6();
    expect(countSockets()).toBe(before);
  });
});

describe('with Python as the client', () => {
  it.skipIf(!hasPython())(needsPython('a Python client reaches a bsdsock dual-stack server over IPv4'), async () => {
    const dual = track(createServer(['::', 0], { family: AF_INET6, dualstackIpv6: true }));
    const port = portOf(dual);
    dual.settimeout(10);
    const accepted = dual.accept();
    const py = python(`
import socket
s = socket.create_connection(('127.0.0.1', ${port}), timeout=5)
s.sendall(b'hi from python')
print(s.recv(100).decode())
`);
    const [conn, peer] = await accepted;
    track(conn);
    expect((peer as [string])[0]).toBe('::ffff:127.0.0.1');
    conn.settimeout(5);
    await conn.sendall(await conn.recv(100));
    expect((await py).trim()).toBe('hi from python');
  });
});

