/**
 * One body of logic for a Sync function and its Promise twin: the logic is
 * a generator that yields each native call it needs; {@link runSync} makes
 * the calls on the calling thread, {@link runAsync} on libuv's thread pool,
 * resuming the generator with each result (so the event loop never waits).
 *
 * @internal
 * @packageDocumentation
 */

/** A native call that can run either way. */
export interface NativeCall<R> {
  /** The call on the calling thread. */
  sync(): R;
  /** The call off the JavaScript thread; `done` gets what `sync` returns. */
  async(done: (result: R) => void): void;
}

/** A native call that is quick either way (no blocking I/O): both forms call `fn`. */
export function quick<R>(fn: () => R): NativeCall<R> {
  return {
    sync: fn,
    async: (done) => done(fn()),
  };
}

/** The logic of a Sync/Promise pair: yields native calls, resumes with their results. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Steps<T> = Generator<NativeCall<any>, T, any>;

/** Runs `steps` on the calling thread and returns its result (or throws its error). */
export function runSync<T>(steps: Steps<T>): T {
  let r = steps.next();
  while (!r.done) r = steps.next(r.value.sync());
  return r.value;
}

/**
 * Runs `steps`, making each native call off the JavaScript thread. Never
 * throws: every error, a bad argument included, rejects the promise.
 */
export function runAsync<T>(steps: Steps<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const step = (input: unknown): void => {
      let r: IteratorResult<NativeCall<unknown>, T>;
      try {
        r = steps.next(input);
      } catch (err) {
        reject(err);
        return;
      }
      if (r.done) {
        resolve(r.value);
        return;
      }
      try {
        r.value.async(step);
      } catch (err) {
        reject(err);
      }
    };
    step(undefined);
  });
}
