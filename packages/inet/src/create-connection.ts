/**
 * `createConnection`: Python's `socket.create_connection` (Lib/socket.py),
 * and, beyond Python, Happy Eyeballs (RFC 8305) for the Promise form.
 *
 * @packageDocumentation
 */
import { OSError, SOCK_STREAM, Socket, getdefaulttimeout, type Address } from '@bsdsock/core';
import { timedOut } from '@bsdsock/core/internal';
import { optionsArg, signalArg, typeName } from './args.js';
import { DEFAULT_ATTEMPT_DELAY_S, RaceFailed, interleave, raceAttempts } from './happy-eyeballs.js';
import { show } from './messages.js';
import { getaddrinfo, getaddrinfoSync, type AddrInfo, type HostArg, type PortArg } from './resolver.js';

/** The options of {@link createConnectionSync}: Python's keyword arguments. */
export interface CreateConnectionSyncOptions {
  /**
   * The new socket's timeout in seconds, set before connecting: `null`
   * blocks; omitted, the socket keeps {@link getdefaulttimeout}'s value.
   */
  timeout?: number | null;
  /** An address to bind to before connecting (`['', 0]`-style: `''` or port 0 let the OS choose). */
  sourceAddress?: Address | null;
  /** Raise an `AggregateError` of every attempt's error, not just the last one. */
  allErrors?: boolean;
}

/** The Happy Eyeballs settings of {@link createConnection}. */
export interface HappyEyeballsOptions {
  /**
   * RFC 8305's Connection Attempt Delay, in seconds: how long an attempt
   * runs alone before the next one starts. Default 0.25.
   */
  delay?: number;
}

/** The options of {@link createConnection}. */
export interface CreateConnectionOptions extends CreateConnectionSyncOptions {
  /** Aborts the whole call: the promise rejects with the signal's reason, and every socket is closed. */
  signal?: AbortSignal;
  /**
   * Race the addresses as RFC 8305 describes instead of trying them one
   * after another: the address families interleaved, a new attempt started
   * every `delay` seconds (or as soon as the latest one fails), the first
   * connection to succeed wins and the others are closed; the timeout is
   * one deadline for all of it.
   */
  happyEyeballs?: boolean | HappyEyeballsOptions;
}

/** The timeout option not given: the socket keeps the default timeout (Python's `_GLOBAL_DEFAULT_TIMEOUT`). */
const DEFAULT = Symbol('default timeout');
type Timeout = number | null | typeof DEFAULT;

function addressArg(address: unknown, method: string): [HostArg | null, PortArg] {
  if (!Array.isArray(address) || address.length !== 2) {
    throw new TypeError(`${method}(): address must be [host, port], got ${show(address)}`);
  }
  return [address[0] as HostArg | null, address[1] as PortArg];
}

function timeoutArg(value: unknown, method: string): Timeout {
  if (value === undefined) return DEFAULT;
  if (value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'number') {
    throw new TypeError(`${method}(): timeout must be a number of seconds or null, not ${typeName(value)}`);
  }
  if (Number.isNaN(value)) throw new RangeError('Invalid value NaN (not a number)');
  if (value < 0) throw new RangeError('Timeout value out of range');
  return value;
}

function delayArg(value: unknown, method: string): number | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return DEFAULT_ATTEMPT_DELAY_S;
  const opts = optionsArg<HappyEyeballsOptions>(value, `${method}(): happyEyeballs`);
  if (opts.delay === undefined) return DEFAULT_ATTEMPT_DELAY_S;
  if (typeof opts.delay !== 'number' || !Number.isFinite(opts.delay) || opts.delay < 0) {
    throw new RangeError(`${method}(): happyEyeballs.delay must be a number of seconds >= 0, got ${show(opts.delay)}`);
  }
  return opts.delay;
}

/** Python's `if source_address:`: null, undefined and an empty array mean none. */
function hasSource(source: unknown): boolean {
  return source !== undefined && source !== null && !(Array.isArray(source) && source.length === 0);
}

/** A socket for one getaddrinfo row, its timeout set and bound to the source address. */
function openAttempt(row: AddrInfo, timeout: Timeout, source: unknown): Socket {
  const [family, type, proto] = row;
  const sock = new Socket(family, type, proto);
  try {
    if (timeout !== DEFAULT) sock.settimeout(timeout);
    if (hasSource(source)) sock.bind(source);
  } catch (err) {
    sock.close();
    throw err;
  }
  return sock;
}

/** What create_connection raises when no attempt succeeded. */
function failure(errors: OSError[], allErrors: boolean): Error {
  if (errors.length === 0) return new OSError('getaddrinfo returns an empty list');
  if (!allErrors) return errors[errors.length - 1]!;
  return new AggregateError(errors, 'create_connection failed');
}

/** Rejects as soon as `signal` aborts, whatever `promise` does. */
function withSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

async function sequential(
  rows: AddrInfo[], timeout: Timeout, source: unknown, allErrors: boolean, signal: AbortSignal | undefined,
): Promise<Socket> {
  const errors: OSError[] = [];
  for (const row of rows) {
    if (signal?.aborted) throw signal.reason;
    let sock: Socket | undefined;
    try {
      sock = openAttempt(row, timeout, source);
      await sock.connect(row[4], { signal });
      return sock;
    } catch (err) {
      sock?.close();
      if (signal?.aborted || !(err instanceof OSError)) throw err;
      if (!allErrors) errors.length = 0;
      errors.push(err);
    }
  }
  throw failure(errors, allErrors);
}

