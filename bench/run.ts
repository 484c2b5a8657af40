/**
 * bsdsock's benchmark suite: every workload of issue 7, run side by side for
 * C (the physical limit), CPython 3.13's socket module, Node's net/dgram and
 * bsdsock's Promise and Sync APIs.
 *
 *   npm run bench                      every workload, 3 rounds, writes bench/results/latest.{md,svg}
 *   npm run bench -- --quick           tiny counts, 1 round, one placement: a smoke test (< 1 min)
 *   npm run bench -- --only tcp-pingpong,5 --rounds 5 --impl promise,node
 *   npm run bench -- --readme          also rewrites README's table (full runs only)
 *
 * Each implementation of each workload is a small program of its own under
 * bench/<workload>/ that writes JSON lines; this runner compiles the C and
 * TypeScript ones into bench/.build/, starts the processes pinned with
 * `taskset`, collects the lines, takes medians over the rounds and writes the
 * report. Partial or quick runs write their report under bench/results/raw/
 * only, so that latest.md always holds a full run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
const BUILD = path.join(BENCH, '.build');
const RESULTS = path.join(BENCH, 'results');
const RAW = path.join(RESULTS, 'raw');
const PYTHON_VERSION = '3.13.0';

// ---------------------------------------------------------------------------
// Implementations, workloads, placements

type Impl = 'c' | 'python' | 'node' | 'promise' | 'sync';
const IMPLS: readonly Impl[] = ['c', 'python', 'node', 'promise', 'sync'];
const LABEL: Record<Impl, string> = {
  c: 'C (cc -O2)',
  python: 'CPython 3.13',
  node: 'Node net/dgram',
  promise: 'bsdsock Promise',
  sync: 'bsdsock Sync',
};
const COLOR: Record<Impl, string> = {
  c: '#555555',
  python: '#3572a5',
  node: '#5fa04e',
  promise: '#d9480f',
  sync: '#f59f00',
};

type Params = Record<string, string | number>;
type Kind = 'pair' | 'single' | 'c10k';
type Better = 'higher' | 'lower' | 'none';

/** One number a workload reports, shown as one row of the table. */
interface Metric {
  key: string;
  unit: string;
  better: Better;
  format: (v: number) => string;
}

interface Workload {
  id: string;
  /** Its number in issue 7. */
  n: string;
  dir: string;
  kind: Kind;
  what: string;
  metrics: Metric[];
  /** Implementations with no program for this workload, and why. */
  notRun: Partial<Record<Impl, string>>;
  params: (quick: boolean) => Params;
}

const fmtRate = (v: number): string =>
  v >= 1e6 ? `${(v / 1e6).toFixed(2)}M` : v >= 1e4 ? `${(v / 1e3).toFixed(1)}k` : v >= 100 ? v.toFixed(0) : v.toFixed(2);
const fmtGiB = (v: number): string => (v / 2 ** 30).toFixed(2);
const fmtPct = (v: number): string => `${(v * 100).toFixed(1)} %`;
const fmtSecs = (v: number): string => v.toFixed(3);
const fmtBytes = (v: number): string => (Math.abs(v) >= 10240 ? `${(v / 1024).toFixed(1)} KiB` : `${Math.round(v)} B`);

const rate = (unit: string): Metric => ({ key: 'rate', unit, better: 'higher', format: fmtRate });
const LOSS: Metric = { key: 'loss', unit: 'loss (of datagrams sent)', better: 'none', format: fmtPct };
const NO_BATCH = 'no batch API (no sendmmsg/recvmmsg)';
const NO_ENCODED = 'no pre-encoded address';

const WORKLOADS: Workload[] = [
  {
    id: 'tcp-pingpong', n: '1', dir: 'pingpong', kind: 'pair',
    what: '64-byte round trips over TCP loopback, TCP_NODELAY',
    metrics: [rate('round trips/s')], notRun: {},
    params: (q) => ({ family: 'tcp', size: 64, count: q ? 2000 : 30000, warmup: q ? 200 : 2000, secs: q ? 1 : 1.5 }),
  },
  {
    id: 'unix-pingpong', n: '2', dir: 'pingpong', kind: 'pair',
    what: '64-byte round trips over AF_UNIX SOCK_STREAM',
    metrics: [rate('round trips/s')], notRun: {},
    params: (q) => ({ family: 'unix', size: 64, count: q ? 2000 : 30000, warmup: q ? 200 : 2000, secs: q ? 1 : 1.5 }),
  },
  {
    id: 'tcp-bulk', n: '3', dir: 'tcp-bulk', kind: 'pair',
    what: '2 GiB over TCP loopback in 64 KiB writes; recvInto one reused buffer',
    metrics: [{ key: 'rate', unit: 'GiB/s', better: 'higher', format: fmtGiB }], notRun: {},
    params: (q) => ({ bytes: q ? 64 * 2 ** 20 : 2 * 2 ** 30, chunk: 65536, secs: q ? 1 : 2.5 }),
  },
  {
    id: 'udp-pps', n: '4', dir: 'udp-pps', kind: 'pair',
    what: '64-byte UDP datagrams, one per call, sent as fast as possible',
    metrics: [rate('datagrams received/s'), LOSS], notRun: {},
    params: (q) => ({ size: 64, count: q ? 20000 : 1_000_000, secs: q ? 0.5 : 1 }),
  },
  {
    id: 'udp-batch', n: '5', dir: 'udp-batch', kind: 'pair',
    what: 'as udp-pps, 64 datagrams per sendmmsg/recvmmsg call',
    metrics: [rate('datagrams received/s'), LOSS], notRun: { python: NO_BATCH, node: NO_BATCH },
    params: (q) => ({ size: 64, vlen: 64, count: q ? 40000 : 3_000_000, secs: q ? 0.5 : 1 }),
  },
  {
    id: 'connect-rate', n: '6', dir: 'connect-rate', kind: 'pair',
    what: 'TCP connect + accept + close cycles (the client waits for the server\'s close)',
    metrics: [rate('cycles/s')], notRun: {},
    params: (q) => ({ count: q ? 300 : 10000, warmup: q ? 30 : 300, secs: q ? 1 : 1 }),
  },
  {
    id: 'c10k', n: '7', dir: 'c10k', kind: 'c10k',
    what: '10,000 concurrent TCP connections on one event loop, each echoing 64 bytes',
    metrics: [
      { key: 'total', unit: 's: open all + one echo each, then all echo at once', better: 'lower', format: fmtSecs },
      { key: 'rssPerConn', unit: 'RSS per idle connection', better: 'none', format: fmtBytes },
      { key: 'heapPerConn', unit: 'JS heap per idle connection', better: 'none', format: fmtBytes },
    ],
    notRun: { sync: 'one event loop needs the Promise API (a Sync call blocks the thread)' },
    params: (q) => ({ count: q ? 500 : 10000, window: q ? 100 : 1000, size: 64 }),
  },
  {
    id: 'address-tuple', n: '8a', dir: 'address-cost', kind: 'single',
    what: 'sendto() of 64-byte datagrams with a [host, port] tuple (encoded on every call)',
    metrics: [rate('sendto/s')], notRun: {},
    params: (q) => ({ mode: 'tuple', size: 64, count: q ? 20000 : 600_000, warmup: q ? 1000 : 5000, secs: q ? 0.5 : 1 }),
  },
  {
    id: 'address-encoded', n: '8b', dir: 'address-cost', kind: 'single',
    what: 'sendto() of 64-byte datagrams with a pre-encoded address',
    metrics: [rate('sendto/s')], notRun: { python: NO_ENCODED, node: NO_ENCODED },
    params: (q) => ({ mode: 'encoded', size: 64, count: q ? 20000 : 600_000, warmup: q ? 1000 : 5000, secs: q ? 0.5 : 1 }),
  },
];

