/**
 * CPython 3.13 as an independent peer for the tests: run a script and
 * collect what it prints, or keep it running as a server or client that the
 * test talks to. Every run is bounded by a timeout, after which the process
 * is killed.
 *
 * @packageDocumentation
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

/** The CPython version the tests compare against (chosen through pyenv). */
export const PYTHON_VERSION = '3.13.0';

/** The default bound on one Python run, in milliseconds. */
export const DEFAULT_PYTHON_TIMEOUT_MS = 10_000;

const MAX_OUTPUT = 16 * 1024 * 1024;

/** How to run a script. */
export interface PythonOptions {
  /** Kill the process after this many milliseconds (default 10 000). */
  readonly timeoutMs?: number;
  /** Written to the script's standard input, which is then closed. */
  readonly input?: string | Buffer;
  /** Extra arguments, seen by the script as `sys.argv[1:]`. */
  readonly args?: readonly string[];
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The interpreter to run instead of `python3` (pyenv's CPython 3.13):
   * {@link LAB_PYTHON} for the families pyenv's build lacks (Bluetooth).
   */
  readonly executable?: string;
}

/** How a Python run ended and what it printed. */
export interface PythonResult {
  /** The exit code, or `null` when a signal ended the process. */
  readonly code: number | null;
  /** The signal that ended the process, if one did. */
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Whether the run was killed for outliving its timeout. */
  readonly timedOut: boolean;
}

function pythonEnv(extra: Readonly<Record<string, string>> | undefined): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PYENV_VERSION: PYTHON_VERSION,
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    ...extra,
  };
}

let available: boolean | undefined;

/** Whether `python3` runs as CPython 3.13 here (checked once). */
export function hasPython(): boolean {
  if (available === undefined) {
    const r = spawnSync('python3', ['-c', 'import sys; print(sys.version_info[:2])'], {
      env: pythonEnv(undefined),
      encoding: 'utf8',
      timeout: DEFAULT_PYTHON_TIMEOUT_MS,
    });
    available = r.status === 0 && r.stdout.trim() === '(3, 13)';
  }
  return available;
}

/** Why the tests that need CPython 3.13 cannot run here, or `''` when they can. */
export function pythonSkipReason(): string {
  return hasPython() ? '' : `python3 is not CPython ${PYTHON_VERSION} here (PYENV_VERSION=${PYTHON_VERSION} python3)`;
}

/**
 * A test title that says why the test is skipped, when CPython 3.13 is
 * missing here: pair it with `skipIf(!hasPython())`.
 *
 * @example
 * ```ts
 * it.skipIf(!hasPython())(needsPython('has CPython\'s values'), () => { ... });
 * ```
 */
export function needsPython(title: string): string {
  const reason = pythonSkipReason();
  return reason ? `${title} (skipped: ${reason})` : title;
}

/**
 * Runs `python3 -c script` and collects its output; never rejects for the
 * script's own failure (look at `code`), only when python3 cannot start.
 *
 * @example
 * ```ts
 * const r = await runPython('import socket; print(socket.inet_ntop(socket.AF_INET6, bytes(16)))');
 * expect(r.stdout).toBe('::\n');
 * ```
 */
export function runPython(script: string, options: PythonOptions = {}): Promise<PythonResult> {
  const py = spawnPython(script, options);
  return py.result;
}

