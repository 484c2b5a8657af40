/**
 * Socket.sendfile on real sockets: CPython's behaviours SND-04..15 (see the
 * conformance checklist), in the Promise form and the Sync form — the
 * sendfile(2) path for regular files and the send() fallback for others,
 * offset / count and the file position afterwards, the parameter checks,
 * timeouts; and a 100 MiB file whose sha256 a python3 process computes on
 * the far side of a TCP connection.
 *
 * The receiver of the smaller transfers is a child `node` reading the
 * socket (passed as its fd 3) to EOF and printing the byte count and the
 * sha256, so that the Sync form can block without a reader in this thread.
 * Files live in a fresh mkdtemp directory under os.tmpdir(), removed
 * afterwards; every fd is closed again (guardFds).
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import {
  closeSync, constants as fsConstants, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync,
} from 'node:fs';
import { open as openHandle } from 'node:fs/promises';
import { constants as osConstants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BrokenPipeError, OSError, SHUT_WR, Socket, TimeoutError, getdefaulttimeout, setdefaulttimeout, socketpair, SOCK_DGRAM, SOCK_STREAM,
} from '@bsdsock/core';
import { AF_INET } from '@bsdsock/inet';
import { AF_UNIX } from '@bsdsock/unix';
import { hasPython, PYTHON_VERSION, type PythonProcess, pythonSkipReason, spawnPython } from '@bsdsock/test-utils';
import { guardFds } from './fixtures/fd-guard.js';
import {
  closeAll, expectErrno, expectRejectErrno, fillSendBuffer, smallSendBuffer, spawnWithFd, tcpPair, thrown,
} from './fixtures/object-helpers.js';

guardFds();

const E = osConstants.errno;
const MiB = 1024 * 1024;
/** The big transfer's size (the issue asks for 100 MiB). */
const BIG = 100 * MiB;
/** The size of the ordinary test file. */
const FILESIZE = 1 * MiB + 12345;

const havePython = hasPython();
const inCI = Boolean(process.env.CI);
const noPython = pythonSkipReason();

/** Child code: reads fd 3 to EOF (it is non-blocking) and prints "<count> <sha256 hex>". */
const READER = `
const fs = require('fs');
const h = require('crypto').createHash('sha256');
const buf = Buffer.alloc(1 << 20);
const pause = new Int32Array(new SharedArrayBuffer(4));
let n = 0;
for (;;) {
  let k;
  try { k = fs.readSync(3, buf, 0, buf.length, null); }
  catch (e) { if (e.code === 'EAGAIN') { Atomics.wait(pause, 0, 0, 1); continue; } throw e; }
  if (k === 0) break;
  h.update(buf.subarray(0, k));
  n += k;
}
console.log(n + ' ' + h.digest('hex'));
`;

const opened: Socket[] = [];
const fds: number[] = [];
const pythons: PythonProcess[] = [];
let dir = '';
let counter = 0;
let data = Buffer.alloc(0);
let savedDefault: number | null = null;

function track<T extends Socket>(s: T): T {
  opened.push(s);
  return s;
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

/** A file holding `content`, opened for reading; closed after the test. */
function file(content: Buffer): number {
  const p = join(dir, `f${++counter}`);
  writeFileSync(p, content);
  const fd = openSync(p, 'r');
  fds.push(fd);
  return fd;
}

/** The file position of `fd` (Python's `f.tell()`), from /proc/self/fdinfo. */
function tell(fd: number): number {
  return Number(/^pos:\s+(\d+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))![1]);
}

/**
 * A pipe's read end (non-blocking) holding `content`, its write end
 * already closed so that reading ends at EOF: a non-regular file.
 */
