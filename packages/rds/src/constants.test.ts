/**
 * The RDS constants are core's bindings (one binding per name in the flat
 * `bsdsock` namespace), with CPython's values where CPython has them
 * (RDS-01, MOD-04: AF_RDS == PF_RDS == 21).
 */
import { describe, expect, it } from 'vitest';
import * as core from '@bsdsock/core';
import { hasPython, needsPython, runPythonSync } from '@bsdsock/test-utils';
import * as constants from './constants.js';

describe('RDS constants (RDS-01, MOD-04)', () => {
  it('are core\'s, and name every AF/PF/SOL_RDS and RDS_* constant core has', () => {
    for (const [name, value] of Object.entries(constants)) expect([name, value]).toEqual([name, (core as Record<string, unknown>)[name]]);
    const coreNames = Object.keys(core).filter((n) => /^((AF|PF|SOL)_RDS|RDS_\w+)$/.test(n)).sort();
    expect(Object.keys(constants).sort()).toEqual(coreNames);
    expect([constants.AF_RDS, constants.PF_RDS, constants.SOL_RDS]).toEqual([21, 21, 276]);
  });

  it.skipIf(!hasPython())(needsPython('have CPython\'s values where CPython has the name'), () => {
    const r = runPythonSync(`import json, socket, sys\nprint(json.dumps({n: int(getattr(socket, n)) for n in sys.argv[1:] if hasattr(socket, n)}))`, {
      args: Object.keys(constants),
    });
    expect(r.code, r.stderr).toBe(0);
    const py = JSON.parse(r.stdout) as Record<string, number>;
    expect(Object.keys(py)).toEqual(expect.arrayContaining(['AF_RDS', 'PF_RDS', 'SOL_RDS']));
    for (const [name, value] of Object.entries(py)) expect([name, value]).toEqual([name, (constants as Record<string, unknown>)[name]]);
  });
});
