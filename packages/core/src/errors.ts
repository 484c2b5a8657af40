/**
 * Python's OSError hierarchy (PEP 3151), built in TypeScript from the errno
 * the addon hands back.
 *
 * @packageDocumentation
 */
import { constants as osConstants } from 'node:os';
import { binding } from './binding.js';

/** Every errno the C library names, from its headers (Node's list lacks some, e.g. ESHUTDOWN). */
const errnoValues: Record<string, number> = {};
for (const [name, value] of Object.entries(binding.constants)) {
  if (/^E[A-Z0-9]+$/.test(name) && typeof value === 'number' && value > 0) errnoValues[name] = value;
}
const errnoNames: Record<number, string> = {};
// Node's spelling first where Node has one (EAGAIN, not EWOULDBLOCK), then the headers'.
for (const table of [osConstants.errno as Record<string, number>, errnoValues]) {
  for (const [name, value] of Object.entries(table)) {
    if (errnoNames[value] === undefined) errnoNames[value] = name;
  }
}

/** The POSIX name of an errno (`111` → `'ECONNREFUSED'`), as Node names it. */
export function errnoName(errno: number): string | undefined {
  return errnoNames[errno];
}

const strerrorCache = new Map<number, string>();

/** strerror(3) of an errno, cached. */
export function strerror(errno: number): string {
  let s = strerrorCache.get(errno);
  if (s === undefined) {
    s = binding.strerror(errno);
    strerrorCache.set(errno, s);
  }
  return s;
}

/**
 * Python's `OSError` (alias {@link error}): a failed system call, or an
 * error bsdsock raises itself with only a message (then `errno` is `null`).
 * As in Python, `new OSError(errno)` gives the most specific subclass for
 * that errno (`new OSError(111)` is a ConnectionRefusedError).
 *
 * `message` is what Python's `str(err)` shows: `[Errno 111] Connection refused`.
 *
 * @see https://docs.python.org/3/library/exceptions.html#OSError
 */
export class OSError extends Error {
  /** The positive POSIX errno, or `null` for an error raised with only a message. */
  readonly errno: number | null;
  /** strerror(3) of `errno`, or `null`. */
  readonly strerror: string | null;
  /** The errno's name as Node names it (`'ECONNREFUSED'`; `'EAI_NONAME'` for a gaierror), or `undefined`. */
  code: string | undefined;
  /** The system call that failed (`'connect'`), when there was one. */
  syscall: string | undefined;
  /** Python's `args`: `[errno, strerror]`, or `[message]`. */
  readonly args: readonly unknown[];

