/**
 * sendFds / recvFds (Python's `socket.send_fds` / `socket.recv_fds`) on
 * real AF_UNIX sockets: CPython's behaviours MSG-32..34 (see the conformance
 * checklist) in the Promise and Sync forms, and file descriptors passed both
 * ways between bsdsock and a python3 process and then used: bsdsock sends a
 * file and a pipe that Python reads and writes through; Python sends a file
 * it opened and one end of its own socketpair, which bsdsock reads and
 * talks through.
 *
 * Pipes are FIFOs opened read-write (one fd is both ends). Where python3 is
 * not CPython 3.13 the interop suite is skipped, except under CI, where that
 * fails. Every fd this file opens is closed again (guardFds), received ones
 * included; the default timeout of 5 s bounds every Sync call.
 */
import { execFileSync } from 'node:child_process';
import {
  closeSync, constants as fsConstants, mkdtempSync, openSync, readFileSync, readSync, readlinkSync, rmSync,
  writeFileSync, writeSync,
} from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  OSError, Socket, TimeoutError, getdefaulttimeout, setdefaulttimeout, socketpair,
  MSG_CTRUNC, MSG_OOB, MSG_PEEK, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_STREAM,
} from '@bsdsock/core';
import { AF_UNIX, recvFds, recvFdsSync, sendFds, sendFdsSync } from '@bsdsock/unix';
import {
  countOpenFds, hasPython, PYTHON_VERSION, type PythonProcess, pythonSkipReason, spawnPython,
} from '@bsdsock/test-utils';
import { guardFds, settleFdCount } from '../../core/test/fixtures/fd-guard.js';

guardFds();

const E = osConstants.errno;
const MSG = Buffer.from('Michael Gilfix was here\u1234\r\n', 'utf8');
/** O_CLOEXEC as /proc/self/fdinfo shows it (octal flags). */
const O_CLOEXEC = 0o2000000;

const havePython = hasPython();
const inCI = Boolean(process.env.CI);
const noPython = pythonSkipReason();
const PY_FDS = readFileSync(
  fileURLToPath(new URL('../../core/test/fixtures/py-msg-fds.py', import.meta.url)), 'utf8',
);

const opened: Socket[] = [];
const toClose: number[] = [];
const pythons: PythonProcess[] = [];
let dir = '';
let counter = 0;
let savedDefault: number | null = null;

function track<T extends Socket>(s: T): T {
  opened.push(s);
  return s;
}

function pair(type = SOCK_STREAM): [Socket, Socket] {
  const [a, b] = socketpair(AF_UNIX, type);
  return [track(a), track(b)];
}

/** Registers fds to be closed after the test; returns them. */
function owned(fds: number[]): number[] {
  toClose.push(...fds);
  return fds;
}

/** A pipe as one fd (a FIFO opened read-write, non-blocking), holding `content`. */
function pipeFd(content = ''): number {
  const p = join(dir, `fifo${++counter}`);
  execFileSync('mkfifo', [p]);
  const fd = openSync(p, fsConstants.O_RDWR | fsConstants.O_NONBLOCK);
  toClose.push(fd);
  if (content) writeSync(fd, content);
  return fd;
}

/** A regular file holding `content`, opened read-write. */
function fileFd(content: string): [number, string] {
  const p = join(dir, `file${++counter}`);
  writeFileSync(p, content);
  const fd = openSync(p, 'r+');
  toClose.push(fd);
  return [fd, p];
}

function readFd(fd: number, position: number | null = null): string {
  const buf = Buffer.alloc(4096);
  const n = readSync(fd, buf, 0, buf.length, position);
  return buf.toString('utf8', 0, n);
}

function target(fd: number): string {
  return readlinkSync(`/proc/self/fd/${fd}`);
}

