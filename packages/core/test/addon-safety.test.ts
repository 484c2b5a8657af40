/**
 * No JavaScript value passed to the addon can crash the process: every
 * function of the native binding is called with hostile values in a child
 * process (so that a crash shows as a signal exit), and each call must
 * return or throw a TypeError / RangeError / Error.
 */
import { describe, expect, it } from 'vitest';
import { runNodeChild } from './fixtures/object-helpers.js';

interface Summary {
  calls: number;
  returned: number;
  typeErrors: number;
  rangeErrors: number;
  errors: number;
  bad: string[];
  uncaught: number;
  asyncStarted: number;
  asyncDone: number;
  untested: string[];
  notes: string[];
}

async function runScenario(scenario: string): Promise<Summary> {
  const r = await runNodeChild('addon-hostile-child.ts', {
    args: [scenario],
    nodeArgs: ['--expose-gc'],
    timeoutMs: 60_000,
    // The child calls sethostname with hostile arguments: keep it in its own UTS namespace.
    utsNamespace: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const how = r.timedOut ? 'hung (killed)' : r.signal ? `was killed by ${r.signal}` : `exited with ${r.code}`;
  expect(r.signal, `the child ${how}; stderr:\n${r.stderr}`).toBe(null);
  expect(r.code, `the child ${how}; stderr:\n${r.stderr}`).toBe(0);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as Summary;
}

describe('the native binding under hostile arguments (child processes)', () => {
  it('every function: each call returns or throws TypeError/RangeError/Error, and the process survives', async () => {
    const s = await runScenario('functions');
    expect(s.bad).toEqual([]);
    // Every function of the binding has a baseline in the child (so new ones get fuzzed properly).
    expect(s.untested).toEqual([]);
    expect(s.calls).toBeGreaterThan(1000);
    expect(s.returned + s.typeErrors + s.rangeErrors + s.errors).toBe(s.calls);
    expect(s.typeErrors).toBeGreaterThan(0);
    expect(s.rangeErrors).toBeGreaterThan(0);
    // The resolver callbacks that threw surfaced as uncaught exceptions, and every started lookup called back.
    expect(s.uncaught).toBe(2);
    expect(s.asyncDone).toBeGreaterThanOrEqual(s.asyncStarted);
  });

  it('Poller: bad fds, bad callbacks, hostile start/ref values, close twice, start after close', async () => {
    const s = await runScenario('poller');
    expect(s.bad).toEqual([]);
    expect(s.returned + s.typeErrors + s.rangeErrors + s.errors).toBe(s.calls);
  });

  it('Poller: a callback that throws surfaces as uncaughtException, not a crash', async () => {
    const s = await runScenario('poller');
    expect(s.uncaught).toBe(1);
  });

  it('Poller: garbage-collected while watching, idle or closed', async () => {
    const s = await runScenario('poller-gc');
    expect(s.bad).toEqual([]);
    expect(s.notes).toContain('gc done');
  });

  it('Poller: starting a watch on an fd that was closed behind its back throws instead of aborting', async () => {
    const s = await runScenario('poller-closed-fd');
    expect(s.bad).toEqual([]);
  });
});
