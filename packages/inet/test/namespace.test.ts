/**
 * Lookups that depend on the host database, run where it is known: a child
 * process in a private mount namespace (unshare(1), root only) where
 * /etc/hosts gives `localhost` both ::1 and 127.0.0.1 and names a few test
 * hosts, and /etc/nsswitch.conf consults only that file, so nothing can
 * reach a name server. The machine's own files are untouched (the bind
 * mounts live and die with the child's namespace).
 *
 * Covered: Happy Eyeballs against a dual-stack `localhost` with one family
 * refusing or hanging (the loser's socket closed, no fd left over); CCS-08
 * with two addresses; RES-07 (herror `Unknown host`), RES-08, RES-09 and
 * gethostbyname_ex aliases, compared with python3 run in the same
 * namespace.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasPython, PYTHON_VERSION } from '@bsdsock/test-utils';

const dir = mkdtempSync(join(tmpdir(), 'bsdsock-ns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOSTS = join(dir, 'hosts');
const NSSWITCH = join(dir, 'nsswitch.conf');
writeFileSync(HOSTS, [
  '127.0.0.1 localhost',
  '::1 localhost ip6-localhost',
  `127.0.1.1 ${hostname()}`,
  '127.0.0.2 bsdsock-test bsdsock-alias bsdsock-test.example.org',
  '',
].join('\n'));
writeFileSync(NSSWITCH, ['passwd: files', 'group: files', 'hosts: files', 'services: files', 'protocols: files', ''].join('\n'));

/** Why the namespace cannot be made here, or null when it can. */
function unavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (unshare -m and bind mounts)';
  const r = spawnSync('unshare', ['-m', 'sh', '-c', `mount --bind "${HOSTS}" /etc/hosts && grep -q bsdsock-test /etc/hosts`], {
    timeout: 10_000,
  });
  if (r.error) return `unshare(1) is not available: ${r.error.message}`;
  if (r.status !== 0) return `cannot bind-mount /etc/hosts in a new mount namespace: ${r.stderr?.toString().trim()}`;
  return null;
}
const reason = unavailable();

/** Runs a command in the namespace and returns the JSON on its last line. */
function inNamespace(command: string[], env: Record<string, string> = {}): Promise<unknown> {
  const script = 'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/nsswitch.conf && shift 2 && exec "$@"';
  return new Promise((resolve, reject) => {
    const proc = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', HOSTS, NSSWITCH, ...command], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const killer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    proc.on('close', (code) => {
      clearTimeout(killer);
      if (code !== 0) {
        reject(new Error(`${command[0]} exited with ${code}: ${err}`));
        return;
      }
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!));
      } catch (e) {
        reject(new Error(`no JSON from ${command[0]}: ${out}\n${err}\n${String(e)}`));
      }
    });
  });
}

const child = join(__dirname, 'fixtures', 'namespace-child.ts');
const node = (mode: string): Promise<unknown> =>
  inNamespace([process.execPath, '--conditions=source', '--import', 'tsx', child, mode]);

const PYTHON_RESOLVE = `
import socket, json
host = socket.gethostname()
def t(f, *a):
    try: return ['ok', f(*a)]
    except OSError as e: return [type(e).__name__, e.errno]
def rows(r): return [[int(f), int(k), p, c, list(sa)] for f, k, p, c, sa in r]
def chain():
    ip = socket.gethostbyname(host)
    hname, aliases, _ = socket.gethostbyaddr(ip)
    return socket.getfqdn(ip) in [host, hname] + aliases
print(json.dumps([
    t(lambda: rows(socket.getaddrinfo('localhost', 80, 0, socket.SOCK_STREAM))),
    t(socket.gethostbyaddr, '10.255.255.1'), t(socket.gethostbyaddr, '::1'),
    t(socket.gethostbyname_ex, 'bsdsock-test'), t(socket.gethostbyname_ex, 'nosuchhost-bsdsock'),
    t(socket.getfqdn, 'bsdsock-test'), t(socket.getfqdn, 'bsdsock-alias'),
    t(socket.getfqdn), t(socket.getfqdn, '0.0.0.0'), t(socket.getfqdn, '::'), t(socket.getfqdn, 'nosuchhost-bsdsock'),
    t(chain),
]))
`;

describe.skipIf(reason !== null)(`in a mount namespace with a known /etc/hosts${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('Happy Eyeballs against a dual-stack localhost: refused or hanging first family, losers closed', async () => {
    const r = (await node('he')) as Record<string, any>;
    const { AF_INET, AF_INET6 } = r.family;
    expect([...r.order].sort()).toEqual([AF_INET, AF_INET6].sort());
    const [first, second] = r.order;
    const addr = (f: number): string => (f === AF_INET6 ? '::1' : '127.0.0.1');

    // The first family refuses: the second is tried at once, without waiting out the delay.
    expect(r.refusedFirst.family).toBe(second);
    expect(r.refusedFirst.peer).toBe(addr(second));
    expect(r.refusedFirst.ms).toBeLessThan(200);
    expect(r.refusedFirst.fdsDuring).toBe(1);
    expect(r.refusedFirst.fdsAfter).toBe(0);

    // The first family hangs: the second starts after 100 ms and wins; the loser is closed.
    expect(r.hangingFirst.family).toBe(second);
    expect(r.hangingFirst.peer).toBe(addr(second));
    expect(r.hangingFirst.ms).toBeGreaterThanOrEqual(90);
    expect(r.hangingFirst.ms).toBeLessThan(2000);
    expect(r.hangingFirst.fdsDuring).toBe(1);
    expect(r.hangingFirst.fdsAfter).toBe(0);
    expect(first).not.toBe(second);

    // CCS-08: one error per address, sequential and raced alike.
    expect(r.refused).toEqual([['ConnectionRefusedError', 111], ['ConnectionRefusedError', 111]]);
    expect(r.refusedHE).toEqual([['ConnectionRefusedError', 111], ['ConnectionRefusedError', 111]]);
    expect(r.refusedFds).toBe(0);
  });

  it('RES-07 (herror Unknown host), RES-08, RES-09 and aliases: the same as python3', async () => {
    const mine = (await node('resolve')) as Record<'Promise' | 'Sync', unknown[]>;
    expect(mine.Promise).toEqual(mine.Sync);
    const [rows, unknownAddr, v6, ex, noHost, fqdnName, fqdnAlias, fqdnSelf, fqdnZero, fqdnAny, fqdnUnknown, chain] = mine.Promise;
    expect((rows as unknown[])[0]).toBe('ok');
    expect(unknownAddr).toEqual(['herror', 1]);
    expect(v6).toEqual(['ok', ['localhost', ['ip6-localhost'], ['::1']]]);
    expect(ex).toEqual(['ok', ['bsdsock-test', ['bsdsock-alias', 'bsdsock-test.example.org'], ['127.0.0.2']]]);
    expect(noHost).toEqual(['gaierror', -2]);
    expect(fqdnName).toEqual(['ok', 'bsdsock-test.example.org']);
    expect(fqdnAlias).toEqual(['ok', 'bsdsock-test.example.org']);
    expect(fqdnZero).toEqual(fqdnSelf);
    expect(fqdnAny).toEqual(fqdnSelf);
    expect(fqdnUnknown).toEqual(['ok', 'nosuchhost-bsdsock']);
    expect(chain).toEqual(['ok', true]);
    if (hasPython()) {
      const py = await inNamespace(['python3', '-c', PYTHON_RESOLVE], { PYENV_VERSION: PYTHON_VERSION });
      expect(mine.Promise).toEqual(py);
    }
  });
});