/** {@link runPython} that blocks the calling thread, for building tables at collection time. */
export function runPythonSync(script: string, options: PythonOptions = {}): PythonResult {
  const r = spawnSync(options.executable ?? 'python3', ['-c', script, ...(options.args ?? [])], {
    env: pythonEnv(options.env),
    input: options.input,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? DEFAULT_PYTHON_TIMEOUT_MS,
    killSignal: 'SIGKILL',
    maxBuffer: MAX_OUTPUT,
  });
  if (r.error && (r.error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') throw r.error;
  return {
    code: r.status,
    signal: r.signal,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    timedOut: (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT',
  };
}

/**
 * Runs a script and returns its standard output, throwing (with its stderr)
 * when it fails or times out.
 */
export async function python(script: string, options: PythonOptions = {}): Promise<string> {
  const r = await runPython(script, options);
  if (r.code !== 0) {
    const why = r.timedOut ? 'timed out' : r.signal ? `was killed by ${r.signal}` : `exited with ${r.code}`;
    throw new Error(`python3 ${why}:\n${r.stderr}`);
  }
  return r.stdout;
}

/** A Python process the test talks to while it runs. */
export interface PythonProcess {
  readonly child: ChildProcess;
  /**
   * The next line the script prints (without its newline). Rejects when the
   * process ends first or no line comes within `timeoutMs` (default: the
   * run's timeout).
   */
  readLine(timeoutMs?: number): Promise<string>;
  /** Writes to the script's standard input. */
  write(data: string | Buffer): void;
  /** Closes the script's standard input. */
  end(): void;
  /** Kills the process (SIGKILL unless told otherwise). */
  kill(signal?: NodeJS.Signals): void;
  /** Settles when the process has ended. Output already read by `readLine` is not in `stdout`. */
  readonly result: Promise<PythonResult>;
}

/**
 * Starts `python3 -c script` and keeps it running: read what it prints
 * line by line (say, the port a server bound), talk to it, and await its
 * end. It is killed when `timeoutMs` runs out.
 *
 * @example
 * ```ts
 * const py = spawnPython(`
 * import socket
 * s = socket.create_server(('127.0.0.1', 0))
 * print(s.getsockname()[1])
 * c, _ = s.accept(); c.sendall(c.recv(100))
 * `);
 * const port = Number(await py.readLine());
 * ...
 * expect((await py.result).code).toBe(0);
 * ```
 */
export function spawnPython(script: string, options: PythonOptions = {}): PythonProcess {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PYTHON_TIMEOUT_MS;
  const child = spawn(options.executable ?? 'python3', ['-c', script, ...(options.args ?? [])], {
    env: pythonEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  let ended = false;
  const waiters: { resolve: (line: string) => void; reject: (err: Error) => void }[] = [];

  const flushLines = (): void => {
    let nl: number;
    while (waiters.length > 0 && (nl = stdout.indexOf('\n')) >= 0) {
      const line = stdout.slice(0, nl);
      stdout = stdout.slice(nl + 1);
      waiters.shift()!.resolve(line);
    }
    if (ended && waiters.length > 0 && stdout.length > 0) {
      const rest = stdout;
      stdout = '';
      waiters.shift()!.resolve(rest);
    }
    if (ended) {
      for (const w of waiters.splice(0)) {
        w.reject(new Error(`python3 ended before printing a line; stderr:\n${stderr}`));
      }
    }
  };

  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    if (stdout.length < MAX_OUTPUT) stdout += chunk;
    flushLines();
  });
  child.stderr!.on('data', (chunk: string) => {
    if (stderr.length < MAX_OUTPUT) stderr += chunk;
  });
  child.stdin!.on('error', () => {
    // The script exited without reading its input; its result tells the story.
  });

  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);

  const result = new Promise<PythonResult>((resolve, reject) => {
    child.on('error', (err) => {
      clearTimeout(timer);
      ended = true;
      flushLines();
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      ended = true;
      flushLines();
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
  // A caller that only reads lines must not trip an unhandled rejection.
  result.catch(() => undefined);

  if (options.input !== undefined) child.stdin!.end(options.input);

  return {
    child,
    readLine(lineTimeoutMs = timeoutMs): Promise<string> {
      return new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => {
          const i = waiters.indexOf(waiter);
          if (i >= 0) waiters.splice(i, 1);
          reject(new Error(`python3 printed no line within ${lineTimeoutMs} ms; stderr:\n${stderr}`));
        }, lineTimeoutMs);
        const waiter = {
          resolve: (line: string) => {
            clearTimeout(t);
            resolve(line);
          },
          reject: (err: Error) => {
            clearTimeout(t);
            reject(err);
          },
        };
        waiters.push(waiter);
        flushLines();
      });
    },
    write(data: string | Buffer): void {
      child.stdin!.write(data);
    },
    end(): void {
      child.stdin!.end();
    },
    kill(signal: NodeJS.Signals = 'SIGKILL'): void {
      child.kill(signal);
    },
    result,
  };
}
