/**
 * The constants this package exports are Python's, with CPython's values
 * (ALG-12).
 */
import { describe, expect, it } from 'vitest';
import { hasPython, needsPython, runPythonSync } from '@bsdsock/test-utils';
import * as constants from './constants.generated.js';

describe('AF_ALG constants', () => {
  it('have the values of <linux/if_alg.h> (ALG-12)', () => {
    expect({ ...constants }).toEqual({
      AF_ALG: 38,
      SOL_ALG: 279,
      ALG_SET_KEY: 1,
      ALG_SET_IV: 2,
      ALG_SET_OP: 3,
      ALG_SET_AEAD_ASSOCLEN: 4,
      ALG_SET_AEAD_AUTHSIZE: 5,
      ALG_OP_DECRYPT: 0,
      ALG_OP_ENCRYPT: 1,
    });
  });

  it.skipIf(!hasPython())(needsPython('have CPython\'s names and values (ALG-12)'), () => {
    const r = runPythonSync(
      'import json, socket, sys\nprint(json.dumps({n: getattr(socket, n, None) for n in sys.argv[1:]}))',
      { args: Object.keys(constants) },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ ...constants });
  });
});
