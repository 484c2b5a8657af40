/**
 * TCP_INFO: Linux's `struct tcp_info` (getsockopt(2) at IPPROTO_TCP,
 * <linux/tcp.h>, tcp(7)) decoded by field name.
 *
 * The offsets follow the structure's documented ABI order: fixed-width
 * fields (`__u8`, `__u32`, `__u64`) in declaration order, each aligned to
 * its size, which the kernel only ever extends at the end. A test checks
 * every offset against `offsetof()` compiled from this machine's headers.
 *
 * @packageDocumentation
 */
import { endianness } from 'node:os';
import type { Socket } from '@bsdsock/core';
import { bytesArg } from './args.js';
import { IPPROTO_TCP, TCP_INFO } from './constants.generated.js';

const LITTLE_ENDIAN = endianness() === 'LE';

/** The kinds of field in struct tcp_info. */
type Kind = 'u8' | 'u32' | 'u64';

/**
 * Every field of struct tcp_info after the first eight bytes, in
 * declaration order (<linux/tcp.h>, as of Linux 6.x userspace headers).
 */
const FIELDS: readonly (readonly [name: string, kind: Kind])[] = [
  ['rto', 'u32'], ['ato', 'u32'], ['snd_mss', 'u32'], ['rcv_mss', 'u32'],
  ['unacked', 'u32'], ['sacked', 'u32'], ['lost', 'u32'], ['retrans', 'u32'], ['fackets', 'u32'],
  ['last_data_sent', 'u32'], ['last_ack_sent', 'u32'], ['last_data_recv', 'u32'], ['last_ack_recv', 'u32'],
  ['pmtu', 'u32'], ['rcv_ssthresh', 'u32'], ['rtt', 'u32'], ['rttvar', 'u32'], ['snd_ssthresh', 'u32'],
  ['snd_cwnd', 'u32'], ['advmss', 'u32'], ['reordering', 'u32'],
  ['rcv_rtt', 'u32'], ['rcv_space', 'u32'],
  ['total_retrans', 'u32'],
  ['pacing_rate', 'u64'], ['max_pacing_rate', 'u64'], ['bytes_acked', 'u64'], ['bytes_received', 'u64'],
  ['segs_out', 'u32'], ['segs_in', 'u32'],
  ['notsent_bytes', 'u32'], ['min_rtt', 'u32'], ['data_segs_in', 'u32'], ['data_segs_out', 'u32'],
  ['delivery_rate', 'u64'],
  ['busy_time', 'u64'], ['rwnd_limited', 'u64'], ['sndbuf_limited', 'u64'],
  ['delivered', 'u32'], ['delivered_ce', 'u32'],
  ['bytes_sent', 'u64'], ['bytes_retrans', 'u64'],
  ['dsack_dups', 'u32'], ['reord_seen', 'u32'],
  ['rcv_ooopack', 'u32'],
  ['snd_wnd', 'u32'],
];

const SIZES: Record<Kind, number> = { u8: 1, u32: 4, u64: 8 };

/** Each field's byte offset in struct tcp_info (the eight leading bytes included). */
export const TCP_INFO_OFFSETS: Readonly<Record<string, number>> = (() => {
  const out: Record<string, number> = {
    state: 0, ca_state: 1, retransmits: 2, probes: 3, backoff: 4, options: 5,
    // bit-fields: snd_wscale:4, rcv_wscale:4 share byte 6;
    // delivery_rate_app_limited:1, fastopen_client_fail:2 share byte 7.
  };
  let offset = 8;
  for (const [name, kind] of FIELDS) {
    const size = SIZES[kind];
    offset = Math.ceil(offset / size) * size;
    out[name] = offset;
    offset += size;
  }
  return out;
})();

/** sizeof(struct tcp_info) as this module knows it: the length {@link tcpInfo} asks for. */
export const tcpInfoSize: number = (() => {
  const [name, kind] = FIELDS[FIELDS.length - 1]!;
  return Math.ceil((TCP_INFO_OFFSETS[name]! + SIZES[kind]) / 8) * 8;
})();

/**
 * The fields of Linux's `struct tcp_info` (tcp(7)), named as in
 * <linux/tcp.h> without the `tcpi_` prefix. 32-bit fields are numbers,
 * 64-bit fields `bigint`s. A field beyond the bytes the kernel returned
 * (an older kernel) is absent. Times are in microseconds unless the header
 * says otherwise (`last_*` in milliseconds).
 */
