/**
 * Process credentials over AF_UNIX: SO_PASSCRED + SCM_CREDENTIALS received
 * on real sockets (Promise and Sync), explicit credentials sent with
 * sendmsg, SO_PEERCRED through peerCredentials and through the raw
 * getsockopt, the struct ucred helpers, and the same with a python3 peer
 * (its struct.pack('iII') against packCredentials / parseCredentials).
 *
 * Where python3 is not CPython 3.13 the interop test is skipped, except
 * under CI, where that fails. Every fd this file opens is closed again.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { constants as osConstants, endianness, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CMSG_SPACE, PermissionError, Socket, getdefaulttimeout, setdefaulttimeout, socketpair,
  MSG_CTRUNC, SOCK_DGRAM, SOCK_STREAM, SOL_SOCKET,
} from '@bsdsock/core';
import { layout } from '@bsdsock/core/internal';
import {
  AF_UNIX, SCM_CREDENTIALS, SO_PASSCRED, SO_PEERCRED, packCredentials, parseCredentials, peerCredentials,
  type Credentials,
} from '@bsdsock/unix';
import { hasPython, PYTHON_VERSION, type PythonProcess, pythonSkipReason, spawnPython } from '@bsdsock/test-utils';
import { guardFds } from '../../core/test/fixtures/fd-guard.js';

guardFds();

const UCRED = layout('ucred');
const LE = endianness() === 'LE';
const ME: Credentials = { pid: process.pid, uid: process.getuid!(), gid: process.getgid!() };
const isRoot = process.getuid!() === 0;

const havePython = hasPython();
const inCI = Boolean(process.env.CI);
const noPython = pythonSkipReason();
const PY_CREDS = readFileSync(
  fileURLToPath(new URL('../../core/test/fixtures/py-msg-creds.py', import.meta.url)), 'utf8',
);

const opened: Socket[] = [];
const pythons: PythonProcess[] = [];
let dir = '';
let savedDefault: number | null = null;

function pair(type = SOCK_STREAM): [Socket, Socket] {
  const p = socketpair(AF_UNIX, type);
  opened.push(...p);
  return p;
}

/** The credentials of every SCM_CREDENTIALS item. */
function credentialsIn(anc: [number, number, Buffer][]): Credentials[] {
  return anc.filter(([l, t]) => l === SOL_SOCKET && t === SCM_CREDENTIALS).map(([, , d]) => parseCredentials(d));
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return expect.fail('expected a throw');
}

beforeAll(() => {
  savedDefault = getdefaulttimeout();
  setdefaulttimeout(5);
  dir = mkdtempSync(join(tmpdir(), 'bsdsock-creds-'));
});

afterEach(() => {
  for (const py of pythons.splice(0)) py.kill();
  for (const s of opened.splice(0)) s.close();
});

afterAll(() => {
  setdefaulttimeout(savedDefault);
  rmSync(dir, { recursive: true, force: true });
});

