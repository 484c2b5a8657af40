/**
 * AF_HYPERV where the platform has none — Linux, as here: the design that
 * lets the codec live everywhere without claiming Linux's family 34
 * (AF_ISDN), compared with what CPython does on Linux.
 */
import { describe, expect, it } from 'vitest';
import { OSError, SOCK_STREAM, getFamily } from '@bsdsock/core';
import * as hyperv from '@bsdsock/hyperv';
import { hasPython, needsPython, runPythonSync } from '@bsdsock/test-utils';

const { hypervFamily, hypervSocket, hypervWindowsConstants } = hyperv;

describe.skipIf(process.platform !== 'linux')(`AF_HYPERV on Linux${process.platform === 'linux' ? '' : ` (skipped: this is ${process.platform})`}`, () => {
  it('hypervSocket() raises OSError EAFNOSUPPORT saying that AF_HYPERV needs Windows', () => {
    for (const call of [() => hypervSocket(), () => hypervSocket(SOCK_STREAM, hypervWindowsConstants.HV_PROTOCOL_RAW)]) {
      let err: unknown;
      try {
        call();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(OSError);
      expect((err as OSError).errno).toBe(97);
      expect((err as OSError).code).toBe('EAFNOSUPPORT');
      expect((err as OSError).syscall).toBe('socket');
      expect((err as OSError).message).toMatch(/^\[Errno 97\] AF_HYPERV needs Windows: /);
    }
    expect(() => hypervSocket('stream' as unknown as number)).toThrow(new TypeError('hypervSocket(): type must be an integer, got "stream"'));
  });

  it('exports no AF_HYPERV, HV_PROTOCOL_RAW or HVSOCKET_* and registers nothing, Windows\' values aside', () => {
    expect(hyperv.platformAfHyperv).toBeUndefined();
    const names = Object.keys(hyperv);
    expect(names.filter((n) => /^(AF_HYPERV|HV_PROTOCOL_RAW|HVSOCKET_\w+)$/.test(n))).toEqual([]);
    expect(names.filter((n) => n.startsWith('HV_GUID_')).sort()).toEqual(
      ['HV_GUID_BROADCAST', 'HV_GUID_CHILDREN', 'HV_GUID_LOOPBACK', 'HV_GUID_PARENT', 'HV_GUID_WILDCARD', 'HV_GUID_ZERO'],
    );
    expect(getFamily(hypervWindowsConstants.AF_HYPERV)).not.toBe(hypervFamily);
    expect(hypervWindowsConstants).toEqual({
      AF_HYPERV: 34, HV_PROTOCOL_RAW: 1, HVSOCKET_CONNECT_TIMEOUT: 1, HVSOCKET_CONNECT_TIMEOUT_MAX: 300000,
      HVSOCKET_CONNECTED_SUSPEND: 4, HVSOCKET_ADDRESS_FLAG_PASSTHRU: 1,
    });
    expect(Object.isFrozen(hypervWindowsConstants)).toBe(true);
  });

  it.skipIf(!hasPython())(needsPython('matches CPython on Linux, which has none of the Hyper-V names'), () => {
    const r = runPythonSync(
      'import json, socket\nprint(json.dumps([n for n in dir(socket) if n.startswith(("AF_HYPERV", "HV_", "HVSOCKET_"))]))',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});
