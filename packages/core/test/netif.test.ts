/**
 * The interface and host-name functions of core: CPython's behaviours
 * IFX-01..05 (see the conformance checklist) for ifNameindex,
 * ifNametoindex and ifIndextoname, checked against /sys/class/net;
 * gethostname against the kernel; and sethostname, which runs ONLY in a
 * child inside a new UTS namespace (`unshare --uts`), never on this
 * machine — the machine's host name is checked unchanged afterwards.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { constants as osConstants, hostname } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OSError, gethostname, ifIndextoname, ifNameindex, ifNametoindex } from '@bsdsock/core';
import { guardFds } from './fixtures/fd-guard.js';
import { FIXTURES, REPO_ROOT, thrown } from './fixtures/object-helpers.js';

guardFds();

const E = osConstants.errno;

/** Every interface as the kernel lists it in sysfs: name → index. */
function sysfsInterfaces(): Map<string, number> {
  const out = new Map<string, number>();
  for (const name of readdirSync('/sys/class/net')) {
    out.set(name, Number(readFileSync(`/sys/class/net/${name}/ifindex`, 'utf8').trim()));
  }
  return out;
}

describe('ifNameindex, ifNametoindex, ifIndextoname (IFX-01)', () => {
  it('lists [index > 0, name] for every interface, [1, "lo"] among them, as /sys/class/net does', () => {
    const list = ifNameindex();
    expect(Array.isArray(list)).toBe(true);
    for (const [index, name] of list) {
      expect(Number.isInteger(index) && index > 0).toBe(true);
      expect(typeof name).toBe('string');
    }
    expect(list).toContainEqual([1, 'lo']);
    const sys = sysfsInterfaces();
    expect(new Map(list.map(([i, n]) => [n, i]))).toEqual(sys);
  });

  it('agrees with `ip -o link` where iproute2 is installed', () => {
    const ip = spawnSync('ip', ['-o', 'link'], { encoding: 'utf8' });
    if (ip.status !== 0) return; // no iproute2: /sys/class/net above is the reference
    const fromIp = ip.stdout.trim().split('\n').map((line) => {
      const m = /^(\d+):\s+([^:@\s]+)/.exec(line)!;
      return [Number(m[1]), m[2]] as [number, string];
    });
    expect([...ifNameindex()].sort((a, b) => a[0] - b[0])).toEqual(fromIp.sort((a, b) => a[0] - b[0]));
  });

  it('nametoindex and indextoname round-trip for every interface', () => {
    for (const [index, name] of ifNameindex()) {
      expect(ifNametoindex(name)).toBe(index);
      expect(ifIndextoname(index)).toBe(name);
    }
  });

  it('names may be bytes-like: a Buffer, a Uint8Array, an ArrayBuffer (Python takes bytes and PathLike)', () => {
    expect(ifNametoindex(Buffer.from('lo'))).toBe(1);
    expect(ifNametoindex(new Uint8Array([0x6c, 0x6f]))).toBe(1);
    expect(ifNametoindex(new Uint8Array([0x6c, 0x6f]).buffer)).toBe(1);
  });
});

describe('interface errors (IFX-02..05)', () => {
  it('ifIndextoname(0) → OSError ENXIO (IFX-02)', () => {
    const err = thrown(() => ifIndextoname(0)) as OSError;
    expect(err).toBeInstanceOf(OSError);
    expect(err.errno).toBe(E.ENXIO);
  });

  it('negative, huge or non-integer indexes → RangeError / TypeError (IFX-03)', () => {
    for (const v of [-1, 2 ** 1000, Number.MAX_SAFE_INTEGER]) {
      expect(thrown(() => ifIndextoname(v)), String(v)).toBeInstanceOf(RangeError);
    }
    for (const v of ['_DEADBEEF', 1.5, null, undefined, 1n, [1]]) {
      expect(thrown(() => ifIndextoname(v as number)), String(v)).toBeInstanceOf(TypeError);
    }
  });

  it('an index past 32 bits → RangeError; 2**32-1, not an interface → OSError ENXIO (IFX-04)', () => {
    const [index] = ifNameindex()[0]!;
    expect(thrown(() => ifIndextoname(index + 2 ** 32))).toBeInstanceOf(RangeError);
    expect(thrown(() => ifIndextoname(2 ** 32))).toBeInstanceOf(RangeError);
    expect(thrown(() => ifIndextoname(2 ** 64 - 1))).toBeInstanceOf(RangeError);
    const known = new Set(ifNameindex().map(([i]) => i));
    if (!known.has(2 ** 32 - 1)) {
      const err = thrown(() => ifIndextoname(2 ** 32 - 1)) as OSError;
      expect(err).toBeInstanceOf(OSError);
      expect(err.errno).toBe(E.ENXIO);
    }
  });

  it("unknown names → OSError('no interface with this name') without errno; a number → TypeError (IFX-05)", () => {
    for (const name of ['_DEADBEEF', '', 'x'.repeat(40), Buffer.from('_DEADBEEF')]) {
      const err = thrown(() => ifNametoindex(name)) as OSError;
      expect(err, String(name)).toBeInstanceOf(OSError);
      expect(err.message).toBe('no interface with this name');
      expect(err.errno).toBeNull();
    }
    for (const v of [0, null, undefined, {}, ['lo']]) {
      expect(thrown(() => ifNametoindex(v as string)), String(v)).toBeInstanceOf(TypeError);
    }
  });

  it('a name holding a NUL is a bad argument, not an unknown interface (IFX-05: ValueError "embedded null byte")', () => {
    for (const name of ['lo\0', Buffer.from('lo\0')]) {
      const err = thrown(() => ifNametoindex(name)) as Error;
      expect(err, JSON.stringify(String(name))).not.toBeInstanceOf(OSError);
      expect(err instanceof TypeError || err instanceof RangeError).toBe(true);
      expect(err.message).toMatch(/null/);
    }
  });
});

