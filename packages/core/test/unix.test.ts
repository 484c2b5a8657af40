/**
 * AF_UNIX on real sockets: CPython's behaviours UNX-01..UNX-20 (see the
 * conformance checklist) with SOCK_STREAM, SOCK_DGRAM and SOCK_SEQPACKET,
 * in the Promise form and in the Sync form where the operation can wait.
 *
 * Filesystem sockets live in a fresh mkdtemp directory removed afterwards;
 * abstract names are random. The default timeout is 5 s for the whole file,
 * so a Sync call can never hang the worker.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BlockingIOError, ConnectionRefusedError, FileNotFoundError, OSError, PermissionError, Socket, getdefaulttimeout,
  setdefaulttimeout, socketpair, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM,
} from '@bsdsock/core';
import { AF_UNIX } from '@bsdsock/unix';
import { countOpenFds, listOpenFds } from '@bsdsock/test-utils';
import { expectOSError, rejectionOf, thrownBy } from './fixtures/assertions.js';

const E = osConstants.errno;
const MSG = Buffer.from('Michael Gilfix was here\u1234\r\n', 'utf8');
const TYPES = [
  ['SOCK_STREAM', SOCK_STREAM],
  ['SOCK_DGRAM', SOCK_DGRAM],
  ['SOCK_SEQPACKET', SOCK_SEQPACKET],
] as const;
const CONNECTION_TYPES = TYPES.filter(([, t]) => t !== SOCK_DGRAM);

let dir = '';
let counter = 0;
const opened: Socket[] = [];

function track<T extends Socket>(s: T): T {
  opened.push(s);
  return s;
}

function unix(type: number = SOCK_STREAM): Socket {
  return track(new Socket(AF_UNIX, type));
}

/** A fresh path in this file's temporary directory. */
function path(name = 'sock'): string {
  return join(dir, `${name}-${++counter}`);
}

/** A random abstract name as a string starting with NUL. */
function abstractName(): string {
  return `\0bsdsock-test-${randomBytes(8).toString('hex')}`;
}

function listener(type: number, address: string | Buffer): Socket {
  const s = unix(type);
  s.bind(address);
  s.listen();
  return s;
}

function expectTooLong(err: unknown): void {
  expect(err).toBeInstanceOf(OSError);
  expect((err as OSError).errno).toBeNull();
  expect((err as OSError).message).toBe('AF_UNIX path too long');
  expect((err as OSError).args).toEqual(['AF_UNIX path too long']);
}

let fdsBefore = 0;
let savedDefault: number | null = null;

beforeAll(() => {
  savedDefault = getdefaulttimeout();
  setdefaulttimeout(5);
  dir = mkdtempSync(join(tmpdir(), 'bsdsock-unix-'));
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
  rmSync(dir, { recursive: true, force: true });
  expect(countOpenFds(), `fds open now: ${JSON.stringify([...listOpenFds()])}`).toBe(fdsBefore);
});

