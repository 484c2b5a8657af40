/**
 * CPython 3.13's socket module as the independent peer: for TCP, UDP and
 * AF_UNIX SOCK_SEQPACKET, a bsdsock server (Promise API) with a python3
 * client, and a python3 server with a bsdsock client (Sync API). Each
 * exchange carries small messages, an empty message, 1 MiB checked with
 * sha256 in both directions, and ends with a close the other side sees.
 *
 * The Python sides are the scripts in fixtures/py-*.py. Where python3 is
 * not CPython 3.13 the suite is skipped, except under CI, where that fails.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Socket, SHUT_WR, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM } from '@bsdsock/core';
import { AF_INET } from '@bsdsock/inet';
import { AF_UNIX } from '@bsdsock/unix';
import {
  countOpenFds, hasPython, listOpenFds, PYTHON_VERSION, type PythonProcess, pythonSkipReason, runPython, spawnPython,
} from '@bsdsock/test-utils';

const HOST = '127.0.0.1';
const PY_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 60_000;

function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8');
}

const STREAM_SERVER = fixture('py-stream-echo-server.py');
const STREAM_CLIENT = fixture('py-stream-client.py');
const UDP_PEER = fixture('py-udp.py');

const havePython = hasPython();
const inCI = Boolean(process.env.CI);
const noPython = pythonSkipReason();

const opened: Socket[] = [];
const pythons: PythonProcess[] = [];

function track<T extends Socket>(s: T): T {
  opened.push(s);
  return s;
}

function python(script: string, args: string[]): PythonProcess {
  const py = spawnPython(script, { args, timeoutMs: PY_TIMEOUT_MS });
  pythons.push(py);
  return py;
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

/** What the echo protocol answers to a payload: sha256(payload) + payload. */
function answer(payload: Buffer): Buffer {
  return Buffer.concat([sha256(payload), payload]);
}

function frame(payload: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt32BE(payload.length);
  return Buffer.concat([header, payload]);
}

/** Exactly n bytes through recvInto, or null at a clean EOF before the first byte (Promise). */
async function recvExact(s: Socket, n: number): Promise<Buffer | null> {
  const buf = Buffer.alloc(n);
  let off = 0;
  while (off < n) {
    const got = await s.recvInto(buf.subarray(off));
    if (got === 0) {
      if (off === 0) return null;
      throw new Error(`EOF after ${off} of ${n} bytes`);
    }
    off += got;
  }
  return buf;
}

/** Exactly n bytes through recvSync (Sync). */
function recvExactSync(s: Socket, n: number): Buffer {
  const parts: Buffer[] = [];
  let have = 0;
  while (have < n) {
    const d = s.recvSync(n - have);
    if (d.length === 0) throw new Error(`EOF after ${have} of ${n} bytes`);
    parts.push(d);
    have += d.length;
  }
  return Buffer.concat(parts, n);
}

async function expectSuccess(py: PythonProcess, lastLine: string): Promise<void> {
  const line = await py.readLine();
  const r = await py.result;
  expect(r.code, `python3 failed:\n${r.stderr}`).toBe(0);
  expect(line).toBe(lastLine);
}

const PAYLOADS = (): Buffer[] => [
  Buffer.from('hello'),
  Buffer.from('h\u00e9llo \u2603'),
  Buffer.alloc(0),
  randomBytes(1 << 20),
  Buffer.alloc(70000, 'x'),
];

let dir = '';
let fdsBefore = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bsdsock-interop-'));
  // The first child process opens libuv's signal pipe for good: start one
  // before counting, so the count sees only what the tests leave behind.
  if (havePython) await runPython('pass');
  fdsBefore = countOpenFds();
});

afterEach(async () => {
  for (const s of opened.splice(0)) {
    try {
      s.close();
    } catch {
      // already gone
    }
  }
  for (const py of pythons.splice(0)) {
    py.kill();
    await py.result.catch(() => undefined);
  }
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  expect(countOpenFds(), `fds open now: ${JSON.stringify([...listOpenFds()])}`).toBe(fdsBefore);
});

describe('the CPython peer', () => {
  it(`is available${inCI ? ' (required under CI)' : ''}`, (ctx) => {
    if (!havePython && !inCI) ctx.skip(noPython);
    expect(havePython, noPython).toBe(true);
  });
});

