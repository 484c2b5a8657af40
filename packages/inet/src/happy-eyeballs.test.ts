/**
 * The Happy Eyeballs scheduling (RFC 8305 sections 4 and 5) with stand-in
 * attempts and fake timers: the order of addresses, when each attempt
 * starts, who wins, and that every loser is aborted.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RaceFailed, interleave, raceAttempts } from './happy-eyeballs.js';

describe('interleave (RFC 8305 section 4)', () => {
  const fam = (s: string): number => (s.startsWith('6') ? 6 : 4);

  it('alternates families, starting with the first one getaddrinfo gave', () => {
    expect(interleave(['6a', '6b', '4a', '4b'], fam)).toEqual(['6a', '4a', '6b', '4b']);
    expect(interleave(['4a', '6a', '6b', '6c'], fam)).toEqual(['4a', '6a', '6b', '6c']);
    expect(interleave(['6a', '6b', '6c', '4a'], fam)).toEqual(['6a', '4a', '6b', '6c']);
  });

  it('keeps a single family, and an empty list, as they are', () => {
    expect(interleave(['4a', '4b', '4c'], fam)).toEqual(['4a', '4b', '4c']);
    expect(interleave([], fam)).toEqual([]);
  });
});

/** A stand-in attempt the test settles by hand. */
interface Fake {
  index: number;
  startedAt: number;
  signal: AbortSignal;
  resolve(value: string): void;
  reject(err: unknown): void;
}

