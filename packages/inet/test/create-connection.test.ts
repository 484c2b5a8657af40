/**
 * createConnection / createConnectionSync on loopback: CPython's CCS-01..
 * CCS-12, ERR-08, OBJ-05 and TCP-30 (see the conformance checklist), and Happy
 * Eyeballs (RFC 8305) against `[null, port]`, which getaddrinfo resolves to
 * both ::1 and 127.0.0.1 whatever /etc/hosts says. (The same race against a
 * `localhost` with both addresses runs in namespace.test.ts.)
 *
 * A "hanging" address is a listener with backlog 0 whose one queue slot is
 * taken: the kernel drops further SYNs, so a connect to it waits. Every wait
 * is bounded; the file's fds are counted before and after.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConnectionRefusedError, OSError, SHUT_WR, SOCK_STREAM, Socket, TimeoutError, fromfd, gaierror,
  getdefaulttimeout, setdefaulttimeout,
} from '@bsdsock/core';
import {
  AF_INET, AF_INET6, IPPROTO_IPV6, IPPROTO_TCP, IPV6_V6ONLY, createConnection, createConnectionSync,
  getaddrinfoSync,
} from '@bsdsock/inet';
import { listOpenFds } from '@bsdsock/test-utils';
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
  setdefaulttimeout(null);
});

function listener(family = AF_INET, host = family === AF_INET6 ? '::1' : '127.0.0.1', port = 0, backlog?: number): Socket {
  const s = track(new Socket(family, SOCK_STREAM));
  if (family === AF_INET6) s.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 1);
  s.bind([host, port]);
  s.listen(backlog);
  // Every accept in this file is bounded.
  s.settimeout(5);
  return s;
}

function portOf(s: Socket): number {
  return (s.getsockname() as [string, number])[1];
}

/** A port nobody listens on (held by a bound socket that does not listen). */
function refusedPort(family = AF_INET): number {
  const s = track(new Socket(family, SOCK_STREAM));
  s.bind([family === AF_INET6 ? '::1' : '127.0.0.1', 0]);
  return portOf(s);
}

/** A listener whose accept queue is full: connects to it wait (SYNs are dropped). */
async function hangingListener(family: number, port = 0): Promise<Socket> {
  const s = listener(family, undefined, port, 0);
  const filler = track(new Socket(family, SOCK_STREAM));
  await filler.connect(s.getsockname());
  return s;
}

/** ::1 and 127.0.0.1 listening (or hanging) on one port number. */
async function dualPort(v6: 'listen' | 'hang' | 'none', v4: 'listen' | 'hang' | 'none'): Promise<number> {
  for (let tries = 0; tries < 20; tries++) {
    const probe = track(new Socket(AF_INET6, SOCK_STREAM));
    probe.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 1);
    probe.bind(['::1', 0]);
    const port = portOf(probe);
    probe.close();
    try {
      for (const [fam, how] of [[AF_INET6, v6], [AF_INET, v4]] as const) {
        if (how === 'listen') listener(fam, undefined, port);
        else if (how === 'hang') await hangingListener(fam, port);
        else {
          const hold = track(new Socket(fam, SOCK_STREAM));
          if (fam === AF_INET6) hold.setsockopt(IPPROTO_IPV6, IPV6_V6ONLY, 1);
          hold.bind([fam === AF_INET6 ? '::1' : '127.0.0.1', port]);
        }
      }
      return port;
    } catch (err) {
      if (!(err instanceof OSError) || err.code !== 'EADDRINUSE') throw err;
      for (const s of opened.splice(0)) s.close();
    }
  }
  throw new Error('no port free on both ::1 and 127.0.0.1');
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