describe.skipIf(!havePython)(`CPython ${PYTHON_VERSION} as the peer${havePython ? '' : ` (skipped: ${noPython})`}`, () => {
  describe('TCP', () => {
    it('a bsdsock server (Promise) serves a python3 client', { timeout: TEST_TIMEOUT_MS }, async () => {
      const srv = track(new Socket(AF_INET, SOCK_STREAM));
      srv.bind([HOST, 0]);
      srv.listen();
      const port = (srv.getsockname() as [string, number])[1];
      const py = python(STREAM_CLIENT, ['tcp', String(port)]);
      const [conn, addr] = await srv.accept();
      track(conn);
      expect(await py.readLine()).toBe(`local ('${HOST}', ${(addr as [string, number])[1]})`);
      const sizes: number[] = [];
      for (;;) {
        const header = await recvExact(conn, 4);
        if (header === null) break;
        const n = header.readUInt32BE(0);
        const payload = n === 0 ? Buffer.alloc(0) : await recvExact(conn, n);
        if (payload === null) throw new Error('EOF inside a frame');
        sizes.push(n);
        await conn.sendall(frame(answer(payload)));
      }
      conn.close();
      expect(sizes).toEqual([5, 10, 0, 1 << 20, 70000]);
      await expectSuccess(py, 'OK 5');
    });

    it('a bsdsock client (Sync) talks to a python3 server', { timeout: TEST_TIMEOUT_MS }, async () => {
      const py = python(STREAM_SERVER, ['tcp']);
      const port = Number(await py.readLine());
      const c = track(new Socket(AF_INET, SOCK_STREAM));
      c.settimeout(10);
      c.connectSync([HOST, port]);
      for (const p of PAYLOADS()) {
        c.sendallSync(frame(p));
        const n = recvExactSync(c, 4).readUInt32BE(0);
        expect(n).toBe(32 + p.length);
        const reply = recvExactSync(c, n);
        expect(reply.subarray(0, 32)).toEqual(sha256(p));
        expect(reply.subarray(32).equals(p)).toBe(true);
      }
      c.shutdown(SHUT_WR);
      expect(c.recvSync(1)).toEqual(Buffer.alloc(0));
      const local = c.getsockname() as [string, number];
      c.close();
      expect(await py.readLine()).toBe(`peer ('${HOST}', ${local[1]})`);
      await expectSuccess(py, 'served 5');
    });
  });

  describe('UDP', () => {
    it('a bsdsock server (Promise) answers a python3 client', { timeout: TEST_TIMEOUT_MS }, async () => {
      const srv = track(new Socket(AF_INET, SOCK_DGRAM));
      srv.bind([HOST, 0]);
      const port = (srv.getsockname() as [string, number])[1];
      const py = python(UDP_PEER, ['client', String(port)]);
      const pyPort = Number((await py.readLine()).replace(/^local /, ''));
      const total = createHash('sha256');
      const sizes: number[] = [];
      for (;;) {
        const [data, addr] = await srv.recvfrom(65535);
        expect(addr).toEqual([HOST, pyPort]);
        if (data.equals(Buffer.from('END'))) {
          await srv.sendto(total.digest(), addr);
          break;
        }
        total.update(data);
        sizes.push(data.length);
        expect(await srv.sendto(answer(data), addr)).toBe(32 + data.length);
      }
      expect(sizes.slice(0, 3)).toEqual([5, 0, 60000]);
      expect(sizes.slice(3).reduce((a, b) => a + b, 0)).toBe(1 << 20);
      await expectSuccess(py, `OK ${sizes.length}`);
    });

    it('a bsdsock client (Sync) talks to a python3 server', { timeout: TEST_TIMEOUT_MS }, async () => {
      const py = python(UDP_PEER, ['server']);
      const port = Number(await py.readLine());
      const c = track(new Socket(AF_INET, SOCK_DGRAM));
      c.settimeout(10);
      const big = randomBytes(1 << 20);
      const grams = [Buffer.from('hello'), Buffer.alloc(0), randomBytes(60000)];
      for (let i = 0; i < big.length; i += 32768) grams.push(big.subarray(i, i + 32768));
      const total = createHash('sha256');
      for (const g of grams) {
        expect(c.sendtoSync(g, [HOST, port])).toBe(g.length);
        const [reply, addr] = c.recvfromSync(65535);
        expect(addr).toEqual([HOST, port]);
        expect(reply.equals(answer(g))).toBe(true);
        total.update(g);
      }
      c.sendtoSync(Buffer.from('END'), 0, [HOST, port]);
      const buf = Buffer.alloc(64);
      const [n, addr] = c.recvfromIntoSync(buf);
      expect(addr).toEqual([HOST, port]);
      expect(buf.subarray(0, n)).toEqual(total.digest());
      const local = c.getsockname() as [string, number];
      expect(await py.readLine()).toBe(`peer ('${HOST}', ${local[1]})`);
      await expectSuccess(py, `served ${grams.length}`);
    });
  });

  describe('AF_UNIX SOCK_SEQPACKET', () => {
    it('a bsdsock server (Promise) serves a python3 client; message boundaries hold', { timeout: TEST_TIMEOUT_MS }, async () => {
      const path = join(dir, 'seqpacket.sock');
      const srv = track(new Socket(AF_UNIX, SOCK_SEQPACKET));
      srv.bind(path);
      srv.listen();
      const py = python(STREAM_CLIENT, ['seqpacket', path]);
      const [conn, addr] = await srv.accept();
      track(conn);
      // The python3 client autobound: its name is an abstract \0xxxxx, a Buffer here.
      expect(Buffer.isBuffer(addr)).toBe(true);
      expect(await py.readLine()).toBe(`local ${(addr as Buffer).toString('hex')}`);
      expect(conn.getpeername()).toEqual(addr);
      const sizes: number[] = [];
      for (;;) {
        const m = await conn.recv(1 << 17);
        if (m.equals(Buffer.from('BYE'))) {
          await conn.send(Buffer.from('BYE'));
          break;
        }
        sizes.push(m.length);
        expect(await conn.send(answer(m))).toBe(32 + m.length);
      }
      conn.close();
      // 'ab' and 'cd' were sent back to back: two messages, not one of 4 bytes.
      expect(sizes.slice(0, 5)).toEqual([2, 2, 5, 10, 0]);
      expect(sizes.slice(5)).toEqual(Array(16).fill(65536));
      await expectSuccess(py, `OK ${sizes.length}`);
    });

    it('a bsdsock client (Sync) talks to a python3 server; message boundaries hold', { timeout: TEST_TIMEOUT_MS }, async () => {
      const name = `bsdsock-interop-${randomBytes(8).toString('hex')}`;
      const py = python(STREAM_SERVER, ['seqpacket', `@${name}`]);
      expect(await py.readLine()).toBe('ready');
      const c = track(new Socket(AF_UNIX, SOCK_SEQPACKET));
      c.settimeout(10);
      c.connectSync(Buffer.from(`\0${name}`));
      expect(c.getpeername()).toEqual(Buffer.from(`\0${name}`));
      // Two messages back to back: the server answers each on its own.
      c.sendSync(Buffer.from('ab'));
      c.sendSync(Buffer.from('cd'));
      expect(c.recvSync(1 << 17)).toEqual(answer(Buffer.from('ab')));
      expect(c.recvSync(1 << 17)).toEqual(answer(Buffer.from('cd')));
      const big = randomBytes(1 << 20);
      const messages = [Buffer.from('hello'), Buffer.from('h\u00e9llo \u2603'), Buffer.alloc(0)];
      for (let i = 0; i < big.length; i += 65536) messages.push(big.subarray(i, i + 65536));
      for (const m of messages) {
        expect(c.sendSync(m)).toBe(m.length);
        const reply = c.recvSync(1 << 17);
        expect(reply.length).toBe(32 + m.length);
        expect(reply.equals(answer(m))).toBe(true);
      }
      c.sendallSync(Buffer.from('BYE'));
      expect(c.recvSync(16).toString()).toBe('BYE');
      expect(c.recvSync(16)).toEqual(Buffer.alloc(0));
      c.close();
      // bsdsock's client was unbound: CPython's accept() gives ''.
      expect(await py.readLine()).toBe("peer ''");
      await expectSuccess(py, `served ${2 + messages.length}`);
    });
  });
});