describe('gethostname', () => {
  it("equals os.hostname() and the kernel's /proc/sys/kernel/hostname, a string (MOD-25)", () => {
    const name = gethostname();
    expect(typeof name).toBe('string');
    expect(name).toBe(hostname());
    expect(name).toBe(readFileSync('/proc/sys/kernel/hostname', 'utf8').replace(/\n$/, ''));
  });
});

/** Why the UTS-namespace test cannot run here, or null when it can. */
function unshareUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'unshare --uts needs root (CAP_SYS_ADMIN)';
  if (!existsSync('/usr/bin/unshare')) return 'no /usr/bin/unshare (util-linux)';
  const probe = spawnSync('/usr/bin/unshare', ['--uts', 'true']);
  if (probe.status !== 0) return `unshare --uts fails here: ${probe.stderr.toString().trim() || `status ${probe.status}`}`;
  return null;
}

const noUnshare = unshareUnavailable();

interface ChildReport {
  before: string; set: string; after: string; kernel: string; os: string;
  setBytes: string; afterBytes: string; tooLong: string; notBytes: string; afterErrors: string;
}

/** Runs the sethostname fixture in a new UTS namespace (optionally as another user) and parses its report. */
function inNewUtsNamespace(name: string, asUser?: number): Promise<{ code: number | null; report: ChildReport | null; stderr: string }> {
  const fixture = path.join(FIXTURES, 'sethostname-child.ts');
  const node = [process.execPath, '--conditions=source', '--import', 'tsx', fixture, readlinkSync('/proc/self/ns/uts'), name];
  const argv = asUser === undefined
    ? ['--uts', ...node]
    : ['--uts', '/usr/bin/setpriv', `--reuid=${asUser}`, `--regid=${asUser}`, '--clear-groups', ...node];
  const child = spawn('/usr/bin/unshare', argv, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').pop() ?? '';
      resolve({ code, report: line.startsWith('{') ? (JSON.parse(line) as ChildReport) : null, stderr });
    });
  });
}

describe.skipIf(noUnshare !== null)(`sethostname, only in a new UTS namespace${noUnshare ? ` (skipped: ${noUnshare})` : ''}`, () => {
  it('sets the name there (string and bytes), gethostname reads it back; errors leave it; this machine is untouched (MOD-26)', async () => {
    const machine = gethostname();
    const name = `bsdsock-uts-${process.pid}`;
    const { code, report, stderr } = await inNewUtsNamespace(name);
    expect(code, stderr).toBe(0);
    expect(report).not.toBeNull();
    const r = report!;
    expect(r.before).toBe(machine);
    expect(r.set).toBe('ok');
    expect([r.after, r.kernel, r.os]).toEqual([name, name, name]);
    expect(r.setBytes).toBe('ok');
    expect(r.afterBytes).toBe(`${name}-bytes`);
    expect(r.tooLong).toBe(`OSError:${E.EINVAL}`);
    expect(r.notBytes).toMatch(/^TypeError:/);
    expect(r.afterErrors).toBe(`${name}-bytes`);
    // The machine's own host name never changed.
    expect(gethostname()).toBe(machine);
    expect(hostname()).toBe(machine);
  });

  it('without CAP_SYS_ADMIN (as nobody, still in its own namespace) → PermissionError EPERM (MOD-26)', async () => {
    const machine = gethostname();
    const { code, report, stderr } = await inNewUtsNamespace('bsdsock-nobody', 65534);
    expect(code, stderr).toBe(0);
    expect(report!.set).toBe(`PermissionError:${E.EPERM}`);
    expect(report!.after).toBe(machine);
    expect(gethostname()).toBe(machine);
  });
});
