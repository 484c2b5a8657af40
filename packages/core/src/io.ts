/**
 * The Promise forms' engine: try the syscall first; on EAGAIN queue the
 * operation and wait for readiness through one uv_poll per socket, then
 * retry in the readiness callback.
 *
 * - The poll is armed for reading while a reader waits, and stays armed
 *   until a readiness callback finds no reader (a lazy disarm: restarting a
 *   uv_poll costs epoll_ctl calls, so a busy socket never re-arms).
 * - It watches writability only while a writer waits (else it would spin).
 * - No speculative syscall while the poll is armed and the last try hit
 *   EAGAIN with no readiness since.
 * - Operations of one direction complete in the order they were started.
 * - Reads per wake-up are bounded so that one busy socket cannot starve
 *   the loop.
 *
 * @packageDocumentation
 */
import { binding, READABLE, WRITABLE, type NativePoller } from './binding.js';
import { EAGAIN, EBADF, fromErrno, timedOut } from './errors.js';

/** A result code: >= 0 done, -errno failed, or {@link AGAIN} to keep waiting. */
export const AGAIN = -EAGAIN;

/** The I/O state of every open socket, by fd. */
const byFd = new Map<number, IoState>();

/** The longest delay setTimeout honours. */
const MAX_TIMER_MS = 0x7fff_ffff;

/** Ops completed per direction in one readiness callback. */
const MAX_PER_WAKEUP = 64;

/**
 * One pending operation. `attempt` performs the syscall and returns a
 * result code; the value to resolve with is left in `value`.
 */
export abstract class PendingOp<T = unknown> {
  value: T | undefined = undefined;
  resolve!: (value: T) => void;
  reject!: (reason: unknown) => void;
  timer: NodeJS.Timeout | undefined = undefined;
  signal: AbortSignal | undefined = undefined;
  onAbort: (() => void) | undefined = undefined;
  queue: AnyOp[] | undefined = undefined;

  constructor(readonly syscall: string) {}

  /** Performs the syscall once, without waiting. */
  abstract attempt(fd: number): number;

