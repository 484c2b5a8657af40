/**
 * The constants this package exports are Python's, with CPython's values
 * (TIPC-01): every name is in CPython's socket module and has its value
 * there, and the names and values CPython's test suite relies on are here.
 */
import { describe, expect, it } from 'vitest';
import { hasPython, needsPython, runPythonSync } from '@bsdsock/test-utils';
import * as constants from './constants.generated.js';

describe('TIPC constants (TIPC-01, MOD-04)', () => {
  it('have the values of <linux/tipc.h> that CPython\'s tests name', () => {
    expect(constants).toMatchObject({
      AF_TIPC: 30, SOL_TIPC: 271, TIPC_ADDR_NAMESEQ: 1, TIPC_ADDR_NAME: 2, TIPC_ADDR_ID: 3,
      TIPC_ZONE_SCOPE: 1, TIPC_CLUSTER_SCOPE: 2, TIPC_NODE_SCOPE: 3,
    });
  });

  it.skipIf(!hasPython())(needsPython('are CPython\'s names with CPython\'s values'), () => {
    const names = Object.keys(constants);
    const r = runPythonSync(
      `import json, socket, sys\nprint(json.dumps({n: int(getattr(socket, n)) for n in sys.argv[1:] if hasattr(socket, n)}))`,
      { args: names },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ...constants });
    const py = runPythonSync(`import socket\nprint(sorted(n for n in dir(socket) if 'TIPC' in n))`);
    expect(py.stdout.trim()).toBe(`[${names.sort().map((n) => `'${n}'`).join(', ')}]`);
  });
});
