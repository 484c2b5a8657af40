/**
 * The constants this package exports: CPython's names and values (CAN-01,
 * CAN-11), compared with python3 where it runs, and the few more that the
 * helpers need, which CPython lacks.
 */
import { describe, expect, it } from 'vitest';
import { hasPython, needsPython, PYTHON_VERSION, runPythonSync } from '@bsdsock/test-utils';
import * as constants from './constants.generated.js';

/** Exported here, absent from CPython's socket module: what the frame, filter and ISO-TP helpers need. */
const BEYOND_PYTHON = /^(CANFD_\w+|CAN_(MTU|MAX_DLC|MAX_DLEN|INV_FILTER|RAW_ERR_FILTER|RAW_FILTER_MAX)|CAN_ISOTP_\w+|SOL_CAN_(ISOTP|J1939))$/;

describe('CAN constants', () => {
  it('AF_CAN, PF_CAN and the protocols (CAN-01, MOD-04)', () => {
    const { AF_CAN, PF_CAN, CAN_RAW, CAN_BCM, CAN_ISOTP, CAN_J1939, SOL_CAN_BASE, SOL_CAN_RAW } = constants;
    expect({ AF_CAN, PF_CAN, CAN_RAW, CAN_BCM, CAN_ISOTP, CAN_J1939, SOL_CAN_BASE, SOL_CAN_RAW }).toEqual({
      AF_CAN: 29, PF_CAN: 29, CAN_RAW: 1, CAN_BCM: 2, CAN_ISOTP: 6, CAN_J1939: 7, SOL_CAN_BASE: 100, SOL_CAN_RAW: 101,
    });
  });

  it('the BCM opcodes TX_SETUP (1) to RX_CHANGED (12) and flags (CAN-01)', () => {
    const c = constants;
    expect([
      c.CAN_BCM_TX_SETUP, c.CAN_BCM_TX_DELETE, c.CAN_BCM_TX_READ, c.CAN_BCM_TX_SEND, c.CAN_BCM_RX_SETUP, c.CAN_BCM_RX_DELETE,
      c.CAN_BCM_RX_READ, c.CAN_BCM_TX_STATUS, c.CAN_BCM_TX_EXPIRED, c.CAN_BCM_RX_STATUS, c.CAN_BCM_RX_TIMEOUT, c.CAN_BCM_RX_CHANGED,
    ]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect([
      c.CAN_BCM_SETTIMER, c.CAN_BCM_STARTTIMER, c.CAN_BCM_TX_COUNTEVT, c.CAN_BCM_TX_ANNOUNCE, c.CAN_BCM_TX_CP_CAN_ID,
      c.CAN_BCM_RX_FILTER_ID, c.CAN_BCM_RX_CHECK_DLC, c.CAN_BCM_RX_NO_AUTOTIMER, c.CAN_BCM_RX_ANNOUNCE_RESUME,
      c.CAN_BCM_TX_RESET_MULTI_IDX, c.CAN_BCM_RX_RTR_FRAME, c.CAN_BCM_CAN_FD_FRAME,
    ]).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048]);
    expect([c.CAN_RAW_FILTER, c.CAN_RAW_LOOPBACK, c.CAN_RAW_RECV_OWN_MSGS, c.CAN_RAW_FD_FRAMES, c.CAN_RAW_JOIN_FILTERS]).toEqual([1, 3, 4, 5, 6]);
  });

  it('J1939 (CAN-11); J1939_NO_NAME, a 64-bit value, is a bigint', () => {
    const c = constants;
    expect({
      J1939_MAX_UNICAST_ADDR: c.J1939_MAX_UNICAST_ADDR, J1939_IDLE_ADDR: c.J1939_IDLE_ADDR, J1939_NO_ADDR: c.J1939_NO_ADDR,
      J1939_NO_NAME: c.J1939_NO_NAME, J1939_PGN_REQUEST: c.J1939_PGN_REQUEST, J1939_PGN_ADDRESS_CLAIMED: c.J1939_PGN_ADDRESS_CLAIMED,
      J1939_PGN_ADDRESS_COMMANDED: c.J1939_PGN_ADDRESS_COMMANDED, J1939_PGN_PDU1_MAX: c.J1939_PGN_PDU1_MAX,
      J1939_PGN_MAX: c.J1939_PGN_MAX, J1939_NO_PGN: c.J1939_NO_PGN,
    }).toEqual({
      J1939_MAX_UNICAST_ADDR: 253, J1939_IDLE_ADDR: 254, J1939_NO_ADDR: 255, J1939_NO_NAME: 0n, J1939_PGN_REQUEST: 0xea00,
      J1939_PGN_ADDRESS_CLAIMED: 0xee00, J1939_PGN_ADDRESS_COMMANDED: 0xfed8, J1939_PGN_PDU1_MAX: 0x3ff00, J1939_PGN_MAX: 0x3ffff,
      J1939_NO_PGN: 0x40000,
    });
    expect(typeof c.J1939_NO_NAME).toBe('bigint');
    expect([c.SO_J1939_FILTER, c.SO_J1939_PROMISC, c.SO_J1939_SEND_PRIO, c.SO_J1939_ERRQUEUE]).toEqual([1, 2, 3, 4]);
    expect([c.SCM_J1939_DEST_ADDR, c.SCM_J1939_DEST_NAME, c.SCM_J1939_PRIO, c.SCM_J1939_ERRQUEUE]).toEqual([1, 2, 3, 4]);
    expect([c.J1939_NLA_PAD, c.J1939_NLA_BYTES_ACKED, c.J1939_EE_INFO_NONE, c.J1939_EE_INFO_TX_ABORT, c.J1939_FILTER_MAX]).toEqual([0, 1, 0, 1, 512]);
  });

  it('the helpers\' extras: frame sizes and masks', () => {
    const c = constants;
    expect([c.CAN_MTU, c.CANFD_MTU, c.CAN_MAX_DLEN, c.CANFD_MAX_DLEN, c.CAN_SFF_MASK, c.CAN_EFF_MASK, c.CAN_ERR_MASK]).toEqual([
      16, 72, 8, 64, 0x7ff, 0x1fffffff, 0x1fffffff,
    ]);
    expect([c.SOL_CAN_ISOTP, c.SOL_CAN_J1939, c.CAN_ISOTP_OPTS, c.CAN_ISOTP_RECV_FC, c.CAN_ISOTP_LL_OPTS]).toEqual([106, 107, 1, 2, 5]);
  });
});

describe.skipIf(!hasPython())(needsPython(`CAN constants compared with CPython ${PYTHON_VERSION}`), () => {
  it('have CPython\'s names and values, the helpers\' extras aside', () => {
    const names = Object.keys(constants);
    const r = runPythonSync(
      'import json, socket, sys\nprint(json.dumps({n: str(int(getattr(socket, n))) for n in sys.argv[1:] if hasattr(socket, n)}))',
      { args: names },
    );
    expect(r.code, r.stderr).toBe(0);
    const py = JSON.parse(r.stdout) as Record<string, string>;
    for (const [name, value] of Object.entries(constants)) {
      if (BEYOND_PYTHON.test(name)) expect(name in py, `${name} is not in CPython`).toBe(false);
      else expect([name, py[name]]).toEqual([name, String(value)]);
    }
    const pyAll = runPythonSync(
      'import socket\nprint(" ".join(n for n in dir(socket) if n.startswith(("CAN_", "SOL_CAN_", "J1939_", "SO_J1939_", "SCM_J1939_", "AF_CAN", "PF_CAN"))))',
    );
    for (const name of pyAll.stdout.trim().split(' ')) expect(names, `CPython has ${name}`).toContain(name);
  });
});