describe('AF_UNIX addresses', () => {
  it.each(TYPES)('UNX-01: an unbound %s socket\'s getsockname is \'\'', (_name, type) => {
    const s = unix(type);
    expect(s.getsockname()).toBe('');
  });

  it.each(TYPES)('UNX-02: bind(path string) -> getsockname is that string (%s)', (_name, type) => {
    const s = unix(type);
    const p = path();
    s.bind(p);
    expect(s.getsockname()).toBe(p);
    expect(statSync(p).isSocket()).toBe(true);
  });

  it('UNX-03: bind(path as a Buffer) -> getsockname is the path as a string', () => {
    const s = unix();
    const p = path();
    s.bind(Buffer.from(p));
    expect(s.getsockname()).toBe(p);
  });

  it('UNX-04: a non-ASCII UTF-8 path round-trips as a string; a non-UTF-8 one as its exact bytes', () => {
    const a = unix();
    const utf8 = path('caf\u00e9-\u2603');
    a.bind(utf8);
    expect(a.getsockname()).toBe(utf8);
    const b = unix();
    const raw = Buffer.concat([Buffer.from(`${path('raw')}-`), Buffer.from([0xff, 0xfe, 0x80])]);
    b.bind(raw);
    const got = b.getsockname();
    expect(Buffer.isBuffer(got)).toBe(true);
    expect(got).toEqual(raw);
  });

  it('UNX-05: a 107-byte path binds; a 108-byte path is OSError "AF_UNIX path too long" with errno null', async () => {
    const base = `${dir}/`;
    const p107 = base + 'x'.repeat(107 - base.length);
    const p108 = base + 'y'.repeat(108 - base.length);
    expect(Buffer.byteLength(p107)).toBe(107);
    const ok = unix();
    ok.bind(p107);
    expect(ok.getsockname()).toBe(p107);
    expectTooLong(thrownBy(() => unix().bind(p108)));
    expectTooLong(thrownBy(() => unix().bind(Buffer.from(p108))));
    expectTooLong(thrownBy(() => unix().bind('z'.repeat(200))));
    expectTooLong(thrownBy(() => unix().connectSync(p108)));
    expectTooLong(await rejectionOf(unix().connect(p108)));
    expectTooLong(thrownBy(() => unix(SOCK_DGRAM).sendtoSync(MSG, p108)));
    expectTooLong(await rejectionOf(unix(SOCK_DGRAM).sendto(MSG, p108)));
    expect(existsSync(p108)).toBe(false);
  });

  it('UNX-05: bind inside a missing directory is FileNotFoundError ENOENT', () => {
    expectOSError(thrownBy(() => unix().bind(join(dir, 'missing', 'sock'))), FileNotFoundError, E.ENOENT);
  });

  it('UNX-20: bind in a directory the user may not write is PermissionError EACCES', () => {
    const ro = join(dir, 'read-only');
    mkdirSync(ro, { mode: 0o500 });
    if (process.getuid?.() !== 0) {
      expectOSError(thrownBy(() => unix().bind(join(ro, 'sock'))), PermissionError, E.EACCES);
      return;
    }
    // Root may write anywhere: provoke EACCES from a child running as nobody.
    chmodSync(dir, 0o755);
    const run = (node: string) => spawnSync(
      node,
      ['--conditions=source', '--import', 'tsx', join(__dirname, 'fixtures', 'eacces-child.ts'), join(ro, 'sock')],
      { uid: 65534, gid: 65534, cwd: join(__dirname, '..', '..', '..'), encoding: 'utf8', timeout: 30_000,
        env: { ...process.env, TSX_TSCONFIG_PATH: undefined } },
    );
    // This node may sit where nobody cannot run it (CI's Node 24 lives in a
    // private temporary folder): then use the node on PATH.
    let child = run(process.execPath);
    if (child.error !== undefined) child = run('node');
    expect(child.error).toBeUndefined();
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe(`PermissionError ${E.EACCES} true`);
  });

  it('UNX-06: an abstract name with NULs and 0xff round-trips as a Buffer, and the peer sees it too', async () => {
    const name = Buffer.concat([Buffer.from(`\0python-test-hello-${randomBytes(6).toString('hex')}\0`), Buffer.from([0xff])]);
    const srv = listener(SOCK_STREAM, name);
    const got = srv.getsockname();
    expect(Buffer.isBuffer(got)).toBe(true);
    expect(got).toEqual(name);
    const cli = unix();
    await cli.connect(name);
    expect(cli.getpeername()).toEqual(name);
    const cli2 = unix();
    cli2.connectSync(name);
    expect(cli2.getpeername()).toEqual(name);
    const [conn] = await srv.accept();
    track(conn);
    expect(conn.getsockname()).toEqual(name);
  });

  it('UNX-07: a 108-byte abstract name is accepted and round-trips; 109 bytes is "AF_UNIX path too long"', () => {
    const tag = randomBytes(8).toString('hex');
    const max = Buffer.from(`\0${tag}${'h'.repeat(107 - tag.length)}`);
    expect(max.length).toBe(108);
    const s = unix();
    s.bind(max);
    expect(s.getsockname()).toEqual(max);
    expectTooLong(thrownBy(() => unix().bind(`\0${'h'.repeat(108)}`)));
    expectTooLong(thrownBy(() => unix().bind(Buffer.concat([max, Buffer.from('h')]))));
  });

  it('UNX-08: an abstract name given as a string comes back as a Buffer', () => {
    const name = `\0python\0test\0${randomBytes(6).toString('hex')}`;
    const s = unix(SOCK_DGRAM);
    s.bind(name);
    const got = s.getsockname();
    expect(Buffer.isBuffer(got)).toBe(true);
    expect(got).toEqual(Buffer.from(name));
  });

  it('UNX-09: any bytes-like address works: Uint8Array, DataView, ArrayBuffer', () => {
    for (const wrap of [
      (b: Buffer) => new Uint8Array(b),
      (b: Buffer) => new DataView(new Uint8Array(b).buffer),
      (b: Buffer) => new Uint8Array(b).buffer,
    ]) {
      const name = Buffer.from(abstractName());
      const s = unix();
      s.bind(wrap(name) as never);
      expect(s.getsockname()).toEqual(name);
    }
    const p = path();
    const s = unix();
    s.bind(new Uint8Array(Buffer.from(p)));
    expect(s.getsockname()).toBe(p);
  });

  it.each(TYPES)('UNX-10/19: bind(\'\') and bind(empty Buffer) autobind to a distinct \\0xxxxx name (%s)', (_name, type) => {
    const a = unix(type);
    a.bind('');
    const b = unix(type);
    b.bind(Buffer.alloc(0));
    const na = a.getsockname() as Buffer;
    const nb = b.getsockname() as Buffer;
    for (const n of [na, nb]) {
      expect(Buffer.isBuffer(n)).toBe(true);
      expect(n.length).toBe(6);
      expect(n.toString('latin1')).toMatch(/^\0[0-9a-f]{5}$/);
    }
    expect(na).not.toEqual(nb);
  });

  it('UNX-12: an address of the wrong type is a TypeError naming AF_UNIX and the caller (all forms)', async () => {
    for (const bad of [5, ['/tmp/x'], null, undefined, { path: '/tmp/x' }, true]) {
      const e1 = thrownBy(() => unix().bind(bad as never));
      expect(e1, String(bad)).toBeInstanceOf(TypeError);
      expect(e1.message).toMatch(/^bind\(\): AF_UNIX /);
      const e2 = await rejectionOf(unix().connect(bad as never));
      expect(e2).toBeInstanceOf(TypeError);
      expect(e2.message).toMatch(/^connect\(\): AF_UNIX /);
      const e3 = thrownBy(() => unix().connectSync(bad as never));
      expect(e3).toBeInstanceOf(TypeError);
      const e4 = await rejectionOf(unix(SOCK_DGRAM).sendto(MSG, bad as never));
      expect(e4).toBeInstanceOf(TypeError);
      // (A plain object in the address slot of the Promise form reads as its options.)
      if (typeof bad !== 'object' || bad === null || Array.isArray(bad)) expect(e4.message).toMatch(/^sendto\(\): AF_UNIX /);
      expect(thrownBy(() => unix(SOCK_DGRAM).sendtoSync(MSG, bad as never))).toBeInstanceOf(TypeError);
    }
  });

  it('UNX-15: binding an abstract name or a path already bound is a plain OSError EADDRINUSE', () => {
    const name = abstractName();
    unix().bind(name);
    expectOSError(thrownBy(() => unix().bind(name)), OSError, E.EADDRINUSE);
    const p = path();
    unix(SOCK_DGRAM).bind(p);
    expectOSError(thrownBy(() => unix(SOCK_DGRAM).bind(p)), OSError, E.EADDRINUSE);
  });

  it('UNX-16: connect to a missing abstract name is ConnectionRefusedError 111 (both forms)', async () => {
    for (const [, type] of TYPES) {
      expectOSError(await rejectionOf(unix(type).connect(abstractName())), ConnectionRefusedError, E.ECONNREFUSED);
      expectOSError(thrownBy(() => unix(type).connectSync(abstractName())), ConnectionRefusedError, E.ECONNREFUSED);
      expect(await unix(type).connectEx(abstractName())).toBe(E.ECONNREFUSED);
      expect(unix(type).connectExSync(abstractName())).toBe(E.ECONNREFUSED);
    }
  });

  it('UNX-16: connect to a missing path is FileNotFoundError ENOENT (both forms)', async () => {
    for (const [, type] of TYPES) {
      expectOSError(await rejectionOf(unix(type).connect(path('missing'))), FileNotFoundError, E.ENOENT);
      expectOSError(thrownBy(() => unix(type).connectSync(path('missing'))), FileNotFoundError, E.ENOENT);
      expect(unix(type).connectExSync(path('missing'))).toBe(E.ENOENT);
    }
  });

  it('a path whose listener closed is ConnectionRefusedError (both forms)', async () => {
    const p = path();
    listener(SOCK_STREAM, p).close();
    expectOSError(await rejectionOf(unix().connect(p)), ConnectionRefusedError, E.ECONNREFUSED);
    expectOSError(thrownBy(() => unix().connectSync(p)), ConnectionRefusedError, E.ECONNREFUSED);
  });
});