describe('struct ucred helpers', () => {
  it("packs with the platform's layout: pid, uid, gid in host byte order", () => {
    const b = packCredentials({ pid: 1234, uid: 1000, gid: 4_000_000_000 });
    expect(b.length).toBe(UCRED);
    const at = (key: string, signed: boolean): number => {
      const off = layout(key);
      if (signed) return LE ? b.readInt32LE(off) : b.readInt32BE(off);
      return LE ? b.readUInt32LE(off) : b.readUInt32BE(off);
    };
    expect([at('ucred.pid', true), at('ucred.uid', false), at('ucred.gid', false)]).toEqual([1234, 1000, 4_000_000_000]);
    expect(parseCredentials(b)).toEqual({ pid: 1234, uid: 1000, gid: 4_000_000_000 });
  });

  it('packCredentials() defaults to this process: pid, real uid, real gid', () => {
    expect(parseCredentials(packCredentials())).toEqual(ME);
  });

  it('parses any bytes-like value; too short → RangeError; not bytes → TypeError', () => {
    const b = packCredentials(ME);
    expect(parseCredentials(new Uint8Array(b))).toEqual(ME);
    expect(parseCredentials(new DataView(b.buffer, b.byteOffset, b.length))).toEqual(ME);
    expect(parseCredentials(new Uint8Array(b).buffer)).toEqual(ME);
    expect(thrown(() => parseCredentials(b.subarray(0, UCRED - 1)))).toBeInstanceOf(RangeError);
    for (const v of ['abc', 42, null, {}]) {
      expect(thrown(() => parseCredentials(v as never)), String(v)).toBeInstanceOf(TypeError);
    }
  });

  it('bad fields: TypeError for a missing or non-integer field, RangeError out of range', () => {
    for (const v of [{ pid: 1, uid: 0 }, { pid: '1', uid: 0, gid: 0 }, { pid: 1.5, uid: 0, gid: 0 }, null, 42]) {
      expect(thrown(() => packCredentials(v as never)), JSON.stringify(v)).toBeInstanceOf(TypeError);
    }
    for (const v of [{ pid: 2 ** 31, uid: 0, gid: 0 }, { pid: 1, uid: -1, gid: 0 }, { pid: 1, uid: 0, gid: 2 ** 32 }]) {
      expect(thrown(() => packCredentials(v)), JSON.stringify(v)).toBeInstanceOf(RangeError);
    }
  });
});

describe('SO_PASSCRED and SCM_CREDENTIALS', () => {
  it.each([['SOCK_STREAM', SOCK_STREAM], ['SOCK_DGRAM', SOCK_DGRAM]])(
    '%s: with SO_PASSCRED the receiver gets the sender\'s pid, uid and gid (Promise and Sync)', async (_n, type) => {
      const [a, b] = pair(type);
      b.setsockopt(SOL_SOCKET, SO_PASSCRED, 1);
      expect(b.getsockopt(SOL_SOCKET, SO_PASSCRED)).toBe(1);
      a.sendSync(Buffer.from('hi'));
      const [data, anc, flags] = await b.recvmsg(100, CMSG_SPACE(UCRED));
      expect([data.toString(), flags]).toEqual(['hi', 0]);
      expect(anc).toHaveLength(1);
      expect(anc[0]![2].length).toBe(UCRED);
      expect(credentialsIn(anc)).toEqual([ME]);
      a.sendSync(Buffer.from('again'));
      expect(credentialsIn(b.recvmsgSync(100, CMSG_SPACE(UCRED))[1])).toEqual([ME]);
    },
  );

  it('without SO_PASSCRED nothing comes', async () => {
    const [a, b] = pair();
    a.sendSync(Buffer.from('hi'));
    expect((await b.recvmsg(100, CMSG_SPACE(UCRED)))[1]).toEqual([]);
  });

  it('a control buffer too small for them: MSG_CTRUNC set', async () => {
    const [a, b] = pair(SOCK_DGRAM);
    b.setsockopt(SOL_SOCKET, SO_PASSCRED, 1);
    a.sendSync(Buffer.from('hi'));
    const [, , flags] = await b.recvmsg(100, CMSG_SPACE(0) - 1);
    expect(flags & MSG_CTRUNC).toBe(MSG_CTRUNC);
  });

  it('sending our own credentials explicitly: the receiver gets exactly those', async () => {
    const [a, b] = pair();
    b.setsockopt(SOL_SOCKET, SO_PASSCRED, 1);
    expect(await a.sendmsg([Buffer.from('mine')], [[SOL_SOCKET, SCM_CREDENTIALS, packCredentials()]])).toBe(4);
    const [data, anc] = await b.recvmsg(100, CMSG_SPACE(UCRED));
    expect(data.toString()).toBe('mine');
    expect(credentialsIn(anc)).toEqual([ME]);
  });

  it(`sending other credentials: ${isRoot ? 'root may (pid 1, uid/gid 65534)' : 'PermissionError without the capabilities'}`, async () => {
    const [a, b] = pair(SOCK_DGRAM);
    b.setsockopt(SOL_SOCKET, SO_PASSCRED, 1);
    const other = { pid: 1, uid: 65534, gid: 65534 };
    const item: [number, number, Buffer] = [SOL_SOCKET, SCM_CREDENTIALS, packCredentials(other)];
    if (!isRoot) {
      expect(thrown(() => a.sendmsgSync([Buffer.from('x')], [item]))).toBeInstanceOf(PermissionError);
      return;
    }
    a.sendmsgSync([Buffer.from('other')], [item]);
    const [, anc] = b.recvmsgSync(100, CMSG_SPACE(UCRED));
    expect(credentialsIn(anc)).toEqual([other]);
  });
});

