/**
 * The Promise forms' engine: try the syscall first; on EAGAIN queue the
 * operation and wait for readiness through one uv_poll per fd, then retry
 * in the readiness callback.
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
 * - Python lets several socket objects use one fd; libuv watches an fd only
 *   once, so one {@link FdWatch} per fd serves every socket object on it.
 *
 * @packageDocumentation
 */
import {
  AUX_POLLER_IN_CALLBACK, AUX_POLLER_REF_REQUEST, aux, binding, READABLE, WRITABLE, type NativePoller,
} from './binding.js';
import { EAGAIN, EBADF, fromErrno, timedOut } from './errors.js';

/** A result code: >= 0 done, -errno failed, or {@link AGAIN} to keep waiting. */
export const AGAIN = -EAGAIN;

/** The longest delay setTimeout honours. */
const MAX_TIMER_MS = 0x7fff_ffff;

/** Ops completed per direction in one readiness callback. */
const MAX_PER_WAKEUP = 64;

/**
 * A read that fills a buffer of at least this many bytes suggests that
 * more data waits (bulk transfer): the next read tries the syscall first
 * rather than waiting for readiness.
 */
export const FULL_READ = 4096;

/**
 * While reads wait for readiness first (see `readWaited`), one read in this
 * many tries the syscall anyway: when data keeps arriving (a datagram
 * flood, a stream), that try succeeds and reads go back to trying first.
 */
const PROBE_EVERY = 8;

/**
 * One pending operation. `attempt` performs the syscall and returns a
 * result code; the value to resolve with is left in `value`.
 */
export abstract class PendingOp<T = unknown> {
  value: T | undefined = undefined;
  /** A read filled a buffer of at least {@link FULL_READ} bytes (set by `attempt`). */
  full = false;
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
 * The one libuv watch of an fd, shared by every socket object using that fd.
 * It watches the union of what they wait for, and holds the event loop open
 * only while one of them has an operation waiting.
 */
class FdWatch {
  private static readonly byFd = new Map<number, FdWatch>();
  /** The socket objects using it: nearly always one (an array is smaller than a Set). */
  subs: IoState[] = [];
  private poller: NativePoller | undefined = undefined;
  private events = 0;
  private refed = false;
  private readonly onReady = (status: number, events: number): void => this.ready(status, events);

  private constructor(readonly fd: number) {}

  /** The watch of `fd`, if some socket object uses one. */
  static find(fd: number): FdWatch | undefined {
    return FdWatch.byFd.get(fd);
  }

  /** The watch of `fd`, created on first use. */
  static of(fd: number): FdWatch {
    let w = FdWatch.byFd.get(fd);
    if (w === undefined) {
      w = new FdWatch(fd);
      FdWatch.byFd.set(fd, w);
    }
    return w;
  }

  /**
   * Watches what the subscribers want now. Returns 0, or -errno when libuv
   * refuses the fd (EEXIST: something else in this process watches it, such
   * as a net.Socket; EBADF: it was closed behind the socket's back).
   */
  sync(): number {
    let want = 0;
    let busy = false;
    const subs = this.subs;
    for (let i = 0; i < subs.length; i++) {
      const s = subs[i]!;
      want |= s.events;
      if (s.busy) busy = true;
    }
    if (want !== this.events) {
      if (this.poller === undefined) {
        if (want === 0) return 0;
        try {
          this.poller = new binding.Poller(this.fd, this.onReady);
        } catch (err) {
          const errno = (err as { errno?: unknown }).errno;
          return -(typeof errno === 'number' && errno > 0 ? errno : EBADF);
        }
      }
      const r = this.poller.start(want);
      if (r < 0) {
        this.events = 0;
        return r;
      }
      this.events = want;
    }
    const poller = this.poller;
    if (poller !== undefined && busy !== this.refed) {
      this.refed = busy;
      // Inside this poller's own callback the addon applies the last request
      // when the callback is done (a read completes, the next one waits:
      // no call at all).
      if (aux[AUX_POLLER_IN_CALLBACK] === poller.id) aux[AUX_POLLER_REF_REQUEST] = busy ? 1 : 0;
      else poller.ref(busy);
    }
    return 0;
  }