describe.each(CONNECTION_TYPES)('AF_UNIX %s connections', (_name, type) => {
  it('UNX-13: accept from an unbound client gives \'\'; getpeername \'\'; the client\'s getsockname \'\' (Promise)', async () => {
    const p = path();
    const srv = listener(type, p);
    const cli = unix(type);
    await cli.connect(p);
    const [conn, addr] = await srv.accept();
    track(conn);
    expect(conn).toBeInstanceOf(Socket);
    expect([conn.family, conn.type]).toEqual([AF_UNIX, type]);
    expect(addr).toBe('');
    expect(conn.getpeername()).toBe('');
    expect(conn.getsockname()).toBe(p);
    expect(cli.getsockname()).toBe('');
    expect(cli.getpeername()).toBe(p);
  });

  it('UNX-13: the same with acceptSync / connectSync (Sync)', () => {
    const name = abstractName();
    const srv = listener(type, name);
    const cli = unix(type);
    cli.connectSync(name);
    const [conn, addr] = srv.acceptSync();
    track(conn);
    expect([conn.family, conn.type]).toEqual([AF_UNIX, type]);
    expect(addr).toBe('');
    expect(conn.getpeername()).toBe('');
    expect(cli.getsockname()).toBe('');
  });

  it('accept from a bound client gives the client\'s address (both forms)', async () => {
    const srv = listener(type, path());
    const cli = unix(type);
    const cp = path('client');
    cli.bind(cp);
    await cli.connect(srv.getsockname());
    const [conn, addr] = await srv.accept();
    track(conn);
    expect(addr).toBe(cp);
    const cli2 = unix(type);
    cli2.bind('');
    cli2.connectSync(srv.getsockname());
    const [conn2, addr2] = srv.acceptSync();
    track(conn2);
    expect(addr2).toEqual(cli2.getsockname());
  });

  it('UNX-14: data flows both ways; recvfrom names the sender only when it is bound (both forms)', async () => {
    // CPython (Linux): the accepted side's recvfrom gives None (the client is
    // unbound); the client's gives the listener's name, which the accepted
    // socket carries.
    const name = abstractName();
    const srv = listener(type, name);
    const cli = unix(type);
    await cli.connect(srv.getsockname());
    const [conn] = await srv.accept();
    track(conn);
    await cli.sendall(MSG);
    expect(await conn.recvfrom(1024)).toEqual([MSG, null]);
    cli.sendSync(MSG);
    const buf = Buffer.alloc(100);
    expect(conn.recvfromIntoSync(buf)).toEqual([MSG.length, null]);
    expect(buf.subarray(0, MSG.length)).toEqual(MSG);
    conn.sendallSync(MSG);
    expect(cli.recvfromSync(1024)).toEqual([MSG, Buffer.from(name)]);
    await conn.send(MSG);
    expect(await cli.recvfromInto(buf)).toEqual([MSG.length, Buffer.from(name)]);
  });

  it('after the peer closes, recv gives an empty Buffer (both forms)', async () => {
    const srv = listener(type, abstractName());
    const cli = unix(type);
    cli.connectSync(srv.getsockname());
    const [conn] = srv.acceptSync();
    track(conn);
    const pending = conn.recv(10);
    cli.close();
    expect(await pending).toEqual(Buffer.alloc(0));
    expect(conn.recvSync(10)).toEqual(Buffer.alloc(0));
  });
});