export interface TcpInfo {
  state: number; ca_state: number; retransmits: number; probes: number; backoff: number; options: number;
  snd_wscale: number; rcv_wscale: number; delivery_rate_app_limited: number; fastopen_client_fail: number;
  rto: number; ato: number; snd_mss: number; rcv_mss: number;
  unacked: number; sacked: number; lost: number; retrans: number; fackets: number;
  last_data_sent: number; last_ack_sent: number; last_data_recv: number; last_ack_recv: number;
  pmtu: number; rcv_ssthresh: number; rtt: number; rttvar: number; snd_ssthresh: number;
  snd_cwnd: number; advmss: number; reordering: number; rcv_rtt: number; rcv_space: number;
  total_retrans: number;
  pacing_rate?: bigint; max_pacing_rate?: bigint; bytes_acked?: bigint; bytes_received?: bigint;
  segs_out?: number; segs_in?: number; notsent_bytes?: number; min_rtt?: number;
  data_segs_in?: number; data_segs_out?: number; delivery_rate?: bigint;
  busy_time?: bigint; rwnd_limited?: bigint; sndbuf_limited?: bigint;
  delivered?: number; delivered_ce?: number; bytes_sent?: bigint; bytes_retrans?: bigint;
  dsack_dups?: number; reord_seen?: number; rcv_ooopack?: number; snd_wnd?: number;
}

/** The first 104 bytes every Linux since 2.6 returns: the fields that are always present. */
const MIN_LENGTH = TCP_INFO_OFFSETS.total_retrans! + 4;

/**
 * Decodes the bytes of `getsockopt(IPPROTO_TCP, TCP_INFO, n)` (host byte
 * order, as the kernel writes them) into the fields of `struct tcp_info`.
 *
 * @throws RangeError when fewer than the 104 bytes every Linux returns are
 *   given; TypeError when `bytes` is not bytes-like.
 * @see https://man7.org/linux/man-pages/man7/tcp.7.html
 * @example
 * ```ts
 * const info = decodeTcpInfo(sock.getsockopt(IPPROTO_TCP, TCP_INFO, tcpInfoSize));
 * info.state;   // 1 (TCP_ESTABLISHED)
 * ```
 */
export function decodeTcpInfo(bytes: ArrayBufferView | ArrayBuffer): TcpInfo {
  const b = bytesArg(bytes, 'decodeTcpInfo() argument');
  if (b.length < MIN_LENGTH) {
    throw new RangeError(`decodeTcpInfo(): struct tcp_info is at least ${MIN_LENGTH} bytes, got ${b.length}`);
  }
  const wscale = b[6]!;
  const flags = b[7]!;
  // GCC allocates bit-fields from the least significant bit on little-endian
  // targets and from the most significant bit on big-endian ones.
  const info: Record<string, number | bigint> = {
    state: b[0]!, ca_state: b[1]!, retransmits: b[2]!, probes: b[3]!, backoff: b[4]!, options: b[5]!,
    snd_wscale: LITTLE_ENDIAN ? wscale & 0x0f : wscale >> 4,
    rcv_wscale: LITTLE_ENDIAN ? wscale >> 4 : wscale & 0x0f,
    delivery_rate_app_limited: LITTLE_ENDIAN ? flags & 1 : flags >> 7,
    fastopen_client_fail: LITTLE_ENDIAN ? (flags >> 1) & 3 : (flags >> 5) & 3,
  };
  for (const [name, kind] of FIELDS) {
    const off = TCP_INFO_OFFSETS[name]!;
    if (off + SIZES[kind] > b.length) break;
    info[name] = kind === 'u64'
      ? (LITTLE_ENDIAN ? b.readBigUInt64LE(off) : b.readBigUInt64BE(off))
      : (LITTLE_ENDIAN ? b.readUInt32LE(off) : b.readUInt32BE(off));
  }
  return info as unknown as TcpInfo;
}

/**
 * Reads TCP_INFO from a TCP socket (getsockopt(2)) and decodes it with
 * {@link decodeTcpInfo}. Linux only.
 *
 * @see https://man7.org/linux/man-pages/man7/tcp.7.html
 * @example
 * ```ts
 * const { rtt, snd_cwnd, total_retrans } = tcpInfo(sock);
 * ```
 */
export function tcpInfo(sock: Socket): TcpInfo {
  return decodeTcpInfo(sock.getsockopt(IPPROTO_TCP, TCP_INFO, tcpInfoSize));
}