  private ready(status: number, events: number): void {
    if (status < 0) {
      // libuv reports POLLERR as UV_EBADF and stops the watch.
      this.poller!.stop();
      this.events = 0;
    }
    // With several socket objects, one may leave the watch while another runs.
    if (this.subs.length === 1) this.subs[0]!.ready(status, events);
    else for (const s of [...this.subs]) s.ready(status, events);
    const r = this.sync();
    if (r < 0) for (const s of [...this.subs]) s.failAll(fromErrno(-r, 'poll'));
  }

  /** A socket object starts using the watch. */
  add(sub: IoState): void {
    // A one-slot array (a push would give it 17 slots): per-connection memory.
    if (this.subs.length === 0) this.subs = [sub];
    else this.subs.push(sub);
  }

  /** A socket object stops using the watch; the last one closes it. */
  remove(sub: IoState): void {
    const i = this.subs.indexOf(sub);
    if (i >= 0) this.subs.splice(i, 1);
    if (this.subs.length > 0) {
      this.sync();
      return;
    }
    if (this.poller !== undefined) {
      this.poller.close();
      this.poller = undefined;
    }
    this.events = 0;
    if (FdWatch.byFd.get(this.fd) === this) FdWatch.byFd.delete(this.fd);
  }
}

/**
 * The I/O state of one socket object: its fd and its queues. Kept apart
 * from the Socket object so that the garbage collector can find an idle
 * socket unreachable while this state stays reachable for its finalizer.
 */
export class IoState {
  fd: number;
  /** What this socket object waits for (READABLE | WRITABLE). */
  events = 0;
  private watch: FdWatch | undefined = undefined;
  private readQ: AnyOp[] = [];
  private writeQ: AnyOp[] = [];
  /** The last read try hit EAGAIN and no readiness came since. */
  private readBlocked = false;
  private writeBlocked = false;
  /**
   * The last read completed only after a wait. While that holds and the
   * poll is armed, a new read waits for readiness instead of trying first:
   * in request/response traffic the speculative try would only hit EAGAIN.
   */
  private readWaited = false;
  /** Reads that waited first since the last probe (see PROBE_EVERY). */
  private probe = 0;

  constructor(fd: number) {
    this.fd = fd;
  }

  /**
   * Stops every socket object on `fd` from watching it, rejecting their
   * waiting ops with EBADF: for an fd about to be closed by the
   * module-level `close(fd)`.
   */
  static unwatchFd(fd: number): void {
    const w = FdWatch.find(fd);
    if (w !== undefined) for (const s of [...w.subs]) s.unwatch();
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
    let skip = write
      ? this.writeBlocked
      : this.readBlocked || (this.readWaited && (this.events & READABLE) !== 0);
    if (skip && !write && !this.readBlocked && ++this.probe >= PROBE_EVERY) {
      this.probe = 0;
      skip = false;
    }
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
    let queue = write ? this.writeQ : this.readQ;
    if (write) this.writeBlocked = true;
    else this.readBlocked = true;
    const promise = new Promise<T>((resolve, reject) => {
      op.resolve = resolve;
      op.reject = reject;
    });
    if (queue.length === 0) {
      // A one-slot array rather than a push (17 slots): an idle connection's
      // waiting read keeps the smallest queue.
      queue = [op];
      if (write) this.writeQ = queue;
      else this.readQ = queue;
    } else {
      queue.push(op);
    }
    op.queue = queue;
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
      // Nothing waits to write: forget what the last try saw (no readiness
      // will tell us any more).
      this.writeBlocked = false;
    }
    this.arm();
  }