/** Where the processes of one run are pinned. */
interface Placement {
  id: string;
  label: string;
  server: number;
  client: number;
}

// ---------------------------------------------------------------------------
// Command line

interface Options {
  quick: boolean;
  rounds: number;
  only: Workload[];
  impls: Impl[];
  placements: string[] | null;
  readme: boolean;
  /** Rewrite the report from this raw JSON instead of running anything. */
  from: string | null;
}

function usage(msg?: string): never {
  if (msg) process.stderr.write(`bench: ${msg}\n`);
  process.stderr.write(
    'usage: npm run bench -- [--quick] [--only <workload>[,...]] [--rounds N] [--impl <impl>[,...]]\n' +
      '                        [--placement 1core|2cores] [--readme] [--from results/raw/<run>.json]\n' +
      `  workloads: ${WORKLOADS.map((w) => `${w.id} (${w.n})`).join(', ')}\n` +
      `  impls: ${IMPLS.join(', ')}\n`,
  );
  process.exit(msg ? 2 : 0);
}

function parseOptions(argv: string[]): Options {
  const o: Options = { quick: false, rounds: 0, only: WORKLOADS, impls: [...IMPLS], placements: null, readme: false, from: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--readme') o.readme = true;
    else if (a === '--from') o.from = value();
    else if (a === '--rounds') {
      o.rounds = Number(value());
      if (!Number.isInteger(o.rounds) || o.rounds < 1 || o.rounds > 20) usage('--rounds takes 1..20');
    } else if (a === '--only') {
      const picked = new Set<Workload>();
      for (const name of value().split(',')) {
        // A workload's id or number; `8`, `address-cost` or `address` take both halves of workload 8.
        const w = WORKLOADS.filter((x) =>
          x.id === name || x.n === name || x.n.replace(/[ab]$/, '') === name || x.dir === name || x.id.startsWith(`${name}-`));
        if (w.length === 0) usage(`unknown workload ${name}`);
        for (const x of w) picked.add(x);
      }
      o.only = WORKLOADS.filter((w) => picked.has(w));
    } else if (a === '--impl') {
      o.impls = value().split(',').map((name) => {
        const impl = IMPLS.find((x) => x === name || (name === 'bsdsock-promise' && x === 'promise') || (name === 'bsdsock-sync' && x === 'sync'));
        if (!impl) usage(`unknown implementation ${name}`);
        return impl;
      });
    } else if (a === '--placement') {
      o.placements = value().split(',');
    } else if (a === '--help' || a === '-h') usage();
    else usage(`unknown option ${a}`);
  }
  if (o.rounds === 0) o.rounds = o.quick ? 1 : 3;
  return o;
}

// ---------------------------------------------------------------------------
// The machine and the tools

interface Machine {
  date: string;
  cpu: string;
  cores: number;
  kernel: string;
  node: string;
  python: string;
  cc: string;
  loadStart: string;
  loadEnd?: string;
  commit: string;
  bsdsockBuild: string;
}

