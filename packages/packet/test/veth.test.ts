/**
 * AF_PACKET across a veth pair between two network namespaces that this
 * test creates and removes: a raw Ethernet frame with a local experimental
 * ethertype (0x88B5, IEEE 802) sent from one end arrives at the other whole;
 * in SOCK_DGRAM (cooked) mode the kernel builds the header from the
 * address's hardware address; a frame for another host arrives as
 * PACKET_OTHERHOST while a PACKET_MR_PROMISC membership holds the interface
 * promiscuous.
 *
 * Both ends run as child processes inside the namespaces (`ip netns exec`),
 * so every frame stays on the veth pair. The namespaces and the pair are
 * made when the file is collected, so that a machine (or container) that
 * refuses them skips the suite with the reason; they are deleted after the
 * suite, or at exit if it is cut short. Needs root, CAP_NET_RAW and
 * iproute2.
 */
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { PermissionError, SOCK_RAW, Socket } from '@bsdsock/core';
import { AF_PACKET, buildEthernetHeader, PACKET_HOST, PACKET_OTHERHOST } from '@bsdsock/packet';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURE = join(__dirname, 'fixtures', 'veth-peer.ts');
/** A local experimental ethertype (IEEE 802 "Local Experimental Ethertype 1"). */
const ETHERTYPE_EXPERIMENTAL = 0x88b5;
/** ARPHRD_ETHER (<linux/if_arp.h>). */
const ARPHRD_ETHER = 1;

const run = `${process.pid.toString(36)}${randomBytes(3).toString('hex')}`.slice(-8);
const NS_A = `bsdsock-pkt-${run}-a`;
const NS_B = `bsdsock-pkt-${run}-b`;
const IF_A = `bpk${run}a`;
const IF_B = `bpk${run}b`;
const MAC_A = '02:b5:00:00:00:0a';
const MAC_B = '02:b5:00:00:00:0b';
const MAC_ELSEWHERE = '02:b5:00:00:00:ff';

