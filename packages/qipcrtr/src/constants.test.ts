/**
 * AF_QIPCRTR is core's binding with CPython's value (MOD-04); the QRTR_*
 * addresses of <linux/qrtr.h> are this package's additions, absent from
 * CPython's socket module.
 */
import { describe, expect, it } from 'vitest';
import * as core from '@bsdsock/core';
import { hasPython, needsPython, runPythonSync } from '@bsdsock/test-utils';
import * as constants from './constants.js';

describe('QIPCRTR constants (MOD-04)', () => {
  it('re-export core\'s AF_QIPCRTR and hold the addresses of <linux/qrtr.h>', () => {
    expect(constants.AF_QIPCRTR).toBe(core.AF_QIPCRTR);
    expect({ ...constants }).toEqual({ AF_QIPCRTR: 42, QRTR_NODE_BCAST: 0xffffffff, QRTR_PORT_CTRL: 0xfffffffe });
  });

  it.skipIf(!hasPython())(needsPython('AF_QIPCRTR is CPython\'s; the QRTR_* names are not in CPython'), () => {
    const r = runPythonSync(`import json, socket, sys\nprint(json.dumps({n: int(getattr(socket, n)) for n in sys.argv[1:] if hasattr(socket, n)}))`, {
      args: Object.keys(constants),
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ AF_QIPCRTR: 42 });
  });
});