function syncError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe.each(['Promise', 'Sync'] as const)('%s form', (form) => {
  const sync = form === 'Sync';
  const connect = async (address: readonly [unknown, unknown], options?: object): Promise<Socket> =>
    track(sync ? createConnectionSync(address as never, options) : await createConnection(address as never, options));
  const failing = async (address: readonly [unknown, unknown], options?: object): Promise<unknown> =>
    sync ? syncError(() => track(createConnectionSync(address as never, options))) : rejection(createConnection(address as never, options));

  it('CCS-01 / OBJ-05: a connected AF_INET stream socket whose proto comes from getaddrinfo', async () => {
    const srv = listener();
    const s = await connect(['127.0.0.1', portOf(srv)], { timeout: 5 });
    expect(s.family).toBe(AF_INET);
    expect(s.type).toBe(SOCK_STREAM);
    expect(s.proto).toBe(IPPROTO_TCP);
    expect(s.getpeername()).toEqual(srv.getsockname());
  });

  it('CCS-02: sourceAddress is bound before connecting', async () => {
    const srv = listener();
    const src = refusedPort();
    opened.pop()!.close();
    const s = await connect(['127.0.0.1', portOf(srv)], { sourceAddress: ['', src] });
    expect(portOf(s)).toBe(src);
    const s2 = await connect(['127.0.0.1', portOf(srv)], { sourceAddress: ['127.0.0.1', 0] });
    expect((s2.getsockname() as [string, number])[0]).toBe('127.0.0.1');
  });

  it('CCS-03: without a timeout the socket gets the default timeout', async () => {
    const srv = listener();
    setdefaulttimeout(42);
    const s = await connect(['127.0.0.1', portOf(srv)]);
    expect(s.gettimeout()).toBe(42);
  });

  it('CCS-04: timeout null means blocking, whatever the default', async () => {
    const srv = listener();
    setdefaulttimeout(30);
    const s = await connect(['127.0.0.1', portOf(srv)], { timeout: null });
    expect(s.gettimeout()).toBeNull();
  });

  it('CCS-05: a timeout is set on the socket', async () => {
    const srv = listener();
    const s = await connect(['127.0.0.1', portOf(srv)], { timeout: 30 });
    expect(s.gettimeout()).toBe(30);
  });

  it('CCS-07 / ERR-08: a refused connection raises the last error, with its errno', async () => {
    const port = refusedPort();
    const err = await failing(['127.0.0.1', port]);
    expect(err).toBeInstanceOf(ConnectionRefusedError);
    expect((err as OSError).errno).toBe(111);
    expect((err as OSError).code).toBe('ECONNREFUSED');
  });

  it('CCS-08: allErrors gives an AggregateError of every attempt (one per getaddrinfo row)', async () => {
    const port = await dualPort('none', 'none');
    const rows = getaddrinfoSync(null, port, 0, SOCK_STREAM);
    expect(rows.length).toBe(2);
    const err = await failing([null, port], { allErrors: true });
    expect(err).toBeInstanceOf(AggregateError);
    expect((err as AggregateError).message).toBe('create_connection failed');
    const errors = (err as AggregateError).errors as OSError[];
    expect(errors).toHaveLength(rows.length);
    for (const e of errors) {
      expect(e).toBeInstanceOf(ConnectionRefusedError);
      expect(e.errno).toBe(111);
    }
    // Without allErrors only the last attempt's error.
    const last = await failing([null, port]);
    expect(last).toBeInstanceOf(ConnectionRefusedError);
  });

  it('CCS-09: a timeout passes through as TimeoutError (errno null)', async () => {
    const srv = await hangingListener(AF_INET);
    const before = Date.now();
    const err = await failing(['127.0.0.1', portOf(srv)], { timeout: 0.2 });
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).errno).toBeNull();
    expect((err as TimeoutError).message).toBe('timed out');
    expect(Date.now() - before).toBeGreaterThanOrEqual(150);
  });

  it('CCS-10: a failed lookup raises its gaierror as it is', async () => {
    const err = await failing(['0.1.1.~1', 80]);
    expect(err).toBeInstanceOf(gaierror);
    expect((err as gaierror).errno).toBe(-2);
  });

  it('CCS-11: the address must be exactly [host, port]', async () => {
    for (const bad of [['a', 'b', 'c'], ['127.0.0.1'], 'localhost:80', null, 80]) {
      expect(await failing(bad as never)).toBeInstanceOf(TypeError);
    }
  });

  it('bad options are TypeError / RangeError before any syscall', async () => {
    expect(await failing(['127.0.0.1', 1], 5 as never)).toBeInstanceOf(TypeError);
    expect(await failing(['127.0.0.1', 1], { timeout: -1 })).toBeInstanceOf(RangeError);
    expect(await failing(['127.0.0.1', 1], { timeout: NaN })).toBeInstanceOf(RangeError);
    expect(await failing(['127.0.0.1', 1], { timeout: '1' })).toBeInstanceOf(TypeError);
  });

  it('a bad sourceAddress is a TypeError, and no socket is left open', async () => {
    const srv = listener();
    const before = countSockets();
    expect(await failing(['127.0.0.1', portOf(srv)], { sourceAddress: 'nope' })).toBeInstanceOf(TypeError);
    expect(countSockets()).toBe(before);
  });

  it('CCS-12: the socket works with `using`, and is closed after the block', async () => {
    const srv = listener();
    let fd = -1;
    {
      using s = await connect(['127.0.0.1', portOf(srv)]);
      fd = s.fileno();
      expect(fd).toBeGreaterThanOrEqual(0);
      const [conn] = srv.acceptSync();
      track(conn);
      s.sendallSync(Buffer.from('ping'));
      expect(conn.recvSync(4).toString()).toBe('ping');
      s.close();
      expect(() => s.sendallSync(Buffer.from('x'))).toThrow(OSError);
    }
  });
});

