#!/usr/bin/env node
// Generates packages/core/native/constants.cc from packages/core/native/constants.txt.
//
//   node scripts/gen-constants-cc.mjs           write constants.cc, say whether it changed
//   node scripts/gen-constants-cc.mjs --check   write nothing; exit 1 if constants.cc is stale
//   node scripts/gen-constants-cc.mjs --probe   compile-probe this machine's headers ($CXX or
//                                               g++) for names declared without a macro that
//                                               constants.txt gives no `@` guard; exit 1 if any
//
// constants.txt lists names only; every value comes from the system headers when
// the addon is compiled. See the top of constants.txt for its syntax. Each entry
// becomes
//
//   #ifdef NAME                                  (a macro)
//   #if defined(NAME) || defined(GUARD)          (an enum-only name, `@ GUARD`)
//     Add(env, obj, "NAME", CNAME, kind);
//   #endif
//
// so a name this machine's headers lack is simply absent, as in Python.
//
// Enum-only names: some libc/kernel headers declare a constant only as an
// enumerator (no macro), which `#ifdef` cannot see (linux/can/raw.h's
// CAN_RAW_FILTER, linux/can/bcm.h's TX_SETUP, linux/can/j1939.h's SO_J1939_*,
// newer linux/tipc.h's TIPC_CLUSTER_SCOPE). constants.txt gives each such name a
// guard: a macro (or a preprocessor expression) that is true exactly when a
// header declaring the enumerator has been included. glibc's own enums
// (IPPROTO_*, MSG_*, SOCK_*, SHUT_*) also `#define X X`, so they need no guard.
import { readFileSync, writeFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'packages', 'core', 'native');
const listFile = join(nativeDir, 'constants.txt');
const outFile = join(nativeDir, 'constants.cc');

// Headers that may define a listed constant, in include order. Each is
// included only where it exists (__has_include). Deliberately absent, because
// they clash with the glibc headers above them: <linux/in.h>, <linux/in6.h>,
// <linux/tcp.h>, <linux/udp.h>, <linux/if_packet.h> (glibc's netinet/*.h and
// netpacket/packet.h define the same names and structs).
const HEADERS = [
  // POSIX
  'sys/types.h',
  'sys/socket.h',
  'sys/un.h',
  'sys/ioctl.h',
  'errno.h',
  'netinet/in.h',
  'netinet/tcp.h',
  'netinet/udp.h',
  'arpa/inet.h',
  'netdb.h',
  'net/if.h',
  'net/ethernet.h',
  // Linux
  'linux/version.h',
  'netpacket/packet.h',
  'linux/netlink.h',
  'linux/sockios.h',
  'linux/can.h',
  'linux/can/raw.h',
  'linux/can/bcm.h',
  'linux/can/isotp.h',
  'linux/can/j1939.h',
  'linux/if_alg.h',
  'linux/vm_sockets.h',
  'linux/tipc.h',
  'linux/rds.h',
  'linux/qrtr.h',
  // SO_ORIGINAL_DST; includes <linux/in.h>, which <linux/libc-compat.h> keeps
  // compatible with an earlier <netinet/in.h>
  'linux/netfilter_ipv4.h',
  // BlueZ (Debian: libbluetooth-dev)
  'bluetooth/bluetooth.h',
  'bluetooth/hci.h',
  'bluetooth/l2cap.h',
  'bluetooth/rfcomm.h',
  'bluetooth/sco.h',
  // BSD Bluetooth
  'netbt/bluetooth.h',
  'netbt/hci.h',
  'netbt/l2cap.h',
  'netbt/rfcomm.h',
  'netbt/sco.h',
  // macOS
  'sys/sys_domain.h',
  'sys/kern_control.h',
  // Windows
  'winsock2.h',
  'ws2tcpip.h',
  'mstcpip.h',
  'ws2bth.h',
  'hvsocket.h',
];

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses constants.txt into entries { name, cname, guard, bigint, group, line }. */
export function parseList(text) {
  const entries = [];
  const seen = new Map();
  let group = '';
  let sectionGuard = null;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    const where = `constants.txt:${i + 1}`;
    if (line === '') return;
    if (line.startsWith('#')) {
      const body = line.replace(/^#+\s*/, '');
      const m = /^enum-only:\s*(\S+)\s*$/.exec(body);
      if (m) {
        if (!IDENT.test(m[1])) throw new Error(`${where}: enum-only guard must be a macro name`);
        sectionGuard = m[1];
      } else {
        sectionGuard = null;
        const g = /^---\s*(.*?)\s*-*$/.exec(body);
        if (g) group = g[1];
      }
      return;
    }
    let rest = line;
    let bigint = false;
    let number = false;
    const b = /\s*:\s*(bigint|number)\s*$/.exec(rest);
    if (b) {
      if (b[1] === 'bigint') bigint = true;
      else number = true;
      rest = rest.slice(0, b.index);
    }
    let guard = sectionGuard ? `defined(${sectionGuard})` : null;
    const at = rest.indexOf('@');
    if (at >= 0) {
      const g = rest.slice(at + 1).trim();
      rest = rest.slice(0, at).trim();
      if (g.startsWith('if ')) guard = `(${g.slice(3).trim()})`;
      else if (IDENT.test(g)) guard = `defined(${g})`;
      else throw new Error(`${where}: bad guard "${g}"`);
    }
    let [name, cname] = rest.split('=').map((s) => s.trim());
    cname ??= name;
    if (!IDENT.test(name) || !IDENT.test(cname)) throw new Error(`${where}: bad entry "${line}"`);
    if (seen.has(name)) throw new Error(`${where}: ${name} already listed at line ${seen.get(name)}`);
    seen.set(name, i + 1);
    entries.push({ name, cname, guard, bigint, number, group, line: i + 1 });
  });
  return entries;
}

