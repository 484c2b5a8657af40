/**
 * The constants this package exports are Python's, with CPython's values
 * (VSK-01).
 */
import { describe, expect, it } from 'vitest';
import { hasPython, needsPython, runPythonSync } from '@bsdsock/test-utils';
import * as constants from './constants.generated.js';

describe('AF_VSOCK constants', () => {
  it('have the values of <linux/vm_sockets.h> (VSK-01)', () => {
    expect({ ...constants }).toEqual({
      AF_VSOCK: 40,
      SO_VM_SOCKETS_BUFFER_SIZE: 0,
      SO_VM_SOCKETS_BUFFER_MIN_SIZE: 1,
      SO_VM_SOCKETS_BUFFER_MAX_SIZE: 2,
      VMADDR_CID_ANY: 0xffffffff,
      VMADDR_PORT_ANY: 0xffffffff,
      VMADDR_CID_LOCAL: 1,
      VMADDR_CID_HOST: 2,
      VM_SOCKETS_INVALID_VERSION: 0xffffffff,
      IOCTL_VM_SOCKETS_GET_LOCAL_CID: 1977,
    });
  });

  it.skipIf(!hasPython())(needsPython('have CPython\'s names and values; VMADDR_CID_LOCAL is newer than CPython 3.13.0 (VSK-01)'), () => {
    const r = runPythonSync(
      'import json, socket, sys\nprint(json.dumps({n: getattr(socket, n, None) for n in sys.argv[1:]}))',
      { args: Object.keys(constants) },
    );
    expect(r.code, r.stderr).toBe(0);
    const py = JSON.parse(r.stdout) as Record<string, number | null>;
    for (const [name, value] of Object.entries(constants)) {
      if (name === 'VMADDR_CID_LOCAL' && py[name] === null) continue;
      expect([name, py[name]]).toEqual([name, value]);
    }
  });
});