describe('AF_UNIX SOCK_STREAM', () => {
  it('sendall of 4 MiB arrives intact (Promise)', async () => {
    const srv = listener(SOCK_STREAM, path());
    const cli = unix();
    await cli.connect(srv.getsockname());
    const [conn] = await srv.accept();
    track(conn);
    const data = randomBytes(4 << 20);
    const reading = (async () => {
      const parts: Buffer[] = [];
      for (let d = await conn.recv(1 << 20); d.length > 0; d = await conn.recv(1 << 20)) parts.push(d);
      return Buffer.concat(parts);
    })();
    await cli.sendall(data);
    cli.close();
    expect((await reading).equals(data)).toBe(true);
  });

  it('a stream joins what was sent in several sends (Sync)', () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_STREAM).map(track);
    a!.sendSync(Buffer.from('ab'));
    a!.sendSync(Buffer.from('cd'));
    expect(b!.recvSync(100).toString()).toBe('abcd');
  });
});

describe('AF_UNIX SOCK_SEQPACKET (UNX-17)', () => {
  it('keeps message boundaries (Promise)', async () => {
    const srv = listener(SOCK_SEQPACKET, abstractName());
    const cli = unix(SOCK_SEQPACKET);
    await cli.connect(srv.getsockname());
    const [conn] = await srv.accept();
    track(conn);
    await cli.send(Buffer.from('ab'));
    await cli.send(Buffer.from('cd'));
    await cli.sendall(Buffer.from('efg'));
    expect((await conn.recv(100)).toString()).toBe('ab');
    expect((await conn.recv(100)).toString()).toBe('cd');
    expect((await conn.recv(100)).toString()).toBe('efg');
  });

  it('keeps message boundaries (Sync)', () => {
    const srv = listener(SOCK_SEQPACKET, path());
    const cli = unix(SOCK_SEQPACKET);
    cli.connectSync(srv.getsockname());
    const [conn] = srv.acceptSync();
    track(conn);
    cli.sendSync(Buffer.from('ab'));
    cli.sendSync(Buffer.from('cd'));
    expect(conn.recvSync(100).toString()).toBe('ab');
    expect(conn.recvSync(100).toString()).toBe('cd');
  });

  it('a short read takes the start of a message and drops the rest (both forms)', async () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_SEQPACKET).map(track);
    await a!.send(Buffer.from('0123456789'));
    await a!.send(Buffer.from('next'));
    expect((await b!.recv(3)).toString()).toBe('012');
    expect((await b!.recv(100)).toString()).toBe('next');
    a!.sendSync(Buffer.from('0123456789'));
    a!.sendSync(Buffer.from('next'));
    expect(b!.recvSync(3).toString()).toBe('012');
    expect(b!.recvSync(100).toString()).toBe('next');
  });

  it('an empty message is received as an empty Buffer and the next message follows (both forms)', async () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_SEQPACKET).map(track);
    expect(await a!.send(Buffer.alloc(0))).toBe(0);
    a!.sendSync(Buffer.from('after'));
    expect(await b!.recv(100)).toEqual(Buffer.alloc(0));
    expect(b!.recvSync(100).toString()).toBe('after');
  });
});