  /**
   * `new OSError(errno, strerror?, syscall?)` for a failed syscall, or
   * `new OSError(message)` for an error with only a message.
   */
  constructor(errnoOrMessage: number | string, strerrorText?: string, syscall?: string) {
    if (typeof errnoOrMessage === 'number') {
      const text = strerrorText ?? strerror(errnoOrMessage);
      super(`[Errno ${errnoOrMessage}] ${text}`);
      this.errno = errnoOrMessage;
      this.strerror = text;
      this.code = errnoName(errnoOrMessage);
      this.args = [errnoOrMessage, text];
    } else {
      super(errnoOrMessage);
      this.errno = null;
      this.strerror = null;
      this.code = undefined;
      this.args = [errnoOrMessage];
    }
    this.syscall = syscall;
    // As Python's OSError(errno, ...): the most specific subclass for the errno.
    if (new.target === OSError && typeof errnoOrMessage === 'number') {
      const Cls = byErrno.get(errnoOrMessage);
      if (Cls !== undefined) return new Cls(errnoOrMessage, strerrorText, syscall);
    }
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** Python's `socket.error`, an alias of {@link OSError}. */
export const error = OSError;
// eslint-disable-next-line @typescript-eslint/no-redeclare
export type error = OSError;

/** EAGAIN, EWOULDBLOCK, EALREADY, EINPROGRESS: a non-blocking operation would block. */
export class BlockingIOError extends OSError {}
/** ECHILD. */
export class ChildProcessError extends OSError {}
/** Base of the connection errors. */
export class ConnectionError extends OSError {}
/** EPIPE, ESHUTDOWN. */
export class BrokenPipeError extends ConnectionError {}
/** ECONNABORTED. */
export class ConnectionAbortedError extends ConnectionError {}
/** ECONNREFUSED. */
export class ConnectionRefusedError extends ConnectionError {}
/** ECONNRESET. */
export class ConnectionResetError extends ConnectionError {}
/** EEXIST. */
export class FileExistsError extends OSError {}
/** ENOENT. */
export class FileNotFoundError extends OSError {}
/** EINTR. */
export class InterruptedError extends OSError {}
/** EISDIR. */
export class IsADirectoryError extends OSError {}
/** ENOTDIR. */
export class NotADirectoryError extends OSError {}
/** EACCES, EPERM. */
export class PermissionError extends OSError {}
/** ESRCH. */
export class ProcessLookupError extends OSError {}
/**
 * ETIMEDOUT from the kernel (errno 110), or a socket timeout running out:
 * then `errno` is `null` and the message is `timed out`, as in Python.
 */
export class TimeoutError extends OSError {}
/** Python's `socket.timeout`, an alias of {@link TimeoutError}. */
export const timeout = TimeoutError;
// eslint-disable-next-line @typescript-eslint/no-redeclare
export type timeout = TimeoutError;

/** A host-lookup error of the gethostby* functions; `errno` is h_errno. */
export class herror extends OSError {}
/** An address-lookup error of getaddrinfo/getnameinfo; `errno` is the (negative) `EAI_*` number. */
export class gaierror extends OSError {
  /** `new gaierror(EAI_code, message?)`, or `new gaierror(message)`. */
  constructor(codeOrMessage: number | string, message?: string, syscall?: string) {
    if (typeof codeOrMessage === 'number') {
      super(codeOrMessage, message ?? binding.gaiStrerror(codeOrMessage), syscall);
      this.code = gaiNames.get(codeOrMessage);
    } else {
      super(codeOrMessage);
    }
  }
}

const gaiNames = new Map<number, string>();
for (const [name, value] of Object.entries(binding.constants)) {
  if (name.startsWith('EAI_') && typeof value === 'number' && !gaiNames.has(value)) gaiNames.set(value, name);
}

type OSErrorClass = new (errno: number, strerror?: string, syscall?: string) => OSError;

const byErrno = new Map<number, OSErrorClass>();
function map(cls: OSErrorClass, ...names: string[]): void {
  for (const n of names) {
    const v = errnoValues[n] ?? (osConstants.errno as Record<string, number>)[n];
    if (v !== undefined) byErrno.set(v, cls);
  }
}
map(BlockingIOError, 'EAGAIN', 'EWOULDBLOCK', 'EALREADY', 'EINPROGRESS');
map(ChildProcessError, 'ECHILD');
map(BrokenPipeError, 'EPIPE', 'ESHUTDOWN');
map(ConnectionAbortedError, 'ECONNABORTED');
map(ConnectionRefusedError, 'ECONNREFUSED');
map(ConnectionResetError, 'ECONNRESET');
map(FileExistsError, 'EEXIST');
map(FileNotFoundError, 'ENOENT');
map(InterruptedError, 'EINTR');
map(IsADirectoryError, 'EISDIR');
map(NotADirectoryError, 'ENOTDIR');
map(PermissionError, 'EACCES', 'EPERM');
map(ProcessLookupError, 'ESRCH');
map(TimeoutError, 'ETIMEDOUT');

/** The class Python raises for an errno: the most specific subclass, else OSError. */
export function errorClassFor(errno: number): OSErrorClass {
  return byErrno.get(errno) ?? OSError;
}

/** Builds the Python exception for a positive errno, naming the syscall that failed. */
export function fromErrno(errno: number, syscall?: string): OSError {
  const Cls = errorClassFor(errno);
  return new Cls(errno, undefined, syscall);
}

/** A socket timeout that ran out: `TimeoutError('timed out')` with `errno` null. */
export function timedOut(syscall?: string): TimeoutError {
  const e = new TimeoutError('timed out');
  e.syscall = syscall;
  return e;
}

export const EBADF: number = osConstants.errno.EBADF;
export const EAGAIN: number = osConstants.errno.EAGAIN;
export const EINPROGRESS: number = osConstants.errno.EINPROGRESS;
export const EINTR: number = osConstants.errno.EINTR;
export const EINVAL: number = osConstants.errno.EINVAL;
export const ENOTSOCK: number = osConstants.errno.ENOTSOCK;
export const EISCONN: number = osConstants.errno.EISCONN;
export const EALREADY: number = osConstants.errno.EALREADY;
export const ECONNRESET: number = osConstants.errno.ECONNRESET;
