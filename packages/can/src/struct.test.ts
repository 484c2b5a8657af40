/**
 * The helpers write the bytes Python code writes with `struct` for the same
 * values: CPython's own tests pack a can_frame as "=IB3x8s" and a BCM head
 * as "@3I4l2I" (CAN-08, CAN-09); a canfd_frame is "=IBBBB64s", a
 * can_filter "=II" (CAN-07), the ISO-TP options "=IIBBBB" and "=BBB". One
 * python3 run packs them all.
 */
import { describe, expect, it } from 'vitest';
import { hasPython, needsPython, PYTHON_VERSION, runPythonSync } from '@bsdsock/test-utils';
import { packBcmMessage } from './bcm.js';
import { CAN_BCM_TX_SEND, CAN_BCM_TX_SETUP, CAN_EFF_FLAG, CAN_RTR_FLAG, CANFD_BRS } from './constants.generated.js';
import { packCanFilters } from './filter.js';
import { packCanFdFrame, packCanFrame } from './frame.js';
import { packIsotpFcOptions, packIsotpLlOptions, packIsotpOptions } from './isotp.js';

const SCRIPT = `
import json, struct
bcm = "@3I4l2I"
bcm += "x" * (struct.calcsize(bcm) % 8)
out = {
  "frame": struct.pack("=IB3x8s", 0x123, 3, bytes([0xc0, 0xff, 0xee])).hex(),
  "frame_eff": struct.pack("=IB3x8s", 0x1abcdef | 0x80000000, 8, bytes(range(8))).hex(),
  "frame_rtr": struct.pack("=IB3x8s", 0x7df | 0x40000000, 8, b"").hex(),
  "fd": struct.pack("=IBBBB64s", 0x321, 64, 1, 0, 0, bytes(range(64))).hex(),
  "bcm_send": (struct.pack(bcm, 4, 0, 0, 0, 0, 0, 0, 0x222, 1) + struct.pack("=IB3x8s", 0x123, 3, bytes([0xc0, 0xff, 0xee]))).hex(),
  "bcm_setup": struct.pack(bcm, 1, 3, 2, 1, 500, 0, 20000, 0x80000010, 0).hex(),
  "filters": (struct.pack("=II", 0x200, 0x700) + struct.pack("=II", 0x123 | 0x20000000, 0x7ff)).hex(),
  "isotp": struct.pack("=IIBBBB", 4, 50000, 0, 0x55, 0xcc, 0).hex(),
  "fc": struct.pack("=BBB", 8, 5, 0).hex(),
  "ll": struct.pack("=BBB", 72, 64, 1).hex(),
}
print(json.dumps(out))
`;

describe.skipIf(!hasPython())(needsPython(`the helpers against CPython ${PYTHON_VERSION}'s struct`), () => {
  it('write the same bytes', () => {
    const r = runPythonSync(SCRIPT);
    expect(r.code, r.stderr).toBe(0);
    const py = JSON.parse(r.stdout) as Record<string, string>;
    const c0ffee = Buffer.from([0xc0, 0xff, 0xee]);
    const ours: Record<string, Buffer> = {
      frame: packCanFrame({ canId: 0x123, data: c0ffee }),
      frame_eff: packCanFrame({ canId: 0x1abcdef | CAN_EFF_FLAG, data: Buffer.from([0, 1, 2, 3, 4, 5, 6, 7]) }),
      frame_rtr: packCanFrame({ canId: 0x7df | CAN_RTR_FLAG, dlc: 8 }),
      fd: packCanFdFrame({ canId: 0x321, brs: true, data: Buffer.from(Array.from({ length: 64 }, (_, i) => i)) }),
      bcm_send: packBcmMessage({ opcode: CAN_BCM_TX_SEND, canId: 0x222, frames: [{ canId: 0x123, data: c0ffee }] }),
      bcm_setup: packBcmMessage({
        opcode: CAN_BCM_TX_SETUP, flags: 3, count: 2, ival1: { sec: 1, usec: 500 }, ival2: 0.02, canId: 0x10 | CAN_EFF_FLAG,
      }),
      filters: packCanFilters([{ canId: 0x200, canMask: 0x700 }, { canId: 0x123, canMask: 0x7ff, invert: true }]),
      isotp: packIsotpOptions({ flags: 4, txpadContent: 0x55 }),
      fc: packIsotpFcOptions({ bs: 8, stmin: 5 }),
      ll: packIsotpLlOptions({ mtu: 72, txDl: 64, txFlags: CANFD_BRS }),
    };
    expect(Object.fromEntries(Object.entries(ours).map(([k, v]) => [k, v.toString('hex')]))).toEqual(py);
  });
});
