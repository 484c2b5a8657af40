/**
 * The TCP_INFO decoder: golden bytes captured from a loopback connection
 * with CPython 3.13 (`getsockopt(IPPROTO_TCP, TCP_INFO, 232)`) against the
 * values Python's `struct.unpack('<8B24I4Q', ...)` gives, and every offset
 * against `offsetof(struct tcp_info, ...)` compiled from this machine's
 * <linux/tcp.h> when a C compiler is available.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { endianness, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TCP_INFO_OFFSETS, tcpInfoSize, decodeTcpInfo } from './tcp-info.js';

const GOLDEN = Buffer.from(
  '010000000007aa01e01c030000000000008a000018020000000000000000000000000000000000000000000000000000'
  + '000000000000000000000000ffff0000d7ff00004800000029000000ffffff7f0b000000cbff00000600000000000000'
  + 'd7ff000000000000643689b002000000ffffffffffffffffe90300000000000000000000000000000300000002000000'
  + '0000000009000000000000000100000055d5f7e900000000000000000000000000000000000000000000000000000000'
  + '0200000000000000e803000000000000000000000000000000000000000000000000000000140100',
  'hex',
);

/** Python's struct.unpack('<8B24I', b[:104]) and ('<4Q', b[104:136]) of GOLDEN. */
const U8 = [1, 0, 0, 0, 0, 7, 170, 1];
const U32 = [
  204000, 0, 35328, 536, 0, 0, 0, 0, 0, 0, 0, 0, 0, 65535, 65495, 72, 41, 2147483647, 11, 65483, 6, 0, 65495, 0,
];
const U64 = [11551716964n, 18446744073709551615n, 1001n, 0n];
const U32_NAMES = [
  'rto', 'ato', 'snd_mss', 'rcv_mss', 'unacked', 'sacked', 'lost', 'retrans', 'fackets',
  'last_data_sent', 'last_ack_sent', 'last_data_recv', 'last_ack_recv', 'pmtu', 'rcv_ssthresh', 'rtt', 'rttvar',
  'snd_ssthresh', 'snd_cwnd', 'advmss', 'reordering', 'rcv_rtt', 'rcv_space', 'total_retrans',
];

const BIG_ENDIAN = endianness() !== 'LE';
describe.skipIf(BIG_ENDIAN)(`decodeTcpInfo: golden bytes (x86-64, from CPython)${BIG_ENDIAN ? ' (skipped: the golden bytes are little-endian)' : ''}`, () => {
  it('decodes the 8 leading bytes, the bit-fields included', () => {
    const info = decodeTcpInfo(GOLDEN);
    expect([info.state, info.ca_state, info.retransmits, info.probes, info.backoff, info.options]).toEqual(U8.slice(0, 6));
    // byte 6 is 0xaa: snd_wscale (low nibble) 10, rcv_wscale (high nibble) 10.
    expect([info.snd_wscale, info.rcv_wscale]).toEqual([10, 10]);
    expect([info.delivery_rate_app_limited, info.fastopen_client_fail]).toEqual([1, 0]);
  });

  it('decodes the 24 u32 fields of the first 104 bytes as struct.unpack does', () => {
    const info = decodeTcpInfo(GOLDEN) as unknown as Record<string, number>;
    expect(U32_NAMES.map((n) => info[n])).toEqual(U32);
  });

  it('decodes the 64-bit fields as bigint', () => {
    const info = decodeTcpInfo(GOLDEN);
    expect([info.pacing_rate, info.max_pacing_rate, info.bytes_acked, info.bytes_received]).toEqual(U64);
    expect(info.snd_wnd).toBe(GOLDEN.readUInt32LE(228));
  });

  it('leaves out the fields an older kernel did not return', () => {
    const info = decodeTcpInfo(GOLDEN.subarray(0, 104));
    expect(info.total_retrans).toBe(0);
    expect('pacing_rate' in info).toBe(false);
    expect('snd_wnd' in info).toBe(false);
  });
});

describe('decodeTcpInfo arguments', () => {
  it('needs at least the 104 bytes every Linux returns', () => {
    expect(() => decodeTcpInfo(Buffer.alloc(103))).toThrow(RangeError);
    expect(() => decodeTcpInfo('x' as unknown as Buffer)).toThrow(TypeError);
  });

  it('asks for the whole structure of the userspace headers', () => {
    expect(tcpInfoSize).toBe(232);
  });
});

function compile(): Record<string, number> | null {
  const dir = mkdtempSync(join(tmpdir(), 'bsdsock-tcpinfo-'));
  try {
    const names = Object.keys(TCP_INFO_OFFSETS).filter((n) => !n.includes('wscale'));
    const src = [
      '#include <stdio.h>', '#include <stddef.h>', '#include <linux/tcp.h>', 'int main(void) {',
      ...names.map((n) => `  printf("${n} %zu\\n", offsetof(struct tcp_info, tcpi_${n}));`),
      '  printf("sizeof %zu\\n", sizeof(struct tcp_info));', '  return 0;', '}',
    ].join('\n');
    writeFileSync(join(dir, 'o.c'), src);
    const cc = spawnSync('cc', ['-o', join(dir, 'o'), join(dir, 'o.c')], { encoding: 'utf8', timeout: 30_000 });
    if (cc.status !== 0) return null;
    const run = spawnSync(join(dir, 'o'), { encoding: 'utf8', timeout: 10_000 });
    return Object.fromEntries(run.stdout.trim().split('\n').map((l) => {
      const [k, v] = l.split(' ');
      return [k!, Number(v)];
    }));
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('offsets against the headers', () => {
  const fromHeaders = compile();
  it.skipIf(fromHeaders === null)('every offset equals offsetof() from <linux/tcp.h> (needs cc)', () => {
    const { sizeof, ...offsets } = fromHeaders!;
    const mine = Object.fromEntries(Object.entries(TCP_INFO_OFFSETS).filter(([n]) => n in offsets));
    expect(mine).toEqual(offsets);
    expect(tcpInfoSize).toBe(sizeof);
  });
});