function cloexec(fd: number): boolean {
  const m = /^flags:\s+([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
  return (parseInt(m![1]!, 8) & O_CLOEXEC) !== 0;
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return expect.fail('expected a throw');
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  expect(p).toBeInstanceOf(Promise);
  return p.then(() => expect.fail('expected a rejection'), (e: unknown) => e);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

beforeAll(() => {
  savedDefault = getdefaulttimeout();
  setdefaulttimeout(5);
  dir = mkdtempSync(join(tmpdir(), 'bsdsock-fds-'));
});

afterEach(() => {
  for (const py of pythons.splice(0)) py.kill();
  for (const s of opened.splice(0)) s.close();
  for (const fd of toClose.splice(0)) {
    try {
      closeSync(fd);
    } catch {
      // closed by the test
    }
  }
});

afterAll(() => {
  setdefaulttimeout(savedDefault);
  rmSync(dir, { recursive: true, force: true });
});

describe('sendFds / recvFds (MSG-32)', () => {
  it.each(['Promise', 'Sync'])('%s: 5 pipes sent, 10 asked for: all 5 arrive, flags 0, each reads its pipe', async (form) => {
    const [a, b] = pair();
    const pipes = [0, 1, 2, 3, 4].map((i) => pipeFd(`pipe ${i}`));
    const sent = form === 'Sync' ? sendFdsSync(a, [MSG], pipes) : await sendFds(a, [MSG], pipes);
    expect(sent).toBe(MSG.length);
    const [data, fds, flags, addr] = form === 'Sync' ? recvFdsSync(b, 1024, 10) : await recvFds(b, 1024, 10);
    owned(fds);
    expect(data).toEqual(MSG);
    expect(flags).toBe(0);
    expect(addr).toBeNull();
    expect(fds).toHaveLength(5);
    expect(fds.map((fd) => readFd(fd))).toEqual(['pipe 0', 'pipe 1', 'pipe 2', 'pipe 3', 'pipe 4']);
  });

  it('received fds are new numbers for the same open files, close-on-exec', async () => {
    const [a, b] = pair();
    const [fd, path] = fileFd('0123456789');
    await sendFds(a, [Buffer.from('x')], [fd]);
    const [, [got]] = owned2(await recvFds(b, 10, 1));
    expect(got).not.toBe(fd);
    expect(target(got!)).toBe(path);
    expect(cloexec(got!)).toBe(true);
    // One open file description: reading through one moves the other's position.
    expect(readFd(fd, null).slice(0, 3)).toBe('012');
    expect(readFd(got!, null)).toBe('');
    writeSync(got!, 'abc', 0);
    expect(readFileSync(path, 'utf8')).toBe('abc3456789');
  });

  it('gathers several buffers, sends the same fd twice, and works on SOCK_DGRAM and SOCK_SEQPACKET', async () => {
    for (const type of [SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET]) {
      const [a, b] = pair(type);
      const p = pipeFd('twice');
      expect(sendFdsSync(a, [Buffer.from('ab'), new Uint8Array([0x63])], [p, p])).toBe(3);
      const [data, fds, flags] = owned2(await recvFds(b, 100, 2));
      expect([data.toString(), fds.length, flags]).toEqual(['abc', 2, 0]);
      expect(fds[0]).not.toBe(fds[1]);
      expect(readFd(fds[0]!)).toBe('twice');
    }
  });

  it('fds may come from any iterable of integers (a generator, a Set, an Int32Array)', async () => {
    const [a, b] = pair();
    const p = pipeFd('gen');
    function* gen(): Generator<number> {
      yield p;
    }
    for (const fds of [gen(), new Set([p]), Int32Array.of(p)]) {
      await sendFds(a, [Buffer.from('x')], fds as Iterable<number>);
      const [, got] = owned2(recvFdsSync(b, 1, 1));
      expect(got).toHaveLength(1);
    }
  });

  it('no fds: an empty SCM_RIGHTS item; the message arrives and no fd does (MSG-25)', async () => {
    const [a, b] = pair();
    try {
      sendFdsSync(a, [MSG], []);
    } catch (err) {
      expect(err).toBeInstanceOf(OSError);
      return;
    }
    const [data, fds] = await recvFds(b, 1024, 4);
    expect([data, fds]).toEqual([MSG, []]);
  });

  it('recvFds without fds sent: [data, [], 0, null]; with maxfds 0 the control buffer is CMSG_LEN(0)', async () => {
    const [a, b] = pair();
    a.sendallSync(MSG);
    expect(await recvFds(b, 1024, 4)).toEqual([MSG, [], 0, null]);
    a.sendallSync(MSG);
    expect(recvFdsSync(b, 1024, 0)).toEqual([MSG, [], 0, null]);
  });

  it('recvFds gives the sender address of a bound AF_UNIX datagram socket', async () => {
    const r = track(new Socket(AF_UNIX, SOCK_DGRAM));
    const s = track(new Socket(AF_UNIX, SOCK_DGRAM));
    const rp = join(dir, `r${++counter}`);
    const sp = join(dir, `s${++counter}`);
    r.bind(rp);
    s.bind(sp);
    s.connect(rp);
    await sendFds(s, [MSG], [pipeFd()]);
    const [data, fds, , addr] = owned2(await recvFds(r, 1024, 1));
    expect([data, fds.length, addr]).toEqual([MSG, 1, sp]);
  });
});

describe('truncation and the 3.13 quirks (MSG-33, MSG-34)', () => {
  it.each(['Promise', 'Sync'])('%s: maxfds 1 of 3 sent: one fd, MSG_CTRUNC set, the other two closed by the kernel', async (form) => {
    const [a, b] = pair();
    const pipes = [pipeFd('one'), pipeFd('two'), pipeFd('three')];
    const before = countOpenFds();
    sendFdsSync(a, [MSG], pipes);
    const [data, fds, flags] = form === 'Sync' ? recvFdsSync(b, 1024, 1) : await recvFds(b, 1024, 1);
    expect(data).toEqual(MSG);
    expect(fds).toHaveLength(1);
    expect(flags & MSG_CTRUNC).toBe(MSG_CTRUNC);
    expect(readFd(fds[0]!)).toBe('one');
    expect(countOpenFds()).toBe(before + 1);
    closeSync(fds[0]!);
    expect(await settleFdCount(before)).toBe(before);
  });

  it('sendFds accepts flags and an address and ignores both, as Python 3.13 does', async () => {
    const [a, b] = pair();
    // Honoured, MSG_OOB would fail on AF_UNIX (EOPNOTSUPP) and an address on a
    // connected stream would fail (EISCONN).
    expect(await sendFds(a, [MSG], [pipeFd('q')], MSG_OOB, join(dir, 'nowhere'))).toBe(MSG.length);
    expect(sendFdsSync(a, [MSG], [pipeFd('q')], MSG_OOB, join(dir, 'nowhere'))).toBe(MSG.length);
    const [, fds1] = owned2(recvFdsSync(b, MSG.length, 1));
    const [, fds2] = owned2(recvFdsSync(b, MSG.length, 1));
    expect([fds1.length, fds2.length]).toEqual([1, 1]);
  });

  it('recvFds accepts flags and ignores them, as Python 3.13 does (MSG_PEEK does not peek)', async () => {
    const [a, b] = pair(SOCK_DGRAM);
    sendFdsSync(a, [Buffer.from('first')], [pipeFd()]);
    sendFdsSync(a, [Buffer.from('second')], [pipeFd()]);
    const [d1, f1] = owned2(await recvFds(b, 100, 1, MSG_PEEK));
    const [d2, f2] = owned2(recvFdsSync(b, 100, 1, MSG_PEEK));
    expect([d1.toString(), d2.toString(), f1.length, f2.length]).toEqual(['first', 'second', 1, 1]);
  });
});

describe('waiting, timeouts and argument errors', () => {
  it('the Promise forms wait for the peer; timeouts and AbortSignals bound them', async () => {
    const [a, b] = pair();
    const p = recvFds(b, 100, 1);
    await sleep(20);
    await sendFds(a, [Buffer.from('late')], [pipeFd()]);
    const [data, fds] = owned2(await p);
    expect([data.toString(), fds.length]).toEqual(['late', 1]);

    b.settimeout(0.05);
    const err = (await rejection(recvFds(b, 100, 1))) as OSError;
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.errno).toBeNull();
    expect(thrown(() => recvFdsSync(b, 100, 1))).toBeInstanceOf(TimeoutError);
    b.settimeout(null);

    const ac = new AbortController();
    const q = recvFds(b, 100, 1, { signal: ac.signal });
    const q2 = recvFds(b, 100, 1, 0, { signal: ac.signal });
    ac.abort(new Error('stop'));
    expect(((await rejection(q)) as Error).message).toBe('stop');
    expect(((await rejection(q2)) as Error).message).toBe('stop');
    expect(((await rejection(sendFds(a, [MSG], [pipeFd()], { signal: AbortSignal.abort(new Error('no')) }))) as Error)
      .message).toBe('no');
  });

  it('non-blocking mode: the Sync forms raise BlockingIOError', () => {
    const [, b] = pair();
    b.setblocking(false);
    const err = thrown(() => recvFdsSync(b, 100, 1)) as OSError;
    expect(err.errno).toBe(E.EAGAIN);
  });

  it('bad arguments: TypeError / RangeError; the Promise forms reject and never throw', async () => {
    const [a, b] = pair();
    const cases: [() => unknown, () => Promise<unknown>, Function][] = [
      [() => sendFdsSync(a, [MSG], 42 as never), () => sendFds(a, [MSG], 42 as never), TypeError],
      [() => sendFdsSync(a, [MSG], 'abc' as never), () => sendFds(a, [MSG], 'abc' as never), TypeError],
      [() => sendFdsSync(a, [MSG], ['1' as never]), () => sendFds(a, [MSG], ['1' as never]), TypeError],
      [() => sendFdsSync(a, [MSG], [1.5]), () => sendFds(a, [MSG], [1.5]), TypeError],
      [() => sendFdsSync(a, [MSG], [2 ** 31]), () => sendFds(a, [MSG], [2 ** 31]), RangeError],
      [() => sendFdsSync(a, 42 as never, [0]), () => sendFds(a, 42 as never, [0]), TypeError],
      [() => sendFdsSync({} as never, [MSG], [0]), () => sendFds({} as never, [MSG], [0]), TypeError],
      [() => sendFdsSync(null as never, [MSG], [0]), () => sendFds(null as never, [MSG], [0]), TypeError],
      [() => recvFdsSync(b, 100, 'x' as never), () => recvFds(b, 100, 'x' as never), TypeError],
      [() => recvFdsSync(b, 100, 1.5), () => recvFds(b, 100, 1.5), TypeError],
      [() => recvFdsSync(b, 100, -1), () => recvFds(b, 100, -1), RangeError],
      [() => recvFdsSync(b, -1, 1), () => recvFds(b, -1, 1), RangeError],
      [() => recvFdsSync(b, 'x' as never, 1), () => recvFds(b, 'x' as never, 1), TypeError],
      [() => recvFdsSync(42 as never, 100, 1), () => recvFds(42 as never, 100, 1), TypeError],
    ];
    for (const [sync, promise, cls] of cases) {
      expect(thrown(sync), sync.toString()).toBeInstanceOf(cls);
      expect(await rejection(promise()), promise.toString()).toBeInstanceOf(cls);
    }
    // A closed fd in the list: the kernel refuses it (EBADF).
    const closed = openSync('/dev/null', 'r');
    closeSync(closed);
    expect((thrown(() => sendFdsSync(a, [MSG], [closed])) as OSError).errno).toBe(E.EBADF);
    expect(((await rejection(sendFds(a, [MSG], [closed]))) as OSError).errno).toBe(E.EBADF);
    // A closed socket.
    a.close();
    expect((thrown(() => sendFdsSync(a, [MSG], [0])) as OSError).errno).toBe(E.EBADF);
    expect(((await rejection(sendFds(a, [MSG], [0]))) as OSError).errno).toBe(E.EBADF);
  });
});

/** Registers the fds of a recvFds result to be closed after the test; returns the result. */
function owned2<T extends [Buffer, number[], number, unknown]>(r: T): T {
  owned(r[1]);
  return r;
}

describe.skipIf(!havePython && !inCI)(`fds passed both ways with python3 ${PYTHON_VERSION}, then used${havePython ? '' : ` (skipped: ${noPython})`}`, () => {
  beforeAll(() => {
    if (!havePython) throw new Error(noPython);
  });

  it.each(['Promise', 'Sync'])('%s forms', async (form) => {
    const sync = form === 'Sync';
    const path = join(dir, `link${++counter}`);
    const listener = track(new Socket(AF_UNIX, SOCK_STREAM));
    listener.bind(path);
    listener.listen();
    const sub = join(dir, `py${counter}`);
    execFileSync('mkdir', [sub]);
    const py = spawnPython(PY_FDS, { args: [path, sub], timeoutMs: 30_000 });
    pythons.push(py);
    const [conn] = await listener.accept();
    track(conn);
    listener.close();

    // bsdsock → Python: a regular file and a pipe, used by Python.
    const [file, filePath] = fileFd('written by bsdsock\n');
    const pipe = pipeFd('to python\n');
    const sent = sync
      ? sendFdsSync(conn, [Buffer.from('file'), Buffer.from('+pipe')], [file, pipe])
      : await sendFds(conn, [Buffer.from('file'), Buffer.from('+pipe')], [file, pipe]);
    expect(sent).toBe(9);
    expect(await py.readLine()).toBe('pipe-read to python');
    expect(sync ? conn.recvSync(4, 0) : await conn.recv(4)).toEqual(Buffer.from('done'));
    expect(readFd(pipe)).toBe('from python');
    expect(readFileSync(filePath, 'utf8')).toBe('written by bsdsock\nwritten by python\n');

    // Python → bsdsock: a file Python opened and one end of its socketpair.
    const before = countOpenFds();
    const [data, fds, flags, addr] = sync ? recvFdsSync(conn, 100, 4) : await recvFds(conn, 100, 4);
    const [pyFile, pyEnd, ...extra] = fds as [number, number, ...number[]];
    owned([pyFile, ...extra]);
    expect(await py.readLine()).toBe('sent 5');
    // The peer is an unbound AF_UNIX socket: no address (MSG-21).
    expect([data.toString(), fds.length, flags, addr]).toEqual(['yours', 2, 0, null]);
    expect(countOpenFds()).toBe(before + 2);
    expect(cloexec(pyFile) && cloexec(pyEnd)).toBe(true);
    // Adopt Python's socketpair end (family and type detected from the fd).
    const end = track(new Socket(-1, -1, -1, pyEnd));
    expect(readFd(pyFile, 0)).toBe('python file');
    expect(target(pyFile)).toBe(join(sub, 'from-python'));
    expect([end.family, end.type]).toEqual([AF_UNIX, SOCK_STREAM]);
    if (sync) end.sendallSync(Buffer.from('hello through your socketpair'));
    else await end.sendall(Buffer.from('hello through your socketpair'));
    expect(await py.readLine()).toBe('socketpair-read hello through your socketpair');
    expect(sync ? end.recvSync(100) : await end.recv(100)).toEqual(Buffer.from('reply'));
    conn.sendallSync(Buffer.from('bye'));
    expect(await py.readLine()).toBe('OK');
    const r = await py.result;
    expect(r.code, r.stderr).toBe(0);
  }, 40_000);
});