describe('CCS-06: the timeout governs later calls', () => {
  it('without a timeout recv waits for the peer; with one it raises TimeoutError', async () => {
    const srv = listener();
    const waiting = track(await createConnection(['127.0.0.1', portOf(srv)]));
    const [peer] = await srv.accept();
    track(peer);
    setTimeout(() => peer.sendallSync(Buffer.from('late')), 300);
    expect((await waiting.recv(10)).toString()).toBe('late');

    const impatient = track(createConnectionSync(['127.0.0.1', portOf(srv)], { timeout: 0.1 }));
    track(srv.acceptSync()[0]);
    expect(() => impatient.recvSync(10)).toThrow(TimeoutError);
    await expect(impatient.recv(10)).rejects.toBeInstanceOf(TimeoutError);
  });
});

describe('Promise form only', () => {
  it('a signal aborts the connect and closes the socket', async () => {
    const srv = await hangingListener(AF_INET);
    const before = countSockets();
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('enough')), 100);
    const err = await rejection(createConnection(['127.0.0.1', portOf(srv)], { signal: ac.signal, timeout: 5 }));
    expect((err as Error).message).toBe('enough');
    expect(countSockets()).toBe(before);
  });

  it('an aborted signal rejects at once', async () => {
    const reason = new Error('before');
    await expect(createConnection(['127.0.0.1', 1], { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('never throws synchronously', () => {
    expect(() => createConnection(null as never).catch(() => {})).not.toThrow();
  });

  it('the Sync form refuses happyEyeballs and signal', () => {
    expect(() => createConnectionSync(['127.0.0.1', 1], { happyEyeballs: true } as never)).toThrow(TypeError);
    expect(() => createConnectionSync(['127.0.0.1', 1], { signal: new AbortController().signal } as never)).toThrow(TypeError);
  });
});

describe('Happy Eyeballs (RFC 8305)', () => {
  it('the address order comes from getaddrinfo: [null, port] is ::1 then 127.0.0.1 here', () => {
    const rows = getaddrinfoSync(null, 80, 0, SOCK_STREAM);
    expect(rows.map((r) => r[0]).sort()).toEqual([AF_INET, AF_INET6].sort());
  });

  it('connects through the family that listens when the other refuses, at once', async () => {
    const port = await dualPort('none', 'listen');
    const before = countSockets();
    const t0 = Date.now();
    const s = await createConnection([null, port], { happyEyeballs: true, timeout: 5 });
    expect(Date.now() - t0).toBeLessThan(200);
    expect((s.getpeername() as [string])[0]).toBe('127.0.0.1');
    expect(s.proto).toBe(IPPROTO_TCP);
    expect(countSockets()).toBe(before + 1);
    s.close();
    expect(countSockets()).toBe(before);
  });

  it('the first family wins when it answers within the delay; nothing else is started', async () => {
    const port = await dualPort('listen', 'listen');
    const first = getaddrinfoSync(null, port, 0, SOCK_STREAM)[0]!;
    const before = countSockets();
    const s = await createConnection([null, port], { happyEyeballs: { delay: 1 } });
    expect(s.family).toBe(first[0]);
    s.close();
    expect(countSockets()).toBe(before);
  });

  it('a hanging first family: the next starts after the delay, wins, and the loser is closed', async () => {
    const rows = getaddrinfoSync(null, 0, 0, SOCK_STREAM);
    const firstIs6 = rows[0]![0] === AF_INET6;
    const port = await dualPort(firstIs6 ? 'hang' : 'listen', firstIs6 ? 'listen' : 'hang');
    const before = countSockets();
    const t0 = Date.now();
    const s = await createConnection([null, port], { happyEyeballs: { delay: 0.15 }, timeout: 5 });
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(140);
    expect(took).toBeLessThan(2000);
    expect(s.family).toBe(rows[1]![0]);
    // Only the winner is open: the hanging attempt's socket was closed when it lost.
    expect(countSockets()).toBe(before + 1);
    s.close();
    expect(countSockets()).toBe(before);
  });

  it('without Happy Eyeballs the same hanging address costs the whole per-attempt timeout', async () => {
    const rows = getaddrinfoSync(null, 0, 0, SOCK_STREAM);
    const firstIs6 = rows[0]![0] === AF_INET6;
    const port = await dualPort(firstIs6 ? 'hang' : 'listen', firstIs6 ? 'listen' : 'hang');
    const t0 = Date.now();
    const s = track(await createConnection([null, port], { timeout: 0.4 }));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(350);
    expect(s.family).toBe(rows[1]![0]);
  });

  it('the timeout is one deadline for the whole race', async () => {
    const port = await dualPort('hang', 'hang');
    const before = countSockets();
    const t0 = Date.now();
    const err = await rejection(createConnection([null, port], { happyEyeballs: { delay: 0.1 }, timeout: 0.3 }));
    const took = Date.now() - t0;
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as TimeoutError).message).toBe('timed out');
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(1500);
    expect(countSockets()).toBe(before);
  });

  it('the deadline comes from the default timeout when none is given', async () => {
    const port = await dualPort('hang', 'hang');
    setdefaulttimeout(0.2);
    expect(getdefaulttimeout()).toBe(0.2);
    const err = await rejection(createConnection([null, port], { happyEyeballs: { delay: 5 }, allErrors: true }));
    expect(err).toBeInstanceOf(AggregateError);
    const errors = (err as AggregateError).errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(TimeoutError);
  });

  it('allErrors: every attempt refused, in the order they started', async () => {
    const port = await dualPort('none', 'none');
    const rows = getaddrinfoSync(null, port, 0, SOCK_STREAM);
    const err = await rejection(createConnection([null, port], { happyEyeballs: true, allErrors: true }));
    expect(err).toBeInstanceOf(AggregateError);
    const errors = (err as AggregateError).errors as OSError[];
    expect(errors).toHaveLength(rows.length);
    for (const e of errors) expect(e).toBeInstanceOf(ConnectionRefusedError);
    const last = await rejection(createConnection([null, port], { happyEyeballs: true }));
    expect(last).toBeInstanceOf(ConnectionRefusedError);
  });

  it('a signal aborts the race and closes every socket', async () => {
    const port = await dualPort('hang', 'hang');
    const before = countSockets();
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('stop')), 150);
    const err = await rejection(createConnection([null, port], { happyEyeballs: { delay: 0.05 }, signal: ac.signal }));
    expect((err as Error).message).toBe('stop');
    expect(countSockets()).toBe(before);
  });

  it('bad happyEyeballs options are rejected', async () => {
    await expect(createConnection(['127.0.0.1', 1], { happyEyeballs: { delay: -1 } })).rejects.toBeInstanceOf(RangeError);
    await expect(createConnection(['127.0.0.1', 1], { happyEyeballs: 'yes' as never })).rejects.toBeInstanceOf(TypeError);
  });
});