function pipeWith(content: Buffer): number {
  const p = join(dir, `fifo${++counter}`);
  execFileSync('mkfifo', [p]);
  const r = openSync(p, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  fds.push(r);
  const w = openSync(p, fsConstants.O_WRONLY);
  try {
    let off = 0;
    while (off < content.length) off += writeSync(w, content, off);
  } finally {
    closeSync(w);
  }
  return r;
}

/**
 * Sends with `send` over a fresh connection (TCP unless `unix`) to a child
 * that reads to EOF; returns what `send` returned and what the child saw.
 */
async function transfer(
  send: (s: Socket) => number | Promise<number>, unix = false,
): Promise<{ sent: number; count: number; digest: string }> {
  let a: Socket;
  let b: Socket;
  if (unix) {
    [a, b] = socketpair(AF_UNIX, SOCK_STREAM);
  } else {
    const [l, c, s] = await tcpPair();
    l.close();
    [a, b] = [c, s];
  }
  track(a);
  const reader = spawnWithFd(b.fileno(), READER, 30_000);
  b.close();
  let sent: number;
  try {
    sent = await send(a);
  } finally {
    a.close();
  }
  const r = await reader;
  expect(r.code, r.stderr).toBe(0);
  const [count, digest] = r.stdout.trim().split(' ');
  return { sent, count: Number(count), digest: digest! };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  expect(p).toBeInstanceOf(Promise);
  return p.then(() => expect.fail('expected a rejection'), (e: unknown) => e);
}

beforeAll(() => {
  savedDefault = getdefaulttimeout();
  setdefaulttimeout(10);
  dir = mkdtempSync(join(tmpdir(), 'bsdsock-sendfile-'));
  data = randomFillSync(Buffer.alloc(FILESIZE));
});

afterEach(() => {
  closeAll(...opened.splice(0));
  for (const fd of fds.splice(0)) closeSync(fd);
  for (const py of pythons.splice(0)) py.kill();
});

afterAll(() => {
  setdefaulttimeout(savedDefault);
  rmSync(dir, { recursive: true, force: true });
});

const FORMS = [
  ['Promise', (s: Socket, ...a: Parameters<Socket['sendfile']>) => s.sendfile(...a)],
  ['Sync', (s: Socket, ...a: Parameters<Socket['sendfileSync']>) => s.sendfileSync(...a)],
] as const;

describe.each(FORMS)('sendfile, %s form', (_name, sendfile) => {
  it('a regular file: returns its size, tell() == size, identical bytes on the far side (SND-04)', async () => {
    const fd = file(data);
    const r = await transfer((s) => sendfile(s, fd));
    expect(r).toEqual({ sent: FILESIZE, count: FILESIZE, digest: sha256(data) });
    expect(tell(fd)).toBe(FILESIZE);
  });

  it('starts at offset 0 (not at the current position) on the sendfile(2) path', async () => {
    const fd = file(data);
    readFileSync(fd); // reads to EOF: the position is now at the end
    expect(tell(fd)).toBe(FILESIZE);
    const r = await transfer((s) => sendfile(s, fd));
    expect(r.digest).toBe(sha256(data));
    expect(tell(fd)).toBe(FILESIZE);
  });

  it('a fs.promises FileHandle works like its fd', async () => {
    const p = join(dir, `h${++counter}`);
    writeFileSync(p, data);
    const fh = await openHandle(p, 'r');
    try {
      const r = await transfer((s) => sendfile(s, fh));
      expect(r).toEqual({ sent: FILESIZE, count: FILESIZE, digest: sha256(data) });
      expect(tell(fh.fd)).toBe(FILESIZE);
    } finally {
      await fh.close();
    }
  });

  it('a pipe (not a regular file) falls back to send(): every byte, in order (SND-05)', async () => {
    const content = data.subarray(0, 60_000);
    const fd = pipeWith(content);
    const r = await transfer((s) => sendfile(s, fd));
    expect(r).toEqual({ sent: content.length, count: content.length, digest: sha256(content) });
  });

  it('a character device with a count falls back to send(): /dev/zero, count 100000', async () => {
    const fd = openSync('/dev/zero', 'r');
    fds.push(fd);
    const r = await transfer((s) => sendfile(s, fd, 0, 100_000));
    expect(r).toEqual({ sent: 100_000, count: 100_000, digest: sha256(Buffer.alloc(100_000)) });
  });

  it('an empty file: returns 0, tell() == 0, the peer reads nothing (SND-06)', async () => {
    const fd = file(Buffer.alloc(0));
    const r = await transfer((s) => sendfile(s, fd));
    expect(r).toEqual({ sent: 0, count: 0, digest: sha256(Buffer.alloc(0)) });
    expect(tell(fd)).toBe(0);
  });

  it('offset=5000: the file from the offset, tell() == size (SND-07)', async () => {
    const fd = file(data);
    const r = await transfer((s) => sendfile(s, fd, 5000));
    expect(r).toEqual({ sent: FILESIZE - 5000, count: FILESIZE - 5000, digest: sha256(data.subarray(5000)) });
    expect(tell(fd)).toBe(FILESIZE);
  });

  it('count: exactly count bytes, tell() == count; count=1 sends 1 byte (SND-08)', async () => {
    const fd = file(data);
    const r = await transfer((s) => sendfile(s, fd, 0, 500_007));
    expect(r).toEqual({ sent: 500_007, count: 500_007, digest: sha256(data.subarray(0, 500_007)) });
    expect(tell(fd)).toBe(500_007);
    const fd1 = file(data);
    const r1 = await transfer((s) => sendfile(s, fd1, 0, 1));
    expect(r1).toEqual({ sent: 1, count: 1, digest: sha256(data.subarray(0, 1)) });
    expect(tell(fd1)).toBe(1);
  });

  it('offset and count: data[offset:offset+count], tell() == offset+count (SND-09)', async () => {
    const fd = file(data);
    const r = await transfer((s) => sendfile(s, fd, 2007, 100_007));
    expect(r).toEqual({ sent: 100_007, count: 100_007, digest: sha256(data.subarray(2007, 2007 + 100_007)) });
    expect(tell(fd)).toBe(2007 + 100_007);
  });

  it('a count past EOF sends to EOF', async () => {
    const fd = file(data);
    const r = await transfer((s) => sendfile(s, fd, FILESIZE - 10, 1000));
    expect(r).toEqual({ sent: 10, count: 10, digest: sha256(data.subarray(FILESIZE - 10)) });
    expect(tell(fd)).toBe(FILESIZE);
  });

  it('offset and count on the send() fallback too (a pipe cannot seek, so offset 0)', async () => {
    const content = data.subarray(0, 50_000);
    const fd = pipeWith(content);
    const r = await transfer((s) => sendfile(s, fd, 0, 1234));
    expect(r).toEqual({ sent: 1234, count: 1234, digest: sha256(content.subarray(0, 1234)) });
  });

  it('an offset past EOF: returns 0 and leaves the position unchanged on the sendfile(2) path (SND-15)', async () => {
    const fd = file(data.subarray(0, 100));
    readFileSync(fd); // reads to EOF: position 100
    const pos = tell(fd);
    const r = await transfer((s) => sendfile(s, fd, 1000));
    expect(r).toEqual({ sent: 0, count: 0, digest: sha256(Buffer.alloc(0)) });
    expect(tell(fd)).toBe(pos);
  });

  it('works on an AF_UNIX stream socketpair: the check is on the type, not the family (SND-14)', async () => {
    const fd = file(data);
    const r = await transfer((s) => sendfile(s, fd), true);
    expect(r).toEqual({ sent: FILESIZE, count: FILESIZE, digest: sha256(data) });
  });

  it('with a timeout that does not expire, the whole file is sent (SND-11)', async () => {
    const fd = file(data);
    const r = await transfer((s) => {
      s.settimeout(5);
      return sendfile(s, fd);
    });
    expect(r.count).toBe(FILESIZE);
  });
});

describe('sendfile: parameter checks (SND-10, SND-12, SND-13)', () => {
  /** Both forms fail with `cls` (the Promise rejects, never throws); nothing is sent. */
  async function bothFail(sock: Socket, args: unknown[], cls: Function, message?: string | RegExp): Promise<void> {
    const err = thrown(() => (sock.sendfileSync as (...a: unknown[]) => unknown)(...args)) as Error;
    expect(err, String(args)).toBeInstanceOf(cls);
    if (message !== undefined) expect(err.message).toMatch(message);
    const rej = (await rejection((sock.sendfile as (...a: unknown[]) => Promise<unknown>)(...args))) as Error;
    expect(rej, String(args)).toBeInstanceOf(cls);
    if (message !== undefined) expect(rej.message).toMatch(message);
  }

  it('a non-blocking socket → RangeError "non-blocking sockets are not supported", nothing sent (SND-10)', async () => {
    const [a, b] = socketpair();
    track(a);
    track(b);
    const fd = file(data);
    a.setblocking(false);
    await bothFail(a, [fd], RangeError, 'non-blocking sockets are not supported');
    await bothFail(a, [pipeWith(Buffer.from('abc'))], RangeError, 'non-blocking sockets are not supported');
    b.setblocking(false);
    expect(() => b.recvSync(10)).toThrow(OSError);
    expect(tell(fd)).toBe(0);
  });

  it('a SOCK_DGRAM socket → RangeError naming SOCK_STREAM (SND-12)', async () => {
    const s = track(new Socket(AF_INET, SOCK_DGRAM));
    await bothFail(s, [file(data)], RangeError, /SOCK_STREAM/);
    const [u] = socketpair(AF_UNIX, SOCK_DGRAM).map(track);
    await bothFail(u!, [file(data)], RangeError, 'only SOCK_STREAM type sockets are supported');
  });

  it("count '2' or 0.1 → TypeError; 0 or -1 → RangeError, Python's wording (SND-12)", async () => {
    const [a] = socketpair().map(track);
    const fd = file(data);
    await bothFail(a!, [fd, 0, '2'], TypeError, "count must be a positive integer (got '2')");
    await bothFail(a!, [fd, 0, 0.1], TypeError, 'count must be a positive integer (got 0.1)');
    await bothFail(a!, [fd, 0, 0], RangeError, 'count must be a positive integer (got 0)');
    await bothFail(a!, [fd, 0, -1], RangeError, 'count must be a positive integer (got -1)');
  });

  it('bad files and offsets: TypeError / RangeError; a closed fd → OSError EBADF (SND-13)', async () => {
    const [a] = socketpair().map(track);
    await bothFail(a!, ['file'], TypeError);
    await bothFail(a!, [null], TypeError);
    await bothFail(a!, [{}], TypeError);
    await bothFail(a!, [1.5], TypeError);
    await bothFail(a!, [2 ** 1000], RangeError);
    const fd = file(data);
    await bothFail(a!, [fd, -1], RangeError);
    await bothFail(a!, [fd, 1.5], TypeError);
    await bothFail(a!, [fd, '0'], TypeError);
    const closed = openSync('/dev/null', 'r');
    closeSync(closed);
    expectErrno(() => a!.sendfileSync(closed), E.EBADF);
    await expectRejectErrno(a!.sendfile(closed), E.EBADF);
    expectErrno(() => a!.sendfileSync(-1), E.EBADF);
  });

  it('a closed socket → OSError EBADF', async () => {
    const [a] = socketpair().map(track);
    a!.close();
    const fd = file(data);
    expectErrno(() => a!.sendfileSync(fd), E.EBADF);
    await expectRejectErrno(a!.sendfile(fd), E.EBADF);
  });
});

describe('sendfile: timeouts, abort and the position afterwards (SND-11, SND-15)', () => {
  const big = (): Buffer => Buffer.alloc(4 * MiB, 0x61);

  it.each(['Promise', 'Sync'])('%s: a receiver that stops reading → TimeoutError; tell() shows what was sent', async (form) => {
    const [a, b] = socketpair().map(track) as [Socket, Socket];
    smallSendBuffer(a);
    const fd = file(big());
    a.settimeout(0.05);
    if (form === 'Sync') expectErrno(() => a.sendfileSync(fd, 100), null, TimeoutError);
    else await expectRejectErrno(a.sendfile(fd, 100), null, TimeoutError);
    b.setblocking(false);
    let got = 0;
    for (;;) {
      try {
        got += b.recvSync(1 << 20).length;
      } catch {
        break;
      }
    }
    expect(got).toBeGreaterThan(0);
    expect(tell(fd)).toBe(100 + got);
  });

  it('Promise: an AbortSignal rejects a waiting sendfile with its reason; tell() shows what was sent', async () => {
    const [a, b] = socketpair().map(track) as [Socket, Socket];
    smallSendBuffer(a);
    const fd = file(big());
    const ac = new AbortController();
    const p = a.sendfile(fd, 0, null, { signal: ac.signal });
    setTimeout(() => ac.abort(new Error('stop')), 30);
    expect(((await rejection(p)) as Error).message).toBe('stop');
    b.setblocking(false);
    let got = 0;
    for (;;) {
      try {
        got += b.recvSync(1 << 20).length;
      } catch {
        break;
      }
    }
    expect(tell(fd)).toBe(got);
  });

  it('Promise: a full send buffer makes sendfile wait, and it completes once the peer reads', async () => {
    const [a, b] = socketpair().map(track) as [Socket, Socket];
    smallSendBuffer(a);
    const queued = fillSendBuffer(a);
    const content = data.subarray(0, 200_000);
    const fd = file(content);
    const p = a.sendfile(fd);
    const chunks: Buffer[] = [];
    let got = 0;
    while (got < queued + content.length) {
      const c = await b.recv(1 << 20);
      chunks.push(c);
      got += c.length;
    }
    expect(await p).toBe(content.length);
    expect(Buffer.concat(chunks).subarray(queued)).toEqual(content);
  });

  it.each(['Promise', 'Sync'])('%s: shut down for writing → BrokenPipeError, after the send() fallback read one block, as in Python', async (form) => {
    // Python gives up on os.sendfile when its first call fails, retries with
    // send(), whose first send fails after reading 8192 bytes; no seek follows
    // when nothing was sent, so tell() is 8192 (CPython 3.13.0 prints 8192).
    const [a] = socketpair().map(track) as [Socket, Socket];
    a.shutdown(SHUT_WR);
    const fd = file(data);
    if (form === 'Sync') expectErrno(() => a.sendfileSync(fd), E.EPIPE, BrokenPipeError);
    else await expectRejectErrno(a.sendfile(fd), E.EPIPE, BrokenPipeError);
    expect(tell(fd)).toBe(8192);
  });
});

describe.skipIf(!havePython && !inCI)(`sendfile of a 100 MiB file, sha256 computed by python3 ${PYTHON_VERSION}${havePython ? '' : ` (skipped: ${noPython})`}`, () => {
  const SERVER = readFileSync(fileURLToPath(new URL('./fixtures/py-msg-sha256-server.py', import.meta.url)), 'utf8');
  let bigPath = '';
  let bigDigest = '';

  beforeAll(() => {
    if (!havePython) throw new Error(noPython);
    bigPath = join(dir, 'big.bin');
    const fd = openSync(bigPath, 'w');
    const h = createHash('sha256');
    const chunk = Buffer.alloc(MiB);
    try {
      for (let i = 0; i < BIG / MiB; i++) {
        randomFillSync(chunk);
        h.update(chunk);
        writeSync(fd, chunk);
      }
    } finally {
      closeSync(fd);
    }
    bigDigest = h.digest('hex');
  }, 60_000);

  afterAll(() => {
    if (bigPath) rmSync(bigPath, { force: true });
  });

  /** Connects to a fresh python3 server, sends with `send`, and returns what python printed. */
  async function toPython(send: (s: Socket) => number | Promise<number>): Promise<[number, string, number]> {
    const py = spawnPython(SERVER, { timeoutMs: 120_000 });
    pythons.push(py);
    const port = Number(await py.readLine());
    const s = track(new Socket(AF_INET, SOCK_STREAM));
    s.settimeout(60);
    await s.connect(['127.0.0.1', port]);
    const sent = await send(s);
    s.close();
    const [count, digest] = (await py.readLine()).split(' ');
    expect((await py.result).code).toBe(0);
    return [sent, digest!, Number(count)];
  }

  it('Promise form with a FileHandle', async () => {
    const fh = await openHandle(bigPath, 'r');
    try {
      expect(await toPython((s) => s.sendfile(fh))).toEqual([BIG, bigDigest, BIG]);
      expect(tell(fh.fd)).toBe(BIG);
    } finally {
      await fh.close();
    }
  }, 120_000);

  it('Sync form with an fd', async () => {
    const fd = openSync(bigPath, 'r');
    fds.push(fd);
    expect(await toPython((s) => s.sendfileSync(fd))).toEqual([BIG, bigDigest, BIG]);
    expect(tell(fd)).toBe(BIG);
  }, 120_000);
});