describe('AF_UNIX SOCK_DGRAM', () => {
  it('UNX-14: from a bound sender recvfrom gives its path; from an abstract one a Buffer (Promise)', async () => {
    const srv = unix(SOCK_DGRAM);
    srv.bind(path());
    const cli = unix(SOCK_DGRAM);
    const cp = path('client');
    cli.bind(cp);
    expect(await cli.sendto(MSG, srv.getsockname())).toBe(MSG.length);
    expect(await srv.recvfrom(1024)).toEqual([MSG, cp]);
    const abs = unix(SOCK_DGRAM);
    const name = abstractName();
    abs.bind(name);
    await abs.sendto(MSG, srv.getsockname());
    const [d, a] = await srv.recvfrom(1024);
    expect(d).toEqual(MSG);
    expect(Buffer.isBuffer(a)).toBe(true);
    expect(a).toEqual(Buffer.from(name));
  });

  it('UNX-14: the same (Sync)', () => {
    const srv = unix(SOCK_DGRAM);
    srv.bind(abstractName());
    const cli = unix(SOCK_DGRAM);
    const cp = path('client');
    cli.bind(cp);
    cli.sendtoSync(MSG, 0, srv.getsockname());
    expect(srv.recvfromSync(1024)).toEqual([MSG, cp]);
    cli.sendtoSync(MSG, srv.getsockname());
    const buf = Buffer.alloc(64);
    expect(srv.recvfromIntoSync(buf)).toEqual([MSG.length, cp]);
  });

  it('UNX-14: from an unbound sender recvfrom gives a null address, and the sender stays unnamed (both forms)', async () => {
    const srv = unix(SOCK_DGRAM);
    srv.bind(path());
    const cli = unix(SOCK_DGRAM);
    await cli.sendto(MSG, srv.getsockname());
    expect(await srv.recvfrom(1024)).toEqual([MSG, null]);
    cli.sendtoSync(MSG, srv.getsockname());
    expect(srv.recvfromSync(1024)).toEqual([MSG, null]);
    expect(await (cli.sendto(MSG, srv.getsockname()), srv.recvfromInto(Buffer.alloc(64)))).toEqual([MSG.length, null]);
    expect(cli.getsockname()).toBe('');
  });

  it('UNX-17: a short read truncates the datagram; the next one follows (both forms)', async () => {
    const [a, b] = socketpair(AF_UNIX, SOCK_DGRAM).map(track);
    await a!.send(Buffer.from('0123456789'));
    await a!.send(Buffer.from('next'));
    expect((await b!.recv(3)).toString()).toBe('012');
    expect(b!.recvSync(100).toString()).toBe('next');
    a!.sendSync(Buffer.from('0123456789'));
    a!.sendSync(Buffer.from('next'));
    expect(b!.recvfromSync(3)[0].toString()).toBe('012');
    expect((await b!.recvfrom(100))[0].toString()).toBe('next');
  });

  it('connected DGRAM: getpeername, send, and recv (both forms)', async () => {
    const srv = unix(SOCK_DGRAM);
    const p = path();
    srv.bind(p);
    const cli = unix(SOCK_DGRAM);
    await cli.connect(p);
    expect(cli.getpeername()).toBe(p);
    await cli.send(MSG);
    cli.sendSync(MSG);
    expect(srv.recvSync(1024)).toEqual(MSG);
    expect(await srv.recv(1024)).toEqual(MSG);
  });

  it('send on an unconnected DGRAM socket is ENOTCONN; recv with no data and timeout 0 is BlockingIOError', async () => {
    const s = unix(SOCK_DGRAM);
    s.bind('');
    const e = thrownBy(() => s.sendSync(MSG));
    expect(e).toBeInstanceOf(OSError);
    expect([E.ENOTCONN, E.EDESTADDRREQ]).toContain(e.errno);
    expect((await rejectionOf(s.send(MSG))).errno).toBe(e.errno);
    s.setblocking(false);
    expectOSError(thrownBy(() => s.recvSync(10)), BlockingIOError, E.EAGAIN);
  });

  it('sendto a path nobody is bound to is FileNotFoundError; to a missing abstract name ConnectionRefusedError (both forms)', async () => {
    const s = unix(SOCK_DGRAM);
    expectOSError(await rejectionOf(s.sendto(MSG, path('missing'))), FileNotFoundError, E.ENOENT);
    expectOSError(thrownBy(() => s.sendtoSync(MSG, path('missing'))), FileNotFoundError, E.ENOENT);
    expectOSError(await rejectionOf(s.sendto(MSG, abstractName())), ConnectionRefusedError, E.ECONNREFUSED);
    expectOSError(thrownBy(() => s.sendtoSync(MSG, abstractName())), ConnectionRefusedError, E.ECONNREFUSED);
  });
});
