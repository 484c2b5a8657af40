/**
 * The constants (BT-01): Python's Bluetooth names with CPython's values,
 * compared with Debian's /usr/bin/python3, which is built with Bluetooth
 * (pyenv's CPython 3.13 here is not, so it has none of them). The names
 * beyond Python (BlueZ's option and packet numbers, 3.14's additions) are
 * this platform's header values by construction.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as generated from './constants.generated.js';
import { BDADDR_ANY, BDADDR_LOCAL, HCI_CMSG_DIR, HCI_CMSG_TSTAMP } from './constants.js';

const PYTHON = process.env.BSDSOCK_KERNEL_LAB_PYTHON ?? '/usr/bin/python3';
/** The patterns of packages/bluetooth/constants.json, plus the two address strings. */
const OURS = /^(AF_BLUETOOTH|BTPROTO_\w+|BDADDR_\w+|HCI_\w+|SOL_(HCI|L2CAP|RFCOMM|SCO|BLUETOOTH)|L2CAP_\w+|RFCOMM_\w+|SO_(L2CAP|RFCOMM|SCO|HCI|BTH)_\w+|BT_\w+|EVT_\w+|OGF_\w+|OCF_\w+)$/;

function pythonBluetooth(): { version: string; constants: Record<string, number | string> } | null {
  if (!existsSync(PYTHON)) return null;
  const r = spawnSync(PYTHON, ['-c', `
import json, re, socket, sys
print(sys.version.split()[0])
print(json.dumps({n: getattr(socket, n) for n in dir(socket) if re.match(sys.argv[1], n) and isinstance(getattr(socket, n), (int, str))}))
`, OURS.source], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`${PYTHON} failed: ${r.stderr}`);
  const [version, json] = r.stdout.trim().split('\n');
  const constants = JSON.parse(json!) as Record<string, number | string>;
  return 'AF_BLUETOOTH' in constants ? { version: version!, constants } : null;
}

const py = pythonBluetooth();
const why = py === null ? `${PYTHON} is missing or has no AF_BLUETOOTH` : '';

describe('Bluetooth constants', () => {
  it('has the address strings and the CPython 3.13 list (BT-01)', () => {
    expect(BDADDR_ANY).toBe('00:00:00:00:00:00');
    expect(BDADDR_LOCAL).toBe('00:00:00:FF:FF:FF');
    const names = Object.keys(generated);
    for (const name of ['AF_BLUETOOTH', 'BTPROTO_L2CAP', 'BTPROTO_HCI', 'BTPROTO_RFCOMM', 'BTPROTO_SCO', 'SOL_HCI', 'HCI_FILTER', 'HCI_TIME_STAMP', 'HCI_DATA_DIR']) {
      expect(names).toContain(name);
    }
    expect([generated.AF_BLUETOOTH, generated.BTPROTO_L2CAP, generated.BTPROTO_HCI, generated.BTPROTO_SCO, generated.BTPROTO_RFCOMM]).toEqual([31, 0, 1, 2, 3]);
    expect([HCI_CMSG_DIR, HCI_CMSG_TSTAMP]).toEqual([1, 2]);
  });

  describe.skipIf(why !== '')(`compared with ${PYTHON}${why ? ` (skipped: ${why})` : ''}`, () => {
    it(`has every Bluetooth name Python has, with Python's value (BT-01)`, () => {
      const ours: Record<string, number | string> = { ...generated, BDADDR_ANY, BDADDR_LOCAL };
      const theirs = py!.constants;
      for (const [name, value] of Object.entries(theirs)) expect([name, ours[name]]).toEqual([name, value]);
      for (const [name, value] of Object.entries(ours)) if (name in theirs) expect([name, theirs[name]]).toEqual([name, value]);
      expect(Object.keys(theirs).length).toBeGreaterThanOrEqual(11);
    });
  });
});