async function happyEyeballs(
  rows: AddrInfo[], timeout: Timeout, source: unknown, allErrors: boolean, signal: AbortSignal | undefined,
  delay: number,
): Promise<Socket> {
  const ordered = interleave(rows, (row) => row[0]);
  const total = timeout === DEFAULT ? getdefaulttimeout() : timeout;
  try {
    const { result } = await raceAttempts<Socket>({
      count: ordered.length,
      start: async (index, attemptSignal) => {
        const row = ordered[index]!;
        const sock = openAttempt(row, timeout, source);
        try {
          const connected = sock.connect(row[4], { signal: attemptSignal });
          // A losing or abandoned attempt's socket is closed the moment it is aborted.
          const close = (): void => sock.close();
          attemptSignal.addEventListener('abort', close, { once: true });
          try {
            await connected;
          } finally {
            attemptSignal.removeEventListener('abort', close);
          }
          return sock;
        } catch (err) {
          sock.close();
          throw err;
        }
      },
      discard: (sock) => sock.close(),
      delayMs: delay * 1000,
      deadlineMs: total !== null && total > 0 ? total * 1000 : undefined,
      deadlineReason: () => timedOut('connect'),
      signal,
    });
    return result;
  } catch (err) {
    if (!(err instanceof RaceFailed)) throw err;
    const errors: OSError[] = [];
    for (const { error } of err.failures) {
      if (!(error instanceof OSError)) throw error;
      errors.push(error);
    }
    throw failure(errors, allErrors);
  }
}

/**
 * Connects a TCP socket to `[host, port]`, as Python's
 * `socket.create_connection`: each address getaddrinfo(3) returns for it
 * (`SOCK_STREAM`, either family) is tried in order until one connects,
 * without blocking the event loop. The socket's `family`, `type` and
 * `proto` are the row's (`proto` 6 for TCP).
 *
 * `timeout` is set on each socket before it connects (omitted: the default
 * timeout, {@link getdefaulttimeout}; `null`: none) and bounds each attempt.
 * When every attempt fails the promise rejects with the last attempt's
 * error (each with its `errno`), or, with `allErrors`, an `AggregateError`
 * of them all (Python's `ExceptionGroup`); a failed lookup rejects with its
 * `gaierror`. `signal` aborts the whole call.
 *
 * With `happyEyeballs` (beyond Python) the attempts race as RFC 8305
 * describes: families interleaved, the next attempt after `delay` seconds
 * (default 0.25) or as soon as the latest fails, the first success wins,
 * every other socket is closed, and `timeout` is one deadline for the whole
 * race.
 *
 * @see https://man7.org/linux/man-pages/man2/connect.2.html
 * @see https://docs.python.org/3/library/socket.html#socket.create_connection
 * @see https://www.rfc-editor.org/rfc/rfc8305
 * @example
 * ```ts
 * const sock = await createConnection(['localhost', 8080], { timeout: 5, happyEyeballs: true });
 * await sock.sendall(Buffer.from('hello'));
 * ```
 */
export function createConnection(address: readonly [HostArg | null, PortArg], options?: CreateConnectionOptions): Promise<Socket> {
  try {
    const opts = optionsArg<CreateConnectionOptions>(options, 'createConnection');
    const [host, port] = addressArg(address, 'createConnection');
    const timeout = timeoutArg(opts.timeout, 'createConnection');
    const signal = signalArg(opts.signal, 'createConnection');
    const delay = delayArg(opts.happyEyeballs, 'createConnection');
    const allErrors = Boolean(opts.allErrors);
    const source = opts.sourceAddress;
    return withSignal(getaddrinfo(host, port, 0, SOCK_STREAM), signal).then((rows) =>
      delay === undefined
        ? sequential(rows, timeout, source, allErrors, signal)
        : happyEyeballs(rows, timeout, source, allErrors, signal, delay),
    );
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * {@link createConnection} on the calling thread, exactly as Python's
 * `socket.create_connection`: the lookup and each connect block (bounded by
 * `timeout` when it is > 0). Happy Eyeballs is only offered by the Promise
 * form.
 *
 * @see https://man7.org/linux/man-pages/man2/connect.2.html
 * @see https://docs.python.org/3/library/socket.html#socket.create_connection
 * @example
 * ```ts
 * const sock = createConnectionSync(['127.0.0.1', 8080], { timeout: 5 });
 * ```
 */
export function createConnectionSync(address: readonly [HostArg | null, PortArg], options?: CreateConnectionSyncOptions): Socket {
  const opts = optionsArg<CreateConnectionOptions>(options, 'createConnectionSync');
  if (opts.happyEyeballs !== undefined && opts.happyEyeballs !== false) {
    throw new TypeError('createConnectionSync(): happyEyeballs is only supported by the Promise form, createConnection()');
  }
  if (opts.signal !== undefined) throw new TypeError('createConnectionSync(): a signal needs the Promise form, createConnection()');
  const [host, port] = addressArg(address, 'createConnectionSync');
  const timeout = timeoutArg(opts.timeout, 'createConnectionSync');
  const allErrors = Boolean(opts.allErrors);
  const source = opts.sourceAddress;
  const rows = getaddrinfoSync(host, port, 0, SOCK_STREAM);
  const errors: OSError[] = [];
  for (const row of rows) {
    let sock: Socket | undefined;
    try {
      sock = openAttempt(row, timeout, source);
      sock.connectSync(row[4]);
      return sock;
    } catch (err) {
      sock?.close();
      if (!(err instanceof OSError)) throw err;
      if (!allErrors) errors.length = 0;
      errors.push(err);
    }
  }
  throw failure(errors, allErrors);
}
