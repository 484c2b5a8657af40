// Runs one echo server example and its client against each other, each in a
// process of its own (a Sync server blocks its whole thread): used by the
// demo and by the examples' tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root and this folder. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const EXAMPLES = fileURLToPath(new URL('.', import.meta.url));

/** tsx's loader, resolved from here, so that `node --import <it>` runs TypeScript from any working directory. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** `node --import tsx <file> ...args`, run from the repository root: the command that runs one example. */
export function exampleCommand(file: string, args: readonly string[] = []): [string, string[]] {
  return [process.execPath, ['--import', TSX_LOADER, fileURLToPath(new URL(file, import.meta.url)), ...args]];
}

export type Who = 'server' | 'client';

export interface PairOptions {
  /** The host the client connects to. */
  host: string;
  /** Everything (both processes) is killed when this runs out; default 15 s. */
  timeoutMs?: number;
  /** Called with each line either process writes, as it arrives. */
  onLine?: (who: Who, line: string, stream: 'stdout' | 'stderr') => void;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface PairResult {
  /** Every line, in arrival order. */
  lines: { who: Who; stream: 'stdout' | 'stderr'; line: string }[];
  /** The port the server printed, or null if it never did. */
  port: number | null;
  server: Exit | null;
  client: Exit | null;
  timedOut: boolean;
  /** Both exited 0, the server printed `Connected by` and the client `Received b'Hello, world'`. */
  ok: boolean;
}

/**
 * Starts `server` (an example file in this folder) on port 0, waits for its
 * `listening on <port>` line, runs `client` with `host port`, and waits for
 * both to exit. Never rejects; everything is bounded by `timeoutMs`.
 */
export async function runPair(server: string, client: string, options: PairOptions): Promise<PairResult> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const result: PairResult = { lines: [], port: null, server: null, client: null, timedOut: false, ok: false };
  const children: ChildProcess[] = [];
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });

  const start = (who: Who, file: string, args: string[], onLine?: (line: string) => void) => {
    const [command, argv] = exampleCommand(file, args);
    const child = spawn(command, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    for (const stream of ['stdout', 'stderr'] as const) {
      createInterface({ input: child[stream]! }).on('line', (line) => {
        result.lines.push({ who, stream, line });
        options.onLine?.(who, line, stream);
        if (stream === 'stdout') onLine?.(line);
      });
    }
    // 'close' comes after the process has exited and its output has been read.
    const exited = new Promise<Exit>((resolve) => {
      child.on('error', () => resolve({ code: null, signal: null }));
      child.on('close', (code, signal) => resolve({ code, signal }));
    });
    return { child, exited };
  };

  try {
    let listening!: (port: number) => void;
    const portKnown = new Promise<number>((resolve) => (listening = resolve));
    const { child: serverProcess, exited: serverExited } = start('server', server, ['0'], (line) => {
      const m = /^listening on (\d+)$/.exec(line);
      if (m) listening(Number(m[1]));
    });
    const first = await Promise.race([portKnown, serverExited, deadline]);
    if (first === 'timeout') {
      result.timedOut = true;
      return result;
    }
    if (typeof first !== 'number') {
      result.server = first;
      return result;
    }
    result.port = first;
    const { exited: clientExited } = start('client', client, [options.host, String(first)]);
    const clientExit = await Promise.race([clientExited, deadline]);
    if (clientExit === 'timeout') {
      result.timedOut = true;
      return result;
    }
    result.client = clientExit;
    // A client that failed never finished its exchange: the server would wait
    // for it forever, so it is stopped at once rather than at the deadline.
    if (clientExit.code !== 0) serverProcess.kill('SIGKILL');
    const serverExit = await Promise.race([serverExited, deadline]);
    if (serverExit === 'timeout') {
      result.timedOut = true;
      return result;
    }
    result.server = serverExit;
    const said = (who: Who, text: string) =>
      result.lines.some((l) => l.who === who && l.stream === 'stdout' && l.line.includes(text));
    result.ok =
      result.server.code === 0 && result.client.code === 0 &&
      said('server', 'Connected by') && said('client', "Received b'Hello, world'");
    return result;
  } finally {
    clearTimeout(timer);
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }
}