function includeBlock() {
  const out = [
    '#if defined(_WIN32) && !defined(WIN32_LEAN_AND_MEAN)',
    '#define WIN32_LEAN_AND_MEAN',
    '#endif',
    '',
  ];
  for (const h of HEADERS) out.push(`#if __has_include(<${h}>)`, `#include <${h}>`, '#endif');
  return out;
}

/**
 * Finds the names that this machine's headers declare (enumerator, or const
 * variable) without a macro of the same name, and that have no guard in
 * constants.txt: `#ifdef` would miss them. Returns { macros, enumOnly, absent }.
 */
export function probe(entries) {
  const cxx = process.env.CXX || 'g++';
  const dir = mkdtempSync(join(tmpdir(), 'bsdsock-constants-'));
  try {
    const head = includeBlock().join('\n') + '\n';
    const pre = entries.map((e) => `#ifdef ${e.cname}\nBSDSOCK_IS_MACRO__${e.name}\n#endif`).join('\n');
    writeFileSync(join(dir, 'macros.cc'), head + pre + '\n');
    const r1 = spawnSync(cxx, ['-std=gnu++17', '-E', join(dir, 'macros.cc')], { encoding: 'utf8' });
    if (r1.status !== 0) throw new Error(`${cxx} -E failed:\n${r1.stderr}`);
    const macros = new Set([...r1.stdout.matchAll(/BSDSOCK_IS_MACRO__(\w+)/g)].map((m) => m[1]));
    const rest = entries.filter((e) => !macros.has(e.name));
    const decl = rest.map((e) => `auto bsdsock_probe__${e.name} = ${e.cname};`).join('\n');
    writeFileSync(join(dir, 'decl.cc'), head + decl + '\n');
    const r2 = spawnSync(cxx, ['-std=gnu++17', '-fsyntax-only', '-fmax-errors=0', join(dir, 'decl.cc')], {
      encoding: 'utf8',
    });
    const undeclared = new Set(
      [...r2.stderr.matchAll(/['‘`](\w+)['’] (?:was not declared|undeclared)/g)].map((m) => m[1]),
    );
    const absent = rest.filter((e) => undeclared.has(e.cname));
    const enumOnly = rest.filter((e) => !undeclared.has(e.cname));
    return { macros, enumOnly, absent };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function render(entries) {
  const out = [];
  out.push(
    '// GENERATED by scripts/gen-constants-cc.mjs from constants.txt: do not edit.',
    '// Every value comes from this machine\'s system headers at build time; a',
    '// constant the headers do not define is absent, as in Python\'s socket module.',
    '#include "constants.h"',
    '',
    '#include <cstdint>',
    '#include <type_traits>',
    '',
    ...includeBlock(),
    '',
    'namespace {',
    '',
    'enum class Kind { kAuto, kBigInt, kNumber };',
    '',
    '// Numbers where the value is exactly representable; BigInt for an unsigned',
    '// 64-bit C type, for a value beyond +-2^53, or when constants.txt says so.',
    '// Unsigned 32-bit values (INADDR_NONE, VMADDR_CID_ANY) stay positive. A size',
    '// (CAN_MTU is a sizeof) is a Number when constants.txt says `: number`.',
    'template <typename T>',
    'void Add(Napi::Env env, Napi::Object obj, const char* name, T value, Kind kind) {',
    '  static_assert(std::is_integral<T>::value || std::is_enum<T>::value,',
    '                "a socket constant must be an integer");',
    '  if constexpr (std::is_enum<T>::value) {',
    '    using U = typename std::underlying_type<T>::type;',
    '    Add<U>(env, obj, name, static_cast<U>(value), kind);',
    '  } else if constexpr (std::is_same<T, bool>::value) {',
    '    obj.Set(name, Napi::Number::New(env, value ? 1 : 0));',
    '  } else {',
    '    constexpr int64_t kMaxSafe = (int64_t{1} << 53);',
    '    if constexpr (std::is_signed<T>::value) {',
    '      const int64_t v = static_cast<int64_t>(value);',
    '      if (kind == Kind::kBigInt || v > kMaxSafe || v < -kMaxSafe) {',
    '        obj.Set(name, Napi::BigInt::New(env, v));',
    '      } else {',
    '        obj.Set(name, Napi::Number::New(env, static_cast<double>(v)));',
    '      }',
    '    } else {',
    '      const uint64_t v = static_cast<uint64_t>(value);',
    '      if (kind == Kind::kBigInt || (sizeof(T) >= 8 && kind != Kind::kNumber) ||',
    '          v > static_cast<uint64_t>(kMaxSafe)) {',
    '        obj.Set(name, Napi::BigInt::New(env, v));',
    '      } else {',
    '        obj.Set(name, Napi::Number::New(env, static_cast<double>(v)));',
    '      }',
    '    }',
    '  }',
    '}',
    '',
    '}  // namespace',
    '',
    'void AddConstants(Napi::Env env, Napi::Object obj) {',
    '  constexpr Kind kAuto = Kind::kAuto;',
    '  constexpr Kind kBigInt = Kind::kBigInt;',
    '  constexpr Kind kNumber = Kind::kNumber;',
    '  (void)kAuto;',
    '  (void)kBigInt;',
    '  (void)kNumber;',
  );
  let group = null;
  for (const e of entries) {
    if (e.group !== group) {
      group = e.group;
      out.push('', `  // ${group}`);
    }
    const cond = e.guard ? `#if defined(${e.cname}) || ${e.guard}` : `#ifdef ${e.cname}`;
    const kind = e.bigint ? 'kBigInt' : e.number ? 'kNumber' : 'kAuto';
    out.push(cond, `  Add(env, obj, "${e.name}", ${e.cname}, ${kind});`, '#endif');
  }
  out.push('}', '');
  return out.join('\n');
}

function main() {
  const check = process.argv.includes('--check');
  const entries = parseList(readFileSync(listFile, 'utf8'));
  if (process.argv.includes('--probe')) {
    const { macros, enumOnly, absent } = probe(entries);
    const unguarded = enumOnly.filter((e) => !e.guard);
    console.log(`${macros.size} macros, ${enumOnly.length} declared without a macro, ${absent.length} absent`);
    console.log(`enum-only, guarded: ${enumOnly.filter((e) => e.guard).map((e) => e.name).join(' ') || '-'}`);
    console.log(`absent here: ${absent.map((e) => e.name).join(' ') || '-'}`);
    if (unguarded.length) {
      console.error(`declared without a macro and given no guard in constants.txt (add "@ GUARD"):`);
      console.error(`  ${unguarded.map((e) => e.name).join(' ')}`);
      process.exit(1);
    }
    return;
  }
  const text = render(entries);
  const old = existsSync(outFile) ? readFileSync(outFile, 'utf8') : null;
  const rel = relative(process.cwd(), outFile) || outFile;
  if (old === text) {
    console.log(`${rel}: unchanged (${entries.length} constants)`);
    return;
  }
  if (check) {
    console.error(`${rel} is out of date: run node scripts/gen-constants-cc.mjs`);
    process.exit(1);
  }
  writeFileSync(outFile, text);
  console.log(`${rel}: ${old === null ? 'created' : 'updated'} (${entries.length} constants)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) main();