  /** Turns a failed result into the error to reject with (override for special cases). */
  fail(code: number): unknown {
    return fromErrno(-code, this.syscall);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyOp = PendingOp<any>;

function settle(op: AnyOp, code: number): void {
  if (op.timer !== undefined) clearTimeout(op.timer);
  if (op.onAbort !== undefined) op.signal!.removeEventListener('abort', op.onAbort);
  op.queue = undefined;
  if (code >= 0) op.resolve(op.value);
  else op.reject(op.fail(code));
}

/**
 * The I/O state of one socket: its fd, its poller and its queues. Kept apart
 * from the Socket object so that the garbage collector can find an idle
 * socket unreachable while this state stays reachable for its finalizer.
 */
export class IoState {
  fd: number;
  private poller: NativePoller | undefined = undefined;
  private events = 0;
  private refed = false;
  private readonly readQ: AnyOp[] = [];
  private readonly writeQ: AnyOp[] = [];
  /** The last read try hit EAGAIN and no readiness came since. */
  private readBlocked = false;
  private writeBlocked = false;
  /**
   * The last read completed only after a wait. While that holds and the
   * poll is armed, a new read waits for readiness instead of trying first:
   * in request/response traffic the speculative try would only hit EAGAIN.
   */
  private readWaited = false;
  private readonly onReady = (status: number, events: number): void => this.ready(status, events);

  constructor(fd: number) {
    this.fd = fd;
    if (fd >= 0) byFd.set(fd, this);
  }

  /** The I/O state of a live socket with this fd, if any. */
  static forFd(fd: number): IoState | undefined {
    return byFd.get(fd);
  }

  /** Whether some operation waits. */
  get busy(): boolean {
    return this.readQ.length > 0 || this.writeQ.length > 0;
  }

  /**
   * Runs `op`: at once when nothing of its direction waits, else (or on
   * EAGAIN) queued until the fd is ready. `timeoutMs` > 0 bounds the wait.
   */
  run<T>(op: PendingOp<T>, write: boolean, timeoutMs: number, signal: AbortSignal | undefined): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const queue = write ? this.writeQ : this.readQ;
    const skip = write
      ? this.writeBlocked
      : this.readBlocked || (this.readWaited && (this.events & READABLE) !== 0);
    if (queue.length === 0 && !skip) {
      const code = op.attempt(this.fd);
      if (code !== AGAIN) {
        if (!write) this.readWaited = false;
        return code >= 0 ? Promise.resolve(op.value as T) : Promise.reject(op.fail(code));
      }
    }
    return this.enqueue(op, write, timeoutMs, signal);
  }

  /** Queues `op` without trying it first (for an op whose first syscall already ran). */
  enqueue<T>(op: PendingOp<T>, write: boolean, timeoutMs: number, signal: AbortSignal | undefined): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.fd < 0) return Promise.reject(fromErrno(EBADF, op.syscall));
    const queue = write ? this.writeQ : this.readQ;
    if (write) this.writeBlocked = true;
    else this.readBlocked = true;
    const promise = new Promise<T>((resolve, reject) => {
      op.resolve = resolve;
      op.reject = reject;
    });
    op.queue = queue;
    queue.push(op);
    if (timeoutMs > 0) this.startTimer(op, timeoutMs);
    if (signal !== undefined) {
      op.signal = signal;
      op.onAbort = () => this.cancel(op, signal.reason);
      signal.addEventListener('abort', op.onAbort, { once: true });
    }
    this.arm();
    return promise;
  }

  /**
   * The op's deadline. Node fires a timer of more than 2**31 - 1 ms at once,
   * so a longer timeout is waited for in steps.
   */
  private startTimer(op: AnyOp, ms: number): void {
    const step = Math.min(ms, MAX_TIMER_MS);
    op.timer = setTimeout(() => {
      if (ms > MAX_TIMER_MS) this.startTimer(op, ms - MAX_TIMER_MS);
      else this.cancel(op, timedOut(op.syscall));
    }, step);
  }

  /** Removes a waiting op and rejects it (timeout, abort). */
  private cancel(op: AnyOp, reason: unknown): void {
    const queue = op.queue;
    if (queue === undefined) return;
    const i = queue.indexOf(op);
    if (i >= 0) queue.splice(i, 1);
    if (op.timer !== undefined) clearTimeout(op.timer);
    if (op.onAbort !== undefined) op.signal!.removeEventListener('abort', op.onAbort);
    op.queue = undefined;
    op.reject(reason);
    if (queue === this.writeQ && queue.length === 0) {
      // Nothing waits to write: stop watching writability, and forget what
      // the last try saw (no readiness will tell us any more).
      this.writeBlocked = false;
      this.arm();
    } else {
      this.updateRef();
    }
  }

  /** Sets the watched events to what the queues need (reads disarm lazily). */
  private arm(): void {
    let want = 0;
    if (this.readQ.length > 0 || (this.events & READABLE) !== 0) want |= READABLE;
    if (this.writeQ.length > 0) want |= WRITABLE;
    if (this.fd < 0) return;
    if (want !== this.events) {
      if (this.poller === undefined) {
        if (want === 0) return;
        this.poller = new binding.Poller(this.fd, this.onReady);
      }
      this.events = want;
      const r = this.poller.start(want);
      if (r < 0) {
        // The fd was closed behind the socket's back: nothing can wait on it.
        this.events = 0;
        this.failAll(fromErrno(-r, 'poll'));
      }
    }
    this.updateRef();
  }

  /** Applies a smaller event set (a stop never fails; a start may, see arm). */
  private restart(): void {
    if (this.poller!.start(this.events) < 0) {
      this.events = 0;
      this.failAll(fromErrno(EBADF, 'poll'));
    }
  }

  /** The watch holds the event loop open only while an operation waits. */
  private updateRef(): void {
    const busy = this.readQ.length > 0 || this.writeQ.length > 0;
    if (busy !== this.refed && this.poller !== undefined) {
      this.refed = busy;
      this.poller.ref(busy);
    }
  }

  private ready(status: number, events: number): void {
    if (status < 0) {
      this.pollError();
      return;
    }
    if ((events & READABLE) !== 0) {
      this.readBlocked = false;
      if (this.readQ.length === 0) {
        // Nobody reads: stop watching until someone does (the next reader
        // tries the syscall first).
        this.events &= ~READABLE;
        this.restart();
      } else {
        this.drain(this.readQ, true);
      }
    }
    if ((events & WRITABLE) !== 0 && this.fd >= 0) {
      this.writeBlocked = false;
      this.drain(this.writeQ, false);
      if (this.writeQ.length === 0 && (this.events & WRITABLE) !== 0) {
        this.events &= ~WRITABLE;
        if (this.fd >= 0) this.restart();
      }
    }
    this.updateRef();
  }

  /**
   * libuv reports POLLERR as UV_EBADF and stops the watch. The socket has an
   * error pending (a refused connect, a reset): retry every waiting op so
   * that its own syscall reports the real error. If ops still wait after
   * that, the pending SO_ERROR (if any) fails them; otherwise watch again.
   */
  private pollError(): void {
    this.poller!.stop();
    this.events = 0;
    this.readBlocked = false;
    this.writeBlocked = false;
    this.drain(this.writeQ, false);
    this.drain(this.readQ, true);
    if (this.busy && this.fd >= 0) {
      const err = binding.connectResult(this.fd);
      if (err < 0) this.failAll(fromErrno(-err, this.readQ[0]?.syscall ?? this.writeQ[0]?.syscall));
    }
    this.arm();
    this.updateRef();
  }

  private drain(queue: AnyOp[], read: boolean): void {
    for (let n = 0; n < MAX_PER_WAKEUP && queue.length > 0 && this.fd >= 0; n++) {
      const op = queue[0]!;
      const code = op.attempt(this.fd);
      if (code === AGAIN) {
        if (read) this.readBlocked = true;
        else this.writeBlocked = true;
        return;
      }
      queue.shift();
      if (read) this.readWaited = true;
      settle(op, code);
    }
  }

  private failAll(reason: unknown): void {
    const ops = [...this.readQ, ...this.writeQ];
    this.readQ.length = 0;
    this.writeQ.length = 0;
    for (const op of ops) {
      if (op.timer !== undefined) clearTimeout(op.timer);
      if (op.onAbort !== undefined) op.signal!.removeEventListener('abort', op.onAbort);
      op.queue = undefined;
      op.reject(reason);
    }
  }

  /**
   * Stops watching (before the fd is closed), rejects every waiting op with
   * EBADF, and forgets the fd. Returns the fd it had.
   */
  release(): number {
    const fd = this.fd;
    this.unwatch();
    if (byFd.get(fd) === this) byFd.delete(fd);
    this.fd = -1;
    return fd;
  }

  /**
   * Stops watching the fd and rejects every waiting op with EBADF, keeping
   * the fd number: for an fd about to be closed by someone else
   * (the module-level `close(fd)`).
   */
  unwatch(): void {
    if (this.poller !== undefined) {
      this.poller.close();
      this.poller = undefined;
    }
    this.events = 0;
    this.refed = false;
    this.readBlocked = false;
    this.writeBlocked = false;
    if (this.readQ.length > 0 || this.writeQ.length > 0) {
      const ops = [...this.readQ, ...this.writeQ];
      this.readQ.length = 0;
      this.writeQ.length = 0;
      for (const op of ops) {
        if (op.timer !== undefined) clearTimeout(op.timer);
        if (op.onAbort !== undefined) op.signal!.removeEventListener('abort', op.onAbort);
        op.queue = undefined;
        op.reject(fromErrno(EBADF, op.syscall));
      }
    }
  }
}
