/**
 * Happy Eyeballs (RFC 8305): the order of connection attempts and the race
 * between them, independent of sockets so that the scheduling can be tested
 * with stand-in attempts.
 *
 * @internal
 * @packageDocumentation
 */

/** RFC 8305's recommended Connection Attempt Delay: 250 ms. */
export const DEFAULT_ATTEMPT_DELAY_S = 0.25;

/**
 * Interleaves address families (RFC 8305 section 4): the first address of
 * the family getaddrinfo preferred, then one of each family in turn, each
 * family's addresses in their original order.
 *
 * @example
 * ```ts
 * interleave([v6a, v6b, v4a, v4b], (r) => r.family);   // [v6a, v4a, v6b, v4b]
 * ```
 */
export function interleave<T>(items: readonly T[], familyOf: (item: T) => number): T[] {
  const groups = new Map<number, T[]>();
  for (const item of items) {
    const f = familyOf(item);
    let g = groups.get(f);
    if (g === undefined) {
      g = [];
      groups.set(f, g);
    }
    g.push(item);
  }
  const lists = [...groups.values()];
  const out: T[] = [];
  for (let i = 0; out.length < items.length; i++) {
    for (const list of lists) {
      if (i < list.length) out.push(list[i]!);
    }
  }
  return out;
}

/** One failed attempt: which one, and why. */
export interface AttemptFailure {
  readonly index: number;
  readonly error: unknown;
}

/** How {@link raceAttempts} ends without a winner. */
export class RaceFailed extends Error {
  constructor(
    /** Each attempt's failure, in the order the attempts were started. */
    readonly failures: AttemptFailure[],
    /** Whether the deadline cut the race short. */
    readonly timedOut: boolean,
  ) {
    super('every connection attempt failed');
  }
}

/** The options of {@link raceAttempts}. */
export interface RaceOptions<T> {
  /** How many attempts there are. */
  readonly count: number;
  /** Starts attempt `index`; it must settle soon after `signal` aborts. */
  readonly start: (index: number, signal: AbortSignal) => Promise<T>;
  /** Throws away the result of an attempt that succeeded after the race was won or abandoned. */
  readonly discard: (result: T) => void;
  /** The delay in milliseconds before the next attempt starts while the previous one is pending. */
  readonly delayMs: number;
  /** One deadline for the whole race, in milliseconds (none when undefined or 0). */
  readonly deadlineMs?: number;
  /** The reason each pending attempt is aborted with when the deadline passes (one call per attempt). */
  readonly deadlineReason?: () => unknown;
  /** Aborts the whole race: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/**
 * Runs staggered attempts, RFC 8305 section 5: attempt 0 starts at once;
 * each next attempt starts when the previous one fails or `delayMs` after
 * the latest start, whichever comes first; the first success wins and every
 * other attempt is aborted (and its late result discarded). Resolves with
 * the winner and its index; rejects with {@link RaceFailed} when every
 * attempt has failed or the deadline passed, or with the signal's reason
 * when `signal` aborts.
 */
export function raceAttempts<T>(options: RaceOptions<T>): Promise<{ result: T; index: number }> {
  const { count, start, discard, delayMs, deadlineMs, signal } = options;
  return new Promise((resolve, reject) => {
    const controllers: AbortController[] = [];
    const failures: AttemptFailure[] = [];
    let pending = 0;
    let next = 0;
    let settled = false;
    let stopped = false;
    let delayTimer: NodeJS.Timeout | undefined;
    let deadlineTimer: NodeJS.Timeout | undefined;

    const cleanup = (): void => {
      if (delayTimer !== undefined) clearTimeout(delayTimer);
      if (deadlineTimer !== undefined) clearTimeout(deadlineTimer);
      signal?.removeEventListener('abort', onAbort);
    };

    const abortAll = (reason: () => unknown, except?: AbortController): void => {
      for (const c of controllers) if (c !== except) c.abort(reason());
    };

    const finishIfDone = (): void => {
      if (settled || pending > 0) return;
      if (next < count && !stopped) return;
      settled = true;
      cleanup();
      failures.sort((a, b) => a.index - b.index);
      reject(new RaceFailed(failures, stopped));
    };

    const launch = (): void => {
      if (settled || stopped || next >= count) return;
      const index = next++;
      const controller = new AbortController();
      controllers.push(controller);
      pending++;
      if (delayTimer !== undefined) clearTimeout(delayTimer);
      delayTimer = next < count ? setTimeout(launch, delayMs) : undefined;
      let attempt: Promise<T>;
      try {
        attempt = start(index, controller.signal);
      } catch (err) {
        attempt = Promise.reject(err);
      }
      attempt.then(
        (result) => {
          pending--;
          if (settled) {
            discard(result);
            return;
          }
          settled = true;
          cleanup();
          abortAll(() => new Error('another connection attempt won'), controller);
          resolve({ result, index });
        },
        (error: unknown) => {
          pending--;
          if (settled) return;
          failures.push({ index, error });
          // The latest attempt failed: the next one need not wait out the delay.
          if (index === next - 1) launch();
          finishIfDone();
        },
      );
    };

    function onAbort(): void {
      if (settled) return;
      settled = true;
      cleanup();
      abortAll(() => signal!.reason);
      reject(signal!.reason);
    }

    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    if (deadlineMs !== undefined && deadlineMs > 0) {
      deadlineTimer = setTimeout(() => {
        if (settled) return;
        stopped = true;
        if (delayTimer !== undefined) clearTimeout(delayTimer);
        abortAll(options.deadlineReason ?? (() => new Error('deadline passed')));
        finishIfDone();
      }, deadlineMs);
    }
    launch();
    finishIfDone();
  });
}
