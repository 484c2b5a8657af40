/**
 * What the CAN kernel tests share: whether they can run here (the skip
 * reason, decided once at import as CONTRIBUTING.md's "Tests that need a
 * kernel family" says), the python3 peer (Debian's, one process per test
 * file, answering JSON requests line by line), socket and fd bookkeeping,
 * and bounded receives.
 *
 * These files run in the plain `npm test`, where they skip with the reason
 * unless this kernel has the family and `vcan0`, and in the kernel lab
 * (`npm run test:kernel -- packages/can`), where every kernel test file
 * runs in one process: each file closes what it opens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { Socket, TimeoutError, type AddressOf } from '@bsdsock/core';
import { countOpenFds, LAB_PYTHON, listOpenFds } from '@bsdsock/test-utils';

/** The interface the lab creates (and that a host must have for these tests to run). */
export const IFACE = 'vcan0';

/** How long any one wait may last: generous, as qemu TCG runs code 10-15 times slower. */
export const WAIT_S = 10;

/** `(skipped: reason)` for a suite's title, or nothing. */
export function skipped(reason: string): string {
  return reason ? ` (skipped: ${reason})` : '';
}

/** The MTU of `vcan0`: 72 (CANFD_MTU) when it carries CAN FD frames. */
export function ifaceMtu(): number {
  return Number(readFileSync(`/sys/class/net/${IFACE}/mtu`, 'utf8'));
}

/**
 * Installs the hooks of a suite that opens sockets: `track` them, and
 * each test's sockets are closed after it; the fds the process has open
 * must be as many after the suite as before (the python3 peer's pipes
 * included), waiting a little for a child's pipes to close.
 */
export function socketHooks(): <S extends Socket>(s: S) => S {
  const open: Socket[] = [];
  let before = 0;
  let list = new Map<number, string>();
  beforeAll(() => {
    before = countOpenFds();
    list = listOpenFds();
  });
  afterEach(() => {
    for (const s of open.splice(0)) s.close();
  });
  afterAll(async () => {
    for (const s of open.splice(0)) s.close();
    const end = Date.now() + 2000;
    while (countOpenFds() !== before && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    const now = listOpenFds();
    const diff = [...new Set([...list.keys(), ...now.keys()])].filter((fd) => list.get(fd) !== now.get(fd));
    expect(countOpenFds(), `fds that differ: ${diff.map((fd) => `${fd}: ${list.get(fd)} -> ${now.get(fd)}`).join('; ')}`).toBe(before);
  });
  return <S extends Socket>(s: S): S => {
    open.push(s);
    return s;
  };
}

/**
 * Receives from `sock` within `seconds` (the socket's timeout bounds the
 * Promise `recv`): the bytes, or a TimeoutError when nothing came.
 */
export async function recvWithin(sock: Socket, bufsize: number, seconds = WAIT_S): Promise<Buffer> {
  sock.settimeout(seconds);
  return sock.recv(bufsize);
}

/** Like {@link recvWithin}, with the sender's address. */
export async function recvfromWithin<F extends number>(
  sock: Socket<F>,
  bufsize: number,
  seconds = WAIT_S,
): Promise<[Buffer, AddressOf<F> | null]> {
  sock.settimeout(seconds);
  return sock.recvfrom(bufsize);
}

/** Whether `err` is the TimeoutError a bounded receive ends with. */
export function isTimeout(err: unknown): boolean {
  return err instanceof TimeoutError;
}

const PEER_MAIN = `
import json, sys
print(json.dumps({"ready": READY}), flush=True)
for line in sys.stdin:
    req = json.loads(line)
    try:
        out = {"ok": COMMANDS[req["cmd"]](*req["args"])}
    except Exception as e:
        out = {"error": repr(e)}
    print(json.dumps(out), flush=True)
`;

/**
 * A python3 process that the tests of one file talk to: its script sets
 * up sockets, defines `COMMANDS` (name → function of JSON arguments,
 * returning something JSON can hold) and `READY` (what it tells us once
 * set up); each {@link PythonPeer.call} sends one request line and reads
 * one answer line, within a bound.
 */
export class PythonPeer {
  private buffered = '';
  private stderr = '';
  private readonly lines: string[] = [];
  private waiter: (() => void) | undefined;
  private exited = false;
  private readonly exit: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      this.buffered += chunk;
      let nl: number;
      while ((nl = this.buffered.indexOf('\n')) >= 0) {
        this.lines.push(this.buffered.slice(0, nl));
        this.buffered = this.buffered.slice(nl + 1);
      }
      this.waiter?.();
    });
    child.stderr!.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    child.stdin!.on('error', () => {
      // The peer ended first; the next call reports it with its stderr.
    });
    this.exit = new Promise((resolve) => {
      child.on('close', () => {
        this.exited = true;
        this.waiter?.();
        resolve();
      });
    });
  }

  /** Starts `python3 -c script` and waits (bounded) for its READY line; returns the peer and what READY held. */
  static async start<R>(script: string, timeoutS = 3 * WAIT_S): Promise<[PythonPeer, R]> {
    const child = spawn(LAB_PYTHON, ['-c', script + PEER_MAIN], {
      env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const peer = new PythonPeer(child);
    const ready = await peer.line(timeoutS).catch(async (err: unknown) => {
      await peer.close();
      throw err;
    });
    return [peer, (JSON.parse(ready) as { ready: R }).ready];
  }

  private async line(timeoutS: number): Promise<string> {
    const deadline = Date.now() + timeoutS * 1000;
    while (this.lines.length === 0) {
      if (this.exited) throw new Error(`python3 peer exited; stderr:\n${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`python3 peer printed nothing within ${timeoutS} s; stderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    return this.lines.shift()!;
  }

  /** Runs COMMANDS[cmd](...args) in the peer and returns its result; throws what the peer raised. */
  async call<T>(cmd: string, ...args: unknown[]): Promise<T> {
    this.child.stdin!.write(`${JSON.stringify({ cmd, args })}\n`);
    const answer = JSON.parse(await this.line(3 * WAIT_S)) as { ok?: T; error?: string };
    if (answer.error !== undefined) throw new Error(`python3 peer: ${cmd}: ${answer.error}`);
    return answer.ok as T;
  }

  /** Ends the peer: closes its stdin, and kills it if it has not exited within a few seconds. */
  async close(): Promise<void> {
    this.child.stdin!.end();
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exit;
    clearTimeout(t);
  }
}

/** The python3 peer of a suite: call its commands; `ready` is what it said once set up. */
export interface PeerHandle<R> {
  call<T>(cmd: string, ...args: unknown[]): Promise<T>;
  readonly ready: R;
}

/**
 * Starts a {@link PythonPeer} before the suite's tests (bounded) and ends
 * it after them; call this inside the suite's `describe`.
 */
export function usePythonPeer<R>(script: string): PeerHandle<R> {
  let started: [PythonPeer, R] | undefined;
  const get = (): [PythonPeer, R] => {
    if (started === undefined) throw new Error('the python3 peer did not start');
    return started;
  };
  beforeAll(async () => {
    started = await PythonPeer.start<R>(script);
  }, 6 * WAIT_S * 1000);
  afterAll(async () => {
    await started?.[0].close();
  });
  return {
    call: <T>(cmd: string, ...args: unknown[]): Promise<T> => get()[0].call<T>(cmd, ...args),
    get ready(): R {
      return get()[1];
    },
  };
}