function fakeAttempts(): { attempts: Fake[]; start: (index: number, signal: AbortSignal) => Promise<string> } {
  const attempts: Fake[] = [];
  return {
    attempts,
    start(index, signal) {
      return new Promise<string>((resolve, reject) => {
        attempts.push({ index, startedAt: Date.now(), signal, resolve, reject });
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    },
  };
}

describe('raceAttempts (RFC 8305 section 5)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('starts the next attempt after the delay; the first success wins and the others are aborted', async () => {
    const { attempts, start } = fakeAttempts();
    const discard = vi.fn();
    const p = raceAttempts({ count: 3, start, discard, delayMs: 250 });
    expect(attempts.map((a) => a.index)).toEqual([0]);
    await vi.advanceTimersByTimeAsync(249);
    expect(attempts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts.map((a) => [a.index, a.startedAt])).toEqual([[0, 0], [1, 250]]);
    attempts[1]!.resolve('second');
    await expect(p).resolves.toEqual({ result: 'second', index: 1 });
    expect(attempts[0]!.signal.aborted).toBe(true);
    expect(attempts[1]!.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(attempts).toHaveLength(2);
    expect(discard).not.toHaveBeenCalled();
  });

  it('starts the next attempt at once when the latest one fails', async () => {
    const { attempts, start } = fakeAttempts();
    const p = raceAttempts({ count: 3, start, discard: () => {}, delayMs: 250 });
    await vi.advanceTimersByTimeAsync(10);
    attempts[0]!.reject(new Error('refused'));
    await vi.advanceTimersByTimeAsync(0);
    expect(attempts.map((a) => [a.index, a.startedAt])).toEqual([[0, 0], [1, 10]]);
    // The delay restarts from the new attempt.
    await vi.advanceTimersByTimeAsync(250);
    expect(attempts.map((a) => [a.index, a.startedAt])).toEqual([[0, 0], [1, 10], [2, 260]]);
    attempts[2]!.resolve('third');
    await expect(p).resolves.toEqual({ result: 'third', index: 2 });
    expect(attempts[1]!.signal.aborted).toBe(true);
  });

  it('an earlier attempt failing does not cut the delay of the latest', async () => {
    const { attempts, start } = fakeAttempts();
    const p = raceAttempts({ count: 3, start, discard: () => {}, delayMs: 100 });
    await vi.advanceTimersByTimeAsync(100);
    expect(attempts).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(20);
    attempts[0]!.reject(new Error('slow refusal'));
    await vi.advanceTimersByTimeAsync(0);
    expect(attempts).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(80);
    expect(attempts.map((a) => a.startedAt)).toEqual([0, 100, 200]);
    attempts[1]!.resolve('second');
    await expect(p).resolves.toMatchObject({ index: 1 });
  });

  it('rejects with every failure, in the order the attempts started, when all fail', async () => {
    const { attempts, start } = fakeAttempts();
    const p = raceAttempts({ count: 2, start, discard: () => {}, delayMs: 250 });
    const settled = p.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(250);
    attempts[1]!.reject(new Error('b'));
    attempts[0]!.reject(new Error('a'));
    const err = await settled;
    expect(err).toBeInstanceOf(RaceFailed);
    expect((err as RaceFailed).timedOut).toBe(false);
    expect((err as RaceFailed).failures.map((f) => [f.index, (f.error as Error).message])).toEqual([[0, 'a'], [1, 'b']]);
  });

  it('one deadline for the whole race: pending attempts are aborted, no new one starts', async () => {
    const { attempts, start } = fakeAttempts();
    const p = raceAttempts({
      count: 5, start, discard: () => {}, delayMs: 100, deadlineMs: 250,
      deadlineReason: () => new Error('timed out'),
    });
    const settled = p.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(250);
    const err = await settled;
    expect(attempts.map((a) => a.startedAt)).toEqual([0, 100, 200]);
    expect(attempts.every((a) => a.signal.aborted)).toBe(true);
    expect(err).toBeInstanceOf(RaceFailed);
    expect((err as RaceFailed).timedOut).toBe(true);
    const errors = (err as RaceFailed).failures.map((f) => f.error as Error);
    expect(errors.map((e) => e.message)).toEqual(['timed out', 'timed out', 'timed out']);
    expect(new Set(errors).size).toBe(3);
    await vi.advanceTimersByTimeAsync(1000);
    expect(attempts).toHaveLength(3);
  });

  it('the signal aborts everything and rejects with its reason', async () => {
    const { attempts, start } = fakeAttempts();
    const ac = new AbortController();
    const p = raceAttempts({ count: 3, start, discard: () => {}, delayMs: 100, signal: ac.signal });
    const settled = p.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    const reason = new Error('stop');
    ac.abort(reason);
    expect(await settled).toBe(reason);
    expect(attempts.every((a) => a.signal.aborted)).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(attempts).toHaveLength(2);
  });

  it('an already aborted signal starts nothing', async () => {
    const { attempts, start } = fakeAttempts();
    const reason = new Error('before');
    await expect(raceAttempts({ count: 2, start, discard: () => {}, delayMs: 1, signal: AbortSignal.abort(reason) }))
      .rejects.toBe(reason);
    expect(attempts).toHaveLength(0);
  });

  it('a success after the race was won is discarded', async () => {
    const discard = vi.fn();
    const resolvers: ((v: string) => void)[] = [];
    const p = raceAttempts<string>({
      count: 2,
      // Attempts that ignore their signal, as a connect that completes anyway.
      start: () => new Promise<string>((resolve) => resolvers.push(resolve)),
      discard,
      delayMs: 10,
    });
    await vi.advanceTimersByTimeAsync(10);
    resolvers[0]!('first');
    resolvers[1]!('late');
    await expect(p).resolves.toEqual({ result: 'first', index: 0 });
    await vi.advanceTimersByTimeAsync(0);
    expect(discard).toHaveBeenCalledWith('late');
  });

  it('an attempt that throws synchronously counts as a failure', async () => {
    const p = raceAttempts({
      count: 2,
      start: (i) => {
        if (i === 0) throw new Error('no socket');
        return Promise.resolve('ok');
      },
      discard: () => {},
      delayMs: 1000,
    });
    await expect(p).resolves.toEqual({ result: 'ok', index: 1 });
  });
});