describe('BasicTCPTest with a createConnection client (TCP-30)', () => {
  /** A connected pair: the client from createConnection, the server side from accept. */
  async function pair(): Promise<[Socket, Socket]> {
    const srv = listener();
    const client = track(await createConnection(['127.0.0.1', portOf(srv)], { timeout: 5 }));
    const [conn] = await srv.accept();
    track(conn);
    conn.settimeout(5);
    return [client, conn];
  }

  it('recv, recvfrom and sendall both ways', async () => {
    const [client, conn] = await pair();
    await client.sendall(Buffer.from('Michael Gilfix was here\n'));
    expect((await conn.recv(1024)).toString()).toBe('Michael Gilfix was here\n');
    await conn.sendall(Buffer.alloc(100_000, 'x'));
    let got = 0;
    while (got < 100_000) {
      const [data] = await client.recvfrom(65536);
      got += data.length;
    }
    expect(got).toBe(100_000);
  });

  it('dup and fromfd of the client talk to the same peer; the original still works', async () => {
    const [client, conn] = await pair();
    const copy = track(client.dup());
    await copy.sendall(Buffer.from('dup'));
    expect((await conn.recv(16)).toString()).toBe('dup');
    const other = track(fromfd(client.fileno(), AF_INET, SOCK_STREAM));
    await other.sendall(Buffer.from('fromfd'));
    expect((await conn.recv(16)).toString()).toBe('fromfd');
    await client.sendall(Buffer.from('orig'));
    expect((await conn.recv(16)).toString()).toBe('orig');
  });

  it('shutdown(SHUT_WR) of the client: the server reads EOF, then still sends', async () => {
    const [client, conn] = await pair();
    client.shutdown(SHUT_WR);
    expect((await conn.recv(16)).length).toBe(0);
    await conn.sendall(Buffer.from('after'));
    expect((await client.recv(16)).toString()).toBe('after');
  });

  it('detach: the fd lives on and a new Socket adopts it', async () => {
    const [client, conn] = await pair();
    const fd = client.detach();
    expect(client.fileno()).toBe(-1);
    const adopted = track(new Socket(undefined, undefined, undefined, fd));
    expect(adopted.family).toBe(AF_INET);
    await adopted.sendall(Buffer.from('adopted'));
    expect((await conn.recv(16)).toString()).toBe('adopted');
  });
});
