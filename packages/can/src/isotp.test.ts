/**
 * The ISO-TP option structures: golden bytes of `struct can_isotp_options`
 * (flags u32, frame_txtime u32, ext_address, txpad_content,
 * rxpad_content, rx_ext_address: u8 each), `struct can_isotp_fc_options`
 * (bs, stmin, wftmax) and `struct can_isotp_ll_options` (mtu, tx_dl,
 * tx_flags), the kernel's defaults, and every class of bad input.
 */
import { describe, expect, it } from 'vitest';
import {
  CANFD_BRS, CANFD_MTU, CAN_ISOTP_DEFAULT_FRAME_TXTIME, CAN_ISOTP_DEFAULT_PAD_CONTENT, CAN_ISOTP_EXTEND_ADDR,
  CAN_ISOTP_TX_PADDING, CAN_MTU,
} from './constants.generated.js';
import {
  packIsotpFcOptions, packIsotpLlOptions, packIsotpOptions, unpackIsotpFcOptions, unpackIsotpLlOptions,
  unpackIsotpOptions,
} from './isotp.js';
import { thrown } from '@bsdsock/test-utils';
import { expectErrors, hex, type ErrorCase } from '../test/helpers.js';

describe('can_isotp_options', () => {
  it('defaults to the kernel\'s defaults (CAN_ISOTP_DEFAULT_*)', () => {
    expect(packIsotpOptions()).toEqual(hex('00000000 50c30000 00 cc cc 00'));
    expect(unpackIsotpOptions(packIsotpOptions({}))).toEqual({
      flags: 0, frameTxtime: CAN_ISOTP_DEFAULT_FRAME_TXTIME, extAddress: 0,
      txpadContent: CAN_ISOTP_DEFAULT_PAD_CONTENT, rxpadContent: CAN_ISOTP_DEFAULT_PAD_CONTENT, rxExtAddress: 0,
    });
  });

  it('writes every field', () => {
    const opts = {
      flags: CAN_ISOTP_TX_PADDING | CAN_ISOTP_EXTEND_ADDR, frameTxtime: 0xffffffff, extAddress: 0xf1, txpadContent: 0x55,
      rxpadContent: 0xaa, rxExtAddress: 0x01,
    };
    expect(packIsotpOptions(opts)).toEqual(hex('06000000 ffffffff f1 55 aa 01'));
    expect(unpackIsotpOptions(packIsotpOptions(opts))).toEqual(opts);
  });

  it('names the bad field', () => {
    const cases: ErrorCase[] = [
      [null, TypeError, 'packIsotpOptions() expects { flags?, frameTxtime?, extAddress?, txpadContent?, rxpadContent?, rxExtAddress? }, got null'],
      [{ flags: '1' }, TypeError, 'packIsotpOptions(): flags must be an integer, got "1"'],
      [{ frameTxtime: 2 ** 32, extAddress: 'x' }, TypeError, 'packIsotpOptions(): extAddress must be an integer, got "x"'],
      [{ frameTxtime: 2 ** 32 }, RangeError, 'packIsotpOptions(): frameTxtime must be 0-4294967295, got 4294967296'],
      [{ txpadContent: 256 }, RangeError, 'packIsotpOptions(): txpadContent must be 0-255, got 256'],
      [{ rxExtAddress: -1 }, RangeError, 'packIsotpOptions(): rxExtAddress must be 0-255, got -1'],
    ];
    expectErrors((input) => packIsotpOptions(input as never), cases);
    expect(thrown(() => unpackIsotpOptions(Buffer.alloc(3))).message).toBe(
      'unpackIsotpOptions() expects a 12-byte can_isotp_options, got 3 bytes',
    );
    expect(thrown(() => unpackIsotpOptions('x' as never))).toBeInstanceOf(TypeError);
  });
});

describe('can_isotp_fc_options', () => {
  it('packs bs, stmin and wftmax, zero by default', () => {
    expect(packIsotpFcOptions()).toEqual(hex('000000'));
    expect(packIsotpFcOptions({ bs: 8, stmin: 0xf3, wftmax: 2 })).toEqual(hex('08f302'));
    expect(unpackIsotpFcOptions(hex('08f302'))).toEqual({ bs: 8, stmin: 0xf3, wftmax: 2 });
  });

  it('names the bad field', () => {
    expect(thrown(() => packIsotpFcOptions({ bs: 256 })).message).toBe('packIsotpFcOptions(): bs must be 0-255, got 256');
    expect(thrown(() => packIsotpFcOptions({ stmin: true } as never))).toBeInstanceOf(TypeError);
    expect(thrown(() => packIsotpFcOptions([] as never)).message).toBe('packIsotpFcOptions() expects { bs?, stmin?, wftmax? }, got []');
    expect(thrown(() => unpackIsotpFcOptions(new Uint8Array(4)))).toBeInstanceOf(RangeError);
  });
});

describe('can_isotp_ll_options', () => {
  it('defaults to Classical CAN, and packs CAN FD link-layer options', () => {
    expect(packIsotpLlOptions()).toEqual(Buffer.from([CAN_MTU, 8, 0]));
    expect(packIsotpLlOptions({ mtu: CANFD_MTU, txDl: 64, txFlags: CANFD_BRS })).toEqual(hex('484001'));
    expect(unpackIsotpLlOptions(new Uint8Array([72, 64, 1]))).toEqual({ mtu: 72, txDl: 64, txFlags: 1 });
  });

  it('names the bad field', () => {
    expect(thrown(() => packIsotpLlOptions({ txDl: 1.5 })).message).toBe('packIsotpLlOptions(): txDl must be an integer, got 1.5');
    expect(thrown(() => packIsotpLlOptions({ mtu: 300 }))).toBeInstanceOf(RangeError);
    expect(thrown(() => unpackIsotpLlOptions(Buffer.alloc(12))).message).toBe(
      'unpackIsotpLlOptions() expects a 3-byte can_isotp_ll_options, got 12 bytes',
    );
  });
});