  /** Watches what the queues need (reads disarm lazily), through the fd's watch. */
  private arm(): void {
    if (this.fd < 0) return;
    let want = 0;
    if (this.readQ.length > 0 || (this.events & READABLE) !== 0) want |= READABLE;
    if (this.writeQ.length > 0) want |= WRITABLE;
    this.events = want;
    if (this.watch === undefined) {
      if (want === 0) return;
      this.watch = FdWatch.of(this.fd);
      this.watch.add(this);
    }
    const r = this.watch.sync();
    if (r < 0) {
      this.events = 0;
      this.failAll(fromErrno(-r, 'poll'));
    }
  }

  /** Readiness of the fd (called by its watch, which re-syncs afterwards). */
  ready(status: number, events: number): void {
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
      } else {
        this.drain(this.readQ, true);
      }
    }
    if ((events & WRITABLE) !== 0 && this.fd >= 0) {
      this.writeBlocked = false;
      this.drain(this.writeQ, false);
      if (this.writeQ.length === 0) this.events &= ~WRITABLE;
    }
  }

  /**
   * The socket has an error pending (a refused connect, a reset): retry
   * every waiting op so that its own syscall reports the real error. If
   * ops still wait after that, the pending SO_ERROR (if any) fails them;
   * otherwise they wait again.
   */
  private pollError(): void {
    this.readBlocked = false;
    this.writeBlocked = false;
    this.drain(this.writeQ, false);
    this.drain(this.readQ, true);
    if (this.busy && this.fd >= 0) {
      const err = binding.connectResult(this.fd);
      if (err < 0) this.failAll(fromErrno(-err, this.readQ[0]?.syscall ?? this.writeQ[0]?.syscall));
    }
    this.events = (this.readQ.length > 0 ? READABLE : 0) | (this.writeQ.length > 0 ? WRITABLE : 0);
  }

  private drain(queue: AnyOp[], read: boolean): void {
    for (let n = 0; n < MAX_PER_WAKEUP && queue.length > 0 && this.fd >= 0; n++) {
      const op = queue[0]!;
      let code: number;
      try {
        code = op.attempt(this.fd);
      } catch (err) {
        // An error after the syscall (decoding what it returned): this op
        // fails with it; the others go on.
        queue.shift();
        if (op.timer !== undefined) clearTimeout(op.timer);
        if (op.onAbort !== undefined) op.signal!.removeEventListener('abort', op.onAbort);
        op.queue = undefined;
        op.reject(err);
        continue;
      }
      if (code === AGAIN) {
        if (read) this.readBlocked = true;
        else this.writeBlocked = true;
        return;
      }
      queue.shift();
      if (read) this.readWaited = !op.full;
      settle(op, code);
    }
  }

  /** Rejects every waiting op with `reason` (or what it returns for each op). */
  failAll(reason: unknown): void {
    const each = typeof reason === 'function' ? (reason as (op: AnyOp) => unknown) : undefined;
    const ops = [...this.readQ, ...this.writeQ];
    this.readQ.length = 0;
    this.writeQ.length = 0;
    for (const op of ops) {
      if (op.timer !== undefined) clearTimeout(op.timer);
      if (op.onAbort !== undefined) op.signal!.removeEventListener('abort', op.onAbort);
      op.queue = undefined;
      op.reject(each !== undefined ? each(op) : reason);
    }
  }

  /**
   * Stops watching (before the fd is closed), rejects every waiting op with
   * EBADF, and forgets the fd. Returns the fd it had.
   */
  release(): number {
    const fd = this.fd;
    this.unwatch();
    this.fd = -1;
    return fd;
  }

  /**
   * Stops watching the fd and rejects every waiting op with EBADF, keeping
   * the fd number (its owner will find it closed).
   */
  unwatch(): void {
    this.events = 0;
    this.readBlocked = false;
    this.writeBlocked = false;
    this.readWaited = false;
    const watch = this.watch;
    this.watch = undefined;
    this.failAll((op: AnyOp) => fromErrno(EBADF, op.syscall));
    if (watch !== undefined) watch.remove(this);
  }
}
