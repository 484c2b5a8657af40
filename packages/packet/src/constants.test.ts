/**
 * The constants this package exports are Python's, with CPython's values,
 * except for the few the package adds for its membership helper.
 */
import { describe, expect, it } from 'vitest';
import { hasPython, needsPython, runPythonSync } from '@bsdsock/test-utils';
import * as constants from './constants.generated.js';

/** Exported here, absent from CPython's socket module: what packetMreq() needs. */
const BEYOND_PYTHON = /^(SOL_PACKET|PACKET_(ADD|DROP)_MEMBERSHIP|PACKET_MR_\w+)$/;

describe.skipIf(!hasPython())(needsPython('packet constants compared with python3'), () => {
  it('have CPython\'s names and values, the membership extras aside', () => {
    const names = Object.keys(constants);
    const r = runPythonSync(
      `import json, socket, sys\nprint(json.dumps({n: int(getattr(socket, n)) for n in sys.argv[1:] if hasattr(socket, n)}))`,
      { args: names },
    );
    expect(r.code, r.stderr).toBe(0);
    const py = JSON.parse(r.stdout) as Record<string, number>;
    for (const [name, value] of Object.entries(constants)) {
      if (BEYOND_PYTHON.test(name)) expect(name in py, `${name} is not in CPython`).toBe(false);
      else expect([name, py[name]]).toEqual([name, value]);
    }
    for (const name of ['AF_PACKET', 'PF_PACKET', 'PACKET_HOST', 'PACKET_OUTGOING', 'ETH_P_ALL', 'ETHERTYPE_IP']) {
      expect(names).toContain(name);
    }
  });
});