function ip(...args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('ip', args, { encoding: 'utf8', timeout: 10_000 });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? r.error.message : ''}`.trim() };
}

let created = false;
function cleanup(): void {
  if (!created) return;
  ip('netns', 'del', NS_A);
  ip('netns', 'del', NS_B);
  created = false;
}

/** What the kernel or the container refuses, as opposed to a bug: skip on these, fail on anything else. */
const REFUSED = /Operation not permitted|Permission denied|Unknown device type|not supported|Read-only file system/i;

/**
 * Creates the two namespaces and the veth pair between them, both ends up.
 * Returns why that cannot be done here (the suite is then skipped), or null.
 */
function setUp(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (ip netns, AF_PACKET)';
  const probe = spawnSync('ip', ['-V'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error || probe.status !== 0) return 'iproute2 (`ip`) is not installed';
  try {
    new Socket(AF_PACKET, SOCK_RAW, 0).close();
  } catch (err) {
    if (err instanceof PermissionError) return 'AF_PACKET needs CAP_NET_RAW (EPERM)';
    throw err;
  }
  process.on('exit', cleanup);
  created = true;
  const steps: string[][] = [
    ['netns', 'add', NS_A],
    ['netns', 'add', NS_B],
    ['link', 'add', IF_A, 'netns', NS_A, 'address', MAC_A, 'type', 'veth', 'peer', 'name', IF_B, 'netns', NS_B, 'address', MAC_B],
    ['-n', NS_A, 'link', 'set', IF_A, 'up'],
    ['-n', NS_B, 'link', 'set', IF_B, 'up'],
  ];
  for (const step of steps) {
    const r = ip(...step);
    if (r.ok) continue;
    cleanup();
    if (REFUSED.test(r.out)) return `ip ${step.slice(0, 3).join(' ')}: ${r.out}`;
    throw new Error(`ip ${step.join(' ')} failed: ${r.out}`);
  }
  return null;
}
const reason = setUp();

type Child = ChildProcessByStdio<null, Readable, Readable>;
const children = new Set<Child>();

/** A fixture process in a namespace, and the JSON lines it prints, one by one. */
function peer(ns: string, args: string[]): { next(): Promise<Record<string, unknown>>; exited: Promise<void> } {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '--conditions=source', '--import', 'tsx', FIXTURE, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const killer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  let buffered = '';
  let stderr = '';
  const lines: string[] = [];
  const waiting: ((line: string | null) => void)[] = [];
  let ended = false;
  child.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const w = waiting.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve, reject) => {
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      children.delete(child);
      ended = true;
      for (const w of waiting.splice(0)) w(null);
      if (code === 0) resolve();
      else reject(new Error(`veth-peer ${args[0]} in ${ns} ended with ${code ?? signal}: ${stderr}`));
    });
  });
  exited.catch(() => undefined);
  return {
    exited,
    async next() {
      const line = lines.shift() ?? (ended ? null : await new Promise<string | null>((r) => waiting.push(r)));
      if (line === null) {
        await exited;
        throw new Error(`veth-peer ${args[0]} printed nothing more: ${stderr}`);
      }
      return JSON.parse(line) as Record<string, unknown>;
    },
  };
}

/** Starts a receiver in NS_B, sends from NS_A once it is ready, and returns what the receiver got. */
async function exchange(
  receiveArgs: string[],
  sendArgs: string[],
): Promise<{ ready: Record<string, unknown>; sent: Record<string, unknown>; got: Record<string, unknown> }> {
  const receiver = peer(NS_B, ['receive', ...receiveArgs]);
  const ready = await receiver.next();
  const sender = peer(NS_A, ['send', ...sendArgs]);
  const sent = await sender.next();
  await sender.exited;
  const got = await receiver.next();
  await receiver.exited;
  return { ready, sent, got };
}

const marker = (what: string): Buffer => Buffer.from(`bsdsock ${what} ${run}`);
/** Each exchange starts two Node processes (tsx compiles the fixture): generous on a loaded machine. */
const EXCHANGE_MS = 60_000;

describe.skipIf(reason !== null)(`AF_PACKET over a veth pair between two namespaces${reason ? ` (skipped: ${reason})` : ''}`, () => {
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    cleanup();
    process.off('exit', cleanup);
    expect(ip('netns', 'list').out).not.toContain(`bsdsock-pkt-${run}`);
  }, EXCHANGE_MS);

  it('a raw Ethernet frame with a custom ethertype sent from one end arrives whole at the other (SOCK_RAW)', async () => {
    const payload = marker('raw');
    const frame = Buffer.concat([
      buildEthernetHeader({ dst: MAC_B, src: MAC_A, ethertype: ETHERTYPE_EXPERIMENTAL }),
      payload,
    ]);
    const proto = String(ETHERTYPE_EXPERIMENTAL);
    const { ready, sent, got } = await exchange(
      [IF_B, proto, 'raw', payload.toString('hex')],
      [IF_A, proto, 'raw', frame.toString('hex')],
    );
    expect(ready.bound).toEqual([IF_B, ETHERTYPE_EXPERIMENTAL, PACKET_HOST, ARPHRD_ETHER, MAC_B.replaceAll(':', '')]);
    expect(sent).toEqual({ sent: frame.length });
    expect(got.data).toBe(frame.toString('hex'));
    expect(got.address).toEqual([IF_B, ETHERTYPE_EXPERIMENTAL, PACKET_HOST, ARPHRD_ETHER, MAC_A.replaceAll(':', '')]);
  }, EXCHANGE_MS);

  it('in SOCK_DGRAM (cooked) mode the kernel adds and strips the header, from and to the address\'s MAC', async () => {
    const payload = marker('cooked');
    const proto = String(ETHERTYPE_EXPERIMENTAL);
    const { sent, got } = await exchange(
      [IF_B, proto, 'dgram', payload.toString('hex')],
      [IF_A, proto, 'dgram', payload.toString('hex'), MAC_B],
    );
    expect(sent).toEqual({ sent: payload.length });
    expect(got.data).toBe(payload.toString('hex'));
    expect(got.address).toEqual([IF_B, ETHERTYPE_EXPERIMENTAL, PACKET_HOST, ARPHRD_ETHER, MAC_A.replaceAll(':', '')]);
  }, EXCHANGE_MS);

  it('a PACKET_MR_PROMISC membership makes the interface promiscuous; a frame for another MAC is PACKET_OTHERHOST', async () => {
    const payload = marker('otherhost');
    const frame = Buffer.concat([
      buildEthernetHeader({ dst: MAC_ELSEWHERE, src: MAC_A, ethertype: ETHERTYPE_EXPERIMENTAL }),
      payload,
    ]);
    const proto = String(ETHERTYPE_EXPERIMENTAL);
    const { got } = await exchange(
      [IF_B, proto, 'raw', payload.toString('hex'), 'promisc'],
      [IF_A, proto, 'raw', frame.toString('hex')],
    );
    expect(got.promiscDuring).toBe(true);
    expect(got.promiscAfter).toBe(false);
    expect(got.data).toBe(frame.toString('hex'));
    expect(got.address).toEqual([IF_B, ETHERTYPE_EXPERIMENTAL, PACKET_OTHERHOST, ARPHRD_ETHER, MAC_A.replaceAll(':', '')]);
  }, EXCHANGE_MS);
});