describe('SO_PEERCRED', () => {
  it('peerCredentials of a socketpair end: this process; the raw getsockopt gives the same bytes', () => {
    const [a, b] = pair();
    expect(peerCredentials(a)).toEqual(ME);
    expect(peerCredentials(b)).toEqual(ME);
    const raw = a.getsockopt(SOL_SOCKET, SO_PEERCRED, UCRED);
    expect(Buffer.isBuffer(raw)).toBe(true);
    expect(raw).toEqual(packCredentials(ME));
    expect(parseCredentials(raw)).toEqual(peerCredentials(a));
  });

  it('an unconnected socket: the kernel reports pid 0 and uid/gid -1', () => {
    const s = new Socket(AF_UNIX, SOCK_STREAM);
    opened.push(s);
    expect(peerCredentials(s)).toEqual({ pid: 0, uid: 0xffff_ffff, gid: 0xffff_ffff });
  });

  it('not a socket → TypeError; a closed socket → OSError EBADF', () => {
    expect(thrown(() => peerCredentials({} as never))).toBeInstanceOf(TypeError);
    const [a] = pair();
    a.close();
    expect((thrown(() => peerCredentials(a)) as { errno: number }).errno).toBe(osConstants.errno.EBADF);
  });
});

describe.skipIf(!havePython && !inCI)(`credentials with a python3 ${PYTHON_VERSION} peer${havePython ? '' : ` (skipped: ${noPython})`}`, () => {
  beforeAll(() => {
    if (!havePython) throw new Error(noPython);
  });

  it("each side reads the other's: SO_PEERCRED, SCM_CREDENTIALS both ways", async () => {
    const path = join(dir, 'creds.sock');
    const listener = new Socket(AF_UNIX, SOCK_STREAM);
    opened.push(listener);
    listener.bind(path);
    listener.listen();
    const py = spawnPython(PY_CREDS, { args: [path], timeoutMs: 20_000 });
    pythons.push(py);
    const [conn] = await listener.accept();
    opened.push(conn);
    conn.setsockopt(SOL_SOCKET, SO_PASSCRED, 1);
    expect(await py.readLine()).toBe('ready');
    const peer = peerCredentials(conn);
    expect(peer.pid).toBe(py.child.pid);

    await conn.sendmsg([Buffer.from('creds')], [[SOL_SOCKET, SCM_CREDENTIALS, packCredentials()]]);
    expect(await py.readLine()).toBe(`got ${ME.pid} ${ME.uid} ${ME.gid}`);
    expect(await py.readLine()).toBe(`peer ${ME.pid} ${ME.uid} ${ME.gid}`);
    const sent = (await py.readLine()).split(' ');
    const [data, anc] = await conn.recvmsg(100, CMSG_SPACE(UCRED));
    expect(data.toString()).toBe('py');
    expect(credentialsIn(anc)).toEqual([{ pid: Number(sent[1]), uid: Number(sent[2]), gid: Number(sent[3]) }]);
    expect(credentialsIn(anc)).toEqual([peer]);
    conn.sendallSync(Buffer.from('bye'));
    const r = await py.result;
    expect(r.code, r.stderr).toBe(0);
  });
});