function sh(cmd: string, args: string[], env?: NodeJS.ProcessEnv): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: env ?? process.env });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.error}`);
  return r.stdout.trim();
}

const childEnv: NodeJS.ProcessEnv = { ...process.env, PYENV_VERSION: PYTHON_VERSION };
delete childEnv.NODE_OPTIONS;

function findPython(): { exe: string; version: string } {
  const out = sh('python3', ['-c', 'import sys; print(sys.executable); print(sys.version.split()[0])'], childEnv);
  const [exe, version] = out.split('\n');
  if (!version?.startsWith('3.13')) throw new Error(`PYENV_VERSION=${PYTHON_VERSION} python3 is ${version}, not 3.13`);
  return { exe: exe!, version: version };
}

/**
 * The CPUs the programs may be pinned to: the cgroup's cpuset, else every
 * online CPU (not this process's own affinity: the runner itself may be
 * pinned, e.g. `taskset -c 0 npm run bench`, to keep it off the measured CPU).
 */
function allowedCpus(): number[] {
  let list = '';
  for (const f of ['/sys/fs/cgroup/cpuset.cpus.effective', '/sys/devices/system/cpu/online']) {
    try {
      list = fs.readFileSync(f, 'utf8').trim();
    } catch {
      // not there: the next
    }
    if (list) break;
  }
  if (!list) list = `0-${os.cpus().length - 1}`;
  const cpus: number[] = [];
  for (const part of list.split(',')) {
    const [a, b] = part.split('-').map(Number);
    for (let c = a!; c <= (b ?? a)!; c++) cpus.push(c);
  }
  return cpus;
}

function newest(dir: string, filter: (f: string) => boolean): number {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const f = path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name);
    if (e.isFile() && filter(f)) t = Math.max(t, fs.statSync(f).mtimeMs);
  }
  return t;
}

/** How fresh the bsdsock being measured is: the programs import 'bsdsock', i.e. packages/\*\/dist and the addon. */
function bsdsockBuild(): { text: string; stale: string[] } {
  const stale: string[] = [];
  let built = Infinity;
  for (const pkg of ['core', 'inet', 'unix', 'bsdsock']) {
    const dir = path.join(ROOT, 'packages', pkg);
    const src = newest(path.join(dir, 'src'), (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    const dist = newest(path.join(dir, 'dist'), (f) => f.endsWith('.js'));
    built = Math.min(built, dist || Infinity);
    if (dist === 0) stale.push(`packages/${pkg}/dist is missing`);
    else if (src > dist) stale.push(`packages/${pkg}/src is newer than its dist`);
  }
  const addon = path.join(ROOT, 'packages/core/build/Release/bsdsock.node');
  const native = newest(path.join(ROOT, 'packages/core/native'), () => true);
  if (!fs.existsSync(addon)) stale.push('the addon is not built');
  else if (native > fs.statSync(addon).mtimeMs) stale.push('packages/core/native is newer than the addon');
  const when = Number.isFinite(built) ? new Date(built).toISOString().replace(/\.\d+Z$/, 'Z') : 'unknown';
  return { text: `dist built ${when}${stale.length ? ` (stale: ${stale.join('; ')})` : ''}`, stale };
}

function machine(python: string, build: string): Machine {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  let commit = 'unknown';
  try {
    commit = sh('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']);
    if (sh('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no']) !== '') commit += ' + uncommitted changes';
  } catch {
    // not a git checkout
  }
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpu: model,
    cores: os.cpus().length,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    python,
    cc: sh('cc', ['--version']).split('\n')[0]!,
    loadStart: os.loadavg().map((l) => l.toFixed(2)).join(' '),
    commit,
    bsdsockBuild: build,
  };
}

// ---------------------------------------------------------------------------
// Building the programs

function build(workloads: Workload[]): void {
  fs.mkdirSync(path.join(BUILD, 'lib'), { recursive: true });
  fs.copyFileSync(path.join(BENCH, 'lib/common.js'), path.join(BUILD, 'lib/common.js'));
  const dirs = new Set(workloads.map((w) => w.dir));
  for (const dir of dirs) {
    const src = path.join(BENCH, dir);
    const out = path.join(BUILD, dir);
    fs.mkdirSync(out, { recursive: true });
    for (const f of fs.readdirSync(src)) {
      if (f.endsWith('.c')) {
        const exe = path.join(out, f.slice(0, -2));
        const r = spawnSync('cc', ['-O2', '-Wall', '-o', exe, path.join(src, f)], { encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`cc ${dir}/${f} failed:\n${r.stderr}`);
      } else if (f.endsWith('.ts')) {
        const text = fs.readFileSync(path.join(src, f), 'utf8');
        const js = ts.transpileModule(text, {
          fileName: f,
          compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false },
        });
        fs.writeFileSync(path.join(out, f.replace(/\.ts$/, '.js')), js.outputText);
      }
    }
  }
}

// ---------------------------------------------------------------------------
// Processes

type Line = Record<string, unknown>;

/** A child process whose stdout is JSON lines; everything it does is bounded by the caller's timeouts. */
class Child {
  readonly proc: ChildProcess;
  readonly name: string;
  private readonly lines: Line[] = [];
  private read = 0;
  private stderr = '';
  private closed = false;
  private wake: (() => void) | null = null;
  readonly done: Promise<{ code: number | null; signal: string | null }>;

  constructor(name: string, cmd: string, args: string[], stdin: boolean) {
    this.name = name;
    this.proc = spawn(cmd, args, { stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], env: childEnv, cwd: BENCH });
    createInterface({ input: this.proc.stdout! }).on('line', (l) => {
      try {
        const v = JSON.parse(l) as unknown;
        if (v && typeof v === 'object') this.lines.push(v as Line);
        else this.stderr += `${l}\n`;
      } catch {
        this.stderr += `${l}\n`;
      }
      this.wake?.();
    });
    this.proc.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-3000);
    });
    this.done = new Promise((resolve) => {
      this.proc.on('error', (err) => {
        this.stderr += String(err);
        this.closed = true;
        this.wake?.();
        resolve({ code: null, signal: 'spawn error' });
      });
      this.proc.on('close', (code, signal) => {
        this.closed = true;
        this.wake?.();
        resolve({ code, signal });
      });
    });
  }

  /** The next JSON line, or throws when the process ends without one or `ms` pass. */
  async next(ms: number): Promise<Line> {
    const deadline = Date.now() + ms;
    for (;;) {
      if (this.read < this.lines.length) return this.lines[this.read++]!;
      if (this.closed) throw new Error(`${this.name} exited without a result${this.tail()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.name}: no result within ${Math.round(ms / 1000)} s${this.tail()}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(t);
          this.wake = null;
          resolve();
        };
      });
    }
  }

  /** Every line not yet read, once the process has exited (killed after `ms`). */
  async rest(ms: number): Promise<Line[]> {
    const ok = await Promise.race([this.done.then(() => true), sleep(ms).then(() => false)]);
    if (!ok) {
      this.kill();
      await this.done;
      throw new Error(`${this.name}: still running after ${Math.round(ms / 1000)} s${this.tail()}`);
    }
    const { code, signal } = await this.done;
    if (code !== 0) throw new Error(`${this.name} exited with ${code ?? signal}${this.tail()}`);
    return this.lines.slice(this.read);
  }

  write(s: string): void {
    this.proc.stdin?.write(s);
  }

  kill(): void {
    if (this.proc.exitCode === null && this.proc.signalCode === null && this.proc.pid !== undefined) {
      try {
        process.kill(this.proc.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  /** What the process said last on stderr, its first error line first. */
  tail(): string {
    const lines = this.stderr.trim().split('\n').filter((l) => l.trim() !== '');
    const err = lines.find((l) => /^\s*\w*(Error|Exception)( \[\w+\])?: /.test(l)) ?? lines.find((l) => /Error\b/.test(l));
    const t = [...(err ? [err] : []), ...lines.slice(-4).filter((l) => l !== err)].join('\n    ');
    return t ? `:\n    ${t}` : '';
  }
}

/** Resolves after `ms`; the timer does not keep the process alive (only for races against a child). */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

let PYTHON = 'python3';
let fdLimit = 0;

/** The command of one program, pinned to `cpu` (and, for c10k, with its fd limit raised). */
function command(impl: Impl | 'driver', w: Workload, role: string, params: Params, cpu: number): [string, string[]] {
  const kv = Object.entries(params).map(([k, v]) => `${k}=${v}`);
  const gc = w.kind === 'c10k' ? ['--expose-gc'] : [];
  let argv: string[];
  switch (impl) {
    case 'c': argv = [path.join(BUILD, w.dir, 'c')]; break;
    case 'driver': argv = [path.join(BUILD, w.dir, 'driver')]; break;
    case 'python': argv = [PYTHON, path.join(BENCH, w.dir, 'python.py')]; break;
    case 'node': argv = [process.execPath, ...gc, path.join(BENCH, w.dir, 'node.js')]; break;
    case 'promise':
    case 'sync': argv = [process.execPath, ...gc, path.join(BUILD, w.dir, `bsdsock-${impl}.js`)]; break;
  }
  const pinned = ['taskset', '-c', String(cpu), ...argv, role, ...kv];
  if (w.kind !== 'c10k') return [pinned[0]!, pinned.slice(1)];
  return ['sh', ['-c', `ulimit -n ${fdLimit} && exec "$@"`, 'sh', ...pinned]];
}

// ---------------------------------------------------------------------------
// Runs

interface RunResult {
  workload: string;
  impl: Impl;
  placement: string;
  round: number;
  metrics?: Record<string, number>;
  na?: string;
  error?: string;
  raw?: Line[];
}

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'bsdsock-bench-'));

async function runPair(w: Workload, impl: Impl, pl: Placement, params: Params): Promise<Omit<RunResult, 'workload' | 'impl' | 'placement' | 'round'>> {
  const p: Params = { ...params, ...(params.family === 'unix' ? { path: path.join(TMP, 'pingpong.sock') } : {}) };
  const secs = Number(p.secs ?? 5);
  const children: Child[] = [];
  try {
    const [sc, sa] = command(impl, w, 'server', p, pl.server);
    const server = new Child(`${impl} ${w.dir} server`, sc, sa, false);
    children.push(server);
    const ready = await server.next(30_000);
    if (typeof ready.na === 'string') return { na: ready.na };
    const [cc, ca] = command(impl, w, 'client', { ...p, port: Number(ready.port ?? 0) }, pl.client);
    const client = new Child(`${impl} ${w.dir} client`, cc, ca, false);
    children.push(client);
    const lines = await client.rest((secs + 40) * 1000);
    let serverLines: Line[] = [];
    if (w.id === 'connect-rate') server.kill(); // its server accepts until killed
    else serverLines = await server.rest(15_000);
    const all = [...serverLines, ...lines];
    const na = all.find((l) => typeof l.na === 'string');
    if (na) return { na: na.na as string };
    const merged = Object.assign({}, ...all) as Record<string, number>;
    const metrics: Record<string, number> = { rate: merged.rate! };
    if (w.metrics.some((m) => m.key === 'loss')) {
      metrics.loss = merged.sent! > 0 ? 1 - merged.received! / merged.sent! : NaN;
      metrics.sent = merged.sent!;
      metrics.received = merged.received!;
    }
    if (typeof merged.rate !== 'number' || !(merged.rate > 0)) throw new Error(`no rate in ${JSON.stringify(all)}`);
    return { metrics, raw: all };
  } finally {
    for (const c of children) c.kill();
  }
}

async function runSingle(w: Workload, impl: Impl, pl: Placement, params: Params): Promise<Omit<RunResult, 'workload' | 'impl' | 'placement' | 'round'>> {
  const [cmd, args] = command(impl, w, 'run', params, pl.client);
  const child = new Child(`${impl} ${w.dir}`, cmd, args, false);
  try {
    const lines = await child.rest((Number(params.secs) + 40) * 1000);
    const na = lines.find((l) => typeof l.na === 'string');
    if (na) return { na: na.na as string };
    const merged = Object.assign({}, ...lines) as Record<string, number>;
    if (!(merged.rate! > 0)) throw new Error(`no rate in ${JSON.stringify(lines)}`);
    return { metrics: { rate: merged.rate! }, raw: lines };
  } finally {
    child.kill();
  }
}

async function runC10k(w: Workload, impl: Impl, pl: Placement, params: Params): Promise<Omit<RunResult, 'workload' | 'impl' | 'placement' | 'round'>> {
  const children: Child[] = [];
  const n = Number(params.count);
  try {
    const [sc, sa] = command(impl, w, 'server', params, pl.server);
    const server = new Child(`${impl} c10k server`, sc, sa, false);
    children.push(server);
    const base = await server.next(30_000);
    const [dc, da] = command('driver', w, 'driver', { ...params, port: Number(base.port) }, pl.client);
    const driver = new Child('c10k driver', dc, da, true);
    children.push(driver);
    const connected = await driver.next(120_000);
    const idle = await server.next(30_000);
    driver.write('go\n');
    const final = await driver.next(120_000);
    await driver.rest(30_000);
    await Promise.race([server.done, sleep(10_000)]);
    const metrics: Record<string, number> = {
      total: Number(final.total),
      setup: Number(connected.setup),
      echo: Number(final.total) - Number(connected.setup),
      rssPerConn: (Number(idle.rss) - Number(base.rss)) / n,
    };
    if (typeof idle.heap === 'number' && typeof base.heap === 'number') {
      metrics.heapPerConn = (idle.heap - base.heap) / n;
      metrics.externalPerConn = (Number(idle.external) - Number(base.external)) / n;
    }
    return { metrics, raw: [base, connected, idle, final] };
  } finally {
    for (const c of children) c.kill();
  }
}

// ---------------------------------------------------------------------------
// Medians, ratios, targets

interface Cell {
  value: number | null;
  /** How many rounds gave a number, of how many run. */
  ok: number;
  runs: number;
  note?: string;
}

type Table = Map<string, Cell>; // key: workload|placement|impl|metric

const key = (w: string, pl: string, impl: Impl, m: string): string => `${w}|${pl}|${impl}|${m}`;

function median(xs: number[]): number | null {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}

function summarize(results: RunResult[]): Table {
  const table: Table = new Map();
  const groups = new Map<string, RunResult[]>();
  for (const r of results) {
    const g = `${r.workload}|${r.placement}|${r.impl}`;
    groups.set(g, [...(groups.get(g) ?? []), r]);
  }
  for (const [g, rs] of groups) {
    const w = WORKLOADS.find((x) => x.id === g.split('|')[0])!;
    for (const m of w.metrics) {
      const values = rs.filter((r) => r.metrics && m.key in r.metrics).map((r) => r.metrics![m.key]!);
      const na = rs.find((r) => r.na)?.na;
      const err = rs.find((r) => r.error)?.error;
      table.set(`${g}|${m.key}`, {
        value: median(values),
        ok: values.length,
        runs: rs.length,
        note: values.length === 0 ? (na ? `n/a: ${na}` : err ? `error: ${err}` : 'n/a: not measured') : undefined,
      });
    }
  }
  return table;
}

/** A performance ratio a ÷ b (inverted for lower-is-better metrics), or null. */
function ratio(a: number | null | undefined, b: number | null | undefined, better: Better): number | null {
  if (a == null || b == null || !(a > 0) || !(b > 0) || better === 'none') return null;
  return better === 'higher' ? a / b : b / a;
}

interface Target {
  text: string;
  workloads: string[];
  /** The measured ratio or value, and whether it meets the target. */
  eval: (get: (impl: Impl, metric: string) => number | null) => { value: number | null; shown: string; met: boolean | null };
}

const ratioTarget = (text: string, workloads: string[], a: Impl, b: Impl, min: number): Target => ({
  text,
  workloads,
  eval: (get) => {
    const r = ratio(get(a, 'rate'), get(b, 'rate'), 'higher');
    return { value: r, shown: r === null ? 'n/a' : `${r.toFixed(2)}×`, met: r === null ? null : r >= min };
  },
});

const TARGETS: Target[] = [
  ratioTarget('Sync ≥ CPython', ['tcp-pingpong', 'unix-pingpong', 'tcp-bulk', 'udp-pps', 'connect-rate', 'address-tuple'], 'sync', 'python', 1),
  ratioTarget('Promise ≥ 1.3× Node', ['tcp-pingpong', 'unix-pingpong', 'connect-rate'], 'promise', 'node', 1.3),
  ratioTarget('Promise ≥ 0.9× C', ['tcp-bulk'], 'promise', 'c', 0.9),
  ratioTarget('Promise ≥ 1.2× Node', ['udp-pps'], 'promise', 'node', 1.2),
  ratioTarget('Promise batched ≥ 0.9× C', ['udp-batch'], 'promise', 'c', 0.9),
  {
    text: 'Promise < 4 KiB per idle connection (RSS)',
    workloads: ['c10k'],
    eval: (get) => {
      const v = get('promise', 'rssPerConn');
      return { value: v, shown: v === null ? 'n/a' : fmtBytes(v), met: v === null ? null : v < 4096 };
    },
  },
];

const metText = (met: boolean | null): string => (met === null ? 'not measurable yet' : met ? '**met**' : 'not met');

// ---------------------------------------------------------------------------
// Report

interface Row {
  w: Workload;
  m: Metric;
  pl: Placement;
}

function rowsOf(workloads: Workload[], placements: (w: Workload) => Placement[]): Row[] {
  const rows: Row[] = [];
  for (const w of workloads) for (const pl of placements(w)) for (const m of w.metrics) rows.push({ w, m, pl });
  return rows;
}

function cellText(table: Table, row: Row, impl: Impl): string {
  const { w, m, pl } = row;
  if (w.notRun[impl]) return 'n/a';
  const c = table.get(key(w.id, pl.id, impl, m.key));
  if (!c) return '–';
  if (c.value === null) return c.note?.startsWith('error') ? 'error' : 'n/a';
  let s = m.format(c.value);
  if (c.ok < c.runs) s += ` (${c.ok}/${c.runs} runs)`;
  const r = impl === 'c' ? null : ratio(c.value, table.get(key(w.id, pl.id, 'c', m.key))?.value, m.better);
  if (r !== null) s += ` (${r.toFixed(2)})`;
  return s;
}

function markdown(table: Table, rows: Row[], mc: Machine, o: Options, notes: string[], readme = false): string {
  const targetRows = rows;
  const get = (row: Row) => (impl: Impl, metric: string): number | null =>
    table.get(key(row.w.id, row.pl.id, impl, metric))?.value ?? null;
  const out: string[] = [];
  out.push(`Machine: ${mc.cpu}, ${mc.cores} cores, ${mc.kernel}; Node ${mc.node}, CPython ${mc.python}, ${mc.cc}.`);
  out.push(`Run: ${mc.date}, commit ${mc.commit}; bsdsock ${mc.bsdsockBuild}; ${o.rounds} round${o.rounds > 1 ? 's' : ''}, medians${o.quick ? ', **--quick counts (a smoke test, not a measurement)**' : ''}; load average ${mc.loadStart} at the start${mc.loadEnd ? `, ${mc.loadEnd} at the end` : ''}.`);
  out.push('');
  out.push('Each cell: the median, then in parentheses the ratio to C (higher is better; for times, C ÷ it). ' +
    '"1 core": both processes pinned to the same CPU; "2 cores": server and client on different CPUs; ' +
    'single-process workloads run on one CPU; c10k: the server under test on one CPU, the C load generator on the other.');
  out.push('');
  const implCols = IMPLS.filter((i) => o.impls.includes(i));
  out.push(`| # | workload | placement | unit | ${implCols.map((i) => LABEL[i]).join(' | ')} | Promise ÷ Node | Sync ÷ CPython | issue-7 targets |`);
  out.push(`|---|---|---|---|${implCols.map(() => '---:').join('|')}|---:|---:|---|`);
  for (const row of rows) {
    const g = get(row);
    const pn = ratio(g('promise', row.m.key), g('node', row.m.key), row.m.better);
    const sp = ratio(g('sync', row.m.key), g('python', row.m.key), row.m.better);
    const tg = row.m === row.w.metrics[0] || row.m.key === 'rssPerConn'
      ? TARGETS.filter((t) => t.workloads.includes(row.w.id) && (row.m.key === 'rssPerConn') === t.text.includes('idle connection'))
        .map((t) => {
          const e = t.eval(g);
          return `${t.text}: ${metText(e.met)}${e.value !== null ? ` (${e.shown})` : ''}`;
        }).join('; ')
      : '';
    out.push(`| ${row.w.n} | ${row.w.id} | ${row.pl.label} | ${row.m.unit} | ${implCols.map((i) => cellText(table, row, i)).join(' | ')} | ` +
      `${pn === null ? '–' : pn.toFixed(2)} | ${sp === null ? '–' : sp.toFixed(2)} | ${tg} |`);
  }
  const targetLines: string[] = [];
  for (const t of TARGETS) {
    for (const wid of t.workloads) {
      const rs = targetRows.filter((r) => r.w.id === wid && r.m === r.w.metrics[0]);
      if (rs.length === 0) continue;
      const cell = (plid: string): string => {
        const r = rs.find((x) => x.pl.id === plid) ?? (plid === '1core' ? rs[0] : undefined);
        if (!r) return '–';
        const e = t.eval(get(r));
        return `${metText(e.met)} (${e.shown})`;
      };
      targetLines.push(`| ${t.text} | ${wid} | ${cell('1core')} | ${cell('2cores')} |`);
    }
  }
  if (targetLines.length) {
    out.push('');
    out.push('Issue 7\'s targets (medians of this run; judged on the 1-core placement, the 2-core one shown beside it):');
    out.push('');
    out.push('| target | workload | 1 core | 2 cores |');
    out.push('|---|---|---|---|');
    out.push(...targetLines);
  }
  const na = new Set<string>();
  for (const w of o.only) for (const i of implCols) if (w.notRun[i]) na.add(`${w.id} × ${LABEL[i]}: ${w.notRun[i]}`);
  const errors = new Set<string>();
  for (const [k, c] of table) {
    const [wid, , impl, metric] = k.split('|') as [string, string, Impl, string];
    const what = `${wid} × ${LABEL[impl]}`;
    if (c.note?.startsWith('n/a') && c.note !== 'n/a: not measured') na.add(`${what}: ${c.note.slice(5)}`);
    const unit = WORKLOADS.find((w) => w.id === wid)?.metrics.find((m) => m.key === metric)?.unit ?? metric;
    if (c.note === 'n/a: not measured') na.add(`${what}: ${unit}: does not apply`);
    if (c.note?.startsWith('error')) errors.add(`${what}: ${c.note.slice(7).split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 2).join(' ')}`);
  }
  if (na.size) {
    out.push('');
    out.push('n/a:');
    out.push('');
    for (const s of na) out.push(`- ${s}`);
  }
  if (errors.size) {
    out.push('');
    out.push('Errors (every round of these failed):');
    out.push('');
    for (const s of errors) out.push(`- ${s.replace(/\|/g, '\\|')}`);
  }
  if (notes.length) {
    out.push('');
    for (const s of notes) out.push(`- ${s}`);
  }
  if (readme) {
    out.push('');
    out.push('![each implementation ÷ C](bench/results/latest.svg)');
    return out.join('\n');
  }
  out.push('');
  out.push('Workloads (each run stops at its count or at its time cap `secs`, whichever comes first):');
  out.push('');
  for (const w of WORKLOADS.filter((x) => o.only.includes(x))) {
    const ps = Object.entries(w.params(o.quick)).map(([k, v]) => `${k}=${v}`).join(' ');
    out.push(`- ${w.n} ${w.id}: ${w.what} (\`${ps}\`)`);
  }
  return out.join('\n');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A horizontal bar chart of each implementation's ratio to C, one group per row; hand-written SVG. */
function svg(table: Table, rows: Row[], mc: Machine, impls: Impl[]): string {
  const shown = rows.filter((r) => r.m.better !== 'none');
  const bars = impls.filter((i) => i !== 'c');
  const barH = 11;
  const groupH = bars.length * barH + 12;
  const left = 230;
  const width = 860;
  const plotW = width - left - 60;
  const top = 56;
  let max = 1.2;
  for (const r of shown) for (const i of bars) {
    const v = ratio(table.get(key(r.w.id, r.pl.id, i, r.m.key))?.value, table.get(key(r.w.id, r.pl.id, 'c', r.m.key))?.value, r.m.better);
    if (v !== null) max = Math.max(max, v);
  }
  max = Math.ceil(max * 5) / 5;
  const x = (v: number): number => left + (v / max) * plotW;
  const height = top + shown.length * groupH + 30;
  const o: string[] = [];
  o.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  o.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  o.push(`<text x="10" y="18" font-size="14" font-weight="bold">bsdsock benchmarks: each implementation ÷ C (higher is better)</text>`);
  o.push(`<text x="10" y="34" fill="#555">${esc(`${mc.date.slice(0, 10)} · ${mc.cpu}, ${mc.cores} cores · ${mc.kernel} · Node ${mc.node} · CPython ${mc.python}`)}</text>`);
  let lx = 10;
  for (const i of bars) {
    o.push(`<rect x="${lx}" y="42" width="10" height="10" fill="${COLOR[i]}"/><text x="${lx + 14}" y="51">${esc(LABEL[i])}</text>`);
    lx += 24 + LABEL[i].length * 6.5;
  }
  o.push(`<line x1="${lx}" y1="41" x2="${lx}" y2="53" stroke="#000"/><text x="${lx + 5}" y="51">C = 1.0</text>`);
  for (let t = 0; t <= max + 1e-9; t += 0.2) {
    const tx = x(t);
    o.push(`<line x1="${tx.toFixed(1)}" y1="${top}" x2="${tx.toFixed(1)}" y2="${height - 24}" stroke="${Math.abs(t - 1) < 1e-9 ? '#000' : '#e5e5e5'}"/>`);
    o.push(`<text x="${tx.toFixed(1)}" y="${height - 10}" text-anchor="middle" fill="#555">${t.toFixed(1)}</text>`);
  }
  shown.forEach((r, gi) => {
    const gy = top + gi * groupH + 6;
    o.push(`<text x="${left - 8}" y="${gy + (bars.length * barH) / 2 + 4}" text-anchor="end">${esc(`${r.w.n} ${r.w.id}${r.pl.id === '2cores' ? ' (2 cores)' : ''}`)}</text>`);
    bars.forEach((i, bi) => {
      const y = gy + bi * barH;
      const cell = table.get(key(r.w.id, r.pl.id, i, r.m.key));
      const v = r.w.notRun[i] ? null : ratio(cell?.value, table.get(key(r.w.id, r.pl.id, 'c', r.m.key))?.value, r.m.better);
      if (v === null) {
        const why = cell?.note?.startsWith('error') ? 'error' : cell || r.w.notRun[i] ? 'n/a' : '';
        if (why) o.push(`<text x="${left + 4}" y="${y + barH - 2}" fill="#999" font-size="9">${esc(`${LABEL[i]}: ${why}`)}</text>`);
        return;
      }
      o.push(`<rect x="${left}" y="${y}" width="${(x(v) - left).toFixed(1)}" height="${barH - 2}" fill="${COLOR[i]}"/>`);
      o.push(`<text x="${(x(v) + 3).toFixed(1)}" y="${y + barH - 2}" font-size="9">${v.toFixed(2)}</text>`);
    });
  });
  o.push('</svg>');
  return `${o.join('\n')}\n`;
}

// ---------------------------------------------------------------------------
// Main

interface SavedRun {
  machine: Machine;
  options: Omit<Options, 'only'> & { only: string[] };
  notes?: string[];
  results: RunResult[];
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const t0 = Date.now();
  let notes: string[] = [];
  let mc: Machine;
  const saved = o.from ? (JSON.parse(fs.readFileSync(path.resolve(o.from), 'utf8')) as SavedRun) : null;
  if (saved) {
    // Only the report is rewritten, from a run's raw JSON, with that run's options.
    Object.assign(o, { ...saved.options, only: WORKLOADS.filter((w) => saved.options.only.includes(w.id)), readme: o.readme, from: o.from });
    mc = saved.machine;
    notes = saved.notes ?? [];
  } else {
    const py = findPython();
    PYTHON = py.exe;
    const bb = bsdsockBuild();
    for (const s of bb.stale) process.stderr.write(`bench: warning: ${s}; run \`npm run build\` to measure the current code\n`);
    mc = machine(py.version, bb.text);
  }
  const cpus = allowedCpus();
  const main1 = cpus[cpus.length - 1]!;
  const other = cpus.length > 1 ? cpus[cpus.length - 2]! : main1;

  const PL_SAME: Placement = { id: '1core', label: '1 core', server: main1, client: main1 };
  const PL_SPLIT: Placement = { id: '2cores', label: '2 cores', server: other, client: main1 };
  const PL_SINGLE: Placement = { id: '1core', label: '1 core', server: main1, client: main1 };
  const PL_C10K: Placement = { id: '1core', label: 'server 1 core', server: main1, client: other };
  const placements = (w: Workload): Placement[] => {
    if (w.kind === 'single') return [PL_SINGLE];
    if (w.kind === 'c10k') return [PL_C10K];
    const all = cpus.length < 2 ? [PL_SAME] : [PL_SAME, PL_SPLIT];
    if (o.placements) return all.filter((p) => o.placements!.includes(p.id));
    return o.quick ? [PL_SAME] : all;
  };

  // c10k needs an fd per connection on each side.
  let workloads = saved ? o.only.filter((w) => saved.results.some((r) => r.workload === w.id)) : o.only;
  const c10k = workloads.find((w) => w.kind === 'c10k');
  if (c10k && !saved) {
    const need = Number(c10k.params(o.quick).count) + 256;
    const hard = sh('sh', ['-c', 'ulimit -Hn']);
    fdLimit = hard === 'unlimited' ? need : Math.max(need, Math.min(Number(hard), 65536));
    const r = spawnSync('sh', ['-c', `ulimit -n ${fdLimit}`]);
    if (r.status !== 0 || (hard !== 'unlimited' && Number(hard) < need)) {
      const msg = `c10k skipped: RLIMIT_NOFILE cannot be raised to ${need} (hard limit ${hard}); raise it (ulimit -Hn, or LimitNOFILE) and rerun`;
      process.stderr.write(`bench: ${msg}\n`);
      notes.push(msg);
      workloads = workloads.filter((w) => w !== c10k);
    }
  }

  const results: RunResult[] = saved ? saved.results : [];
  if (!saved) {
    build(workloads);
    process.stderr.write(`bench: ${workloads.length} workloads × ${o.impls.length} implementations, ${o.rounds} round(s); CPUs ${main1} (and ${other})${o.quick ? '; quick' : ''}\n`);
  }
  for (let round = 1; !saved && round <= o.rounds; round++) {
    for (const w of workloads) {
      const params = w.params(o.quick);
      for (const pl of placements(w)) {
        // Rotate the order each round, so that a slow spell of the machine does not always hit the same one.
        const impls = o.impls.filter((i) => !w.notRun[i]);
        const order = impls.map((_, k) => impls[(k + round - 1) % impls.length]!);
        for (const impl of order) {
          const started = Date.now();
          const base = { workload: w.id, impl, placement: pl.id, round };
          let r: RunResult;
          try {
            const run = w.kind === 'pair' ? runPair : w.kind === 'single' ? runSingle : runC10k;
            r = { ...base, ...(await run(w, impl, pl, params)) };
          } catch (err) {
            r = { ...base, error: (err as Error).message };
          }
          results.push(r);
          const m = w.metrics[0]!;
          const shown = r.na ? `n/a (${r.na})` : r.error ? `ERROR ${r.error}` :
            `${m.format(r.metrics![m.key]!)} ${m.unit}${r.metrics!.loss !== undefined ? `, loss ${fmtPct(r.metrics!.loss)}` : ''}` +
            `${r.metrics!.rssPerConn !== undefined ? `, ${fmtBytes(r.metrics!.rssPerConn)} RSS/conn` : ''}`;
          process.stderr.write(`[${round}/${o.rounds}] ${w.id} ${pl.label} ${LABEL[impl]}: ${shown}  (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
        }
      }
    }
  }
  if (!saved) mc.loadEnd = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  fs.rmSync(TMP, { recursive: true, force: true });

  const table = summarize(results);
  // Only the placements that were run (a --from report may come from a --placement run).
  const rows = rowsOf(workloads, placements).filter((r) => results.some((x) => x.workload === r.w.id && x.placement === r.pl.id));
  const md = markdown(table, rows, mc, o, notes);
  const chart = svg(table, rows, mc, o.impls);
  const full = !o.quick && o.only.length === WORKLOADS.length && o.impls.length === IMPLS.length && !o.placements;
  const stamp = mc.date.replace(/[:]/g, '-');
  fs.mkdirSync(RAW, { recursive: true });
  if (!saved) {
    const raw = { machine: mc, options: { ...o, only: o.only.map((w) => w.id) }, notes, results };
    fs.writeFileSync(path.join(RAW, `${stamp}${o.quick ? '-quick' : ''}.json`), `${JSON.stringify(raw, null, 1)}\n`);
  }
  const header = `# bsdsock benchmarks\n\nWritten by \`npm run bench\` (bench/run.ts); the programs are under bench/<workload>/.\n\n![ratios to C](latest.svg)\n\n`;
  let where: string;
  if (full) {
    fs.writeFileSync(path.join(RESULTS, 'latest.md'), `${header}${md}\n`);
    fs.writeFileSync(path.join(RESULTS, 'latest.svg'), chart);
    where = 'bench/results/latest.md and latest.svg';
    if (o.readme) {
      updateReadme(markdown(table, rows, mc, o, notes, true));
      where += ', README.md';
    }
  } else {
    fs.writeFileSync(path.join(RAW, `${stamp}${o.quick ? '-quick' : '-partial'}.md`), `${header.replace('latest.svg', `${stamp}.svg`)}${md}\n`);
    fs.writeFileSync(path.join(RAW, `${stamp}.svg`), chart);
    where = `bench/results/raw/${stamp}${o.quick ? '-quick' : '-partial'}.md (a ${o.quick ? 'quick' : 'partial'} run leaves latest.md alone)`;
    if (o.readme) process.stderr.write('bench: --readme ignored: only a full run goes into README\n');
  }
  process.stdout.write(`\n${md}\n\n`);
  const errors = results.filter((r) => r.error).length;
  process.stderr.write(`bench: wrote ${where}; ${results.length} runs, ${errors} errors, ${((Date.now() - t0) / 1000).toFixed(0)} s${saved ? ` (report only, from ${o.from})` : ''}\n`);
  if (errors > 0) process.exitCode = 1;
}

const BEGIN = '<!-- bench:begin (written by npm run bench -- --readme) -->';
const END = '<!-- bench:end -->';

function updateReadme(md: string): void {
  const file = path.join(ROOT, 'README.md');
  const text = fs.readFileSync(file, 'utf8');
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  if (a < 0 || b < a) {
    process.stderr.write('bench: README.md has no bench markers; not updated\n');
    return;
  }
  fs.writeFileSync(file, `${text.slice(0, a + BEGIN.length)}\n${md}\n${text.slice(b)}`);
}

await main();
