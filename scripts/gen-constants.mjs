#!/usr/bin/env node
// Writes packages/<pkg>/src/constants.generated.ts from the constants the
// native addon read from this machine's system headers (see
// packages/core/native/constants.txt and scripts/gen-constants-cc.mjs).
//
//   node scripts/gen-constants.mjs <pkg> [<pkg> ...] [--addon <file.node>] [--out-dir <dir>]
//
// --out-dir writes <dir>/<pkg>/constants.generated.ts instead (for tests).
// <pkg> is a folder name under packages/ (core, inet, unix, ...). The addon is
// packages/core/build/Release/bsdsock.node unless --addon or the environment
// variable BSDSOCK_ADDON names another; its export `constants` is the object
// AddConstants fills.
//
// packages/<pkg>/constants.json says which constants the package exports:
//
//   {
//     "include": ["^AF_INET6?$", "^IPPROTO_"],   regular expressions on names
//     "exclude": ["^IPPROTO_MAX$"],              optional
//     "enums": { "AddressInfo": "^AI_" }         optional: enum objects
//   }
//
// A name may belong to one package only: each run checks every package's
// constants.json against every name of constants.txt (whatever this platform
// has) and fails if two packages claim the same name, since `export *` of
// both from `bsdsock` would make the name ambiguous.
//
// An enum, like Python's IntEnum._convert_, has every present constant whose
// name matches its pattern and is upper case (so AF_DECnet is no member of
// AddressFamily), from any package; it maps each name to its number and each
// number to its canonical name: the alphabetically first name with that value.
import { readFileSync, writeFileSync, existsSync, readdirSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseList } from './gen-constants-cc.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(root, 'packages');
const DOCS = 'https://docs.python.org/3.13/library/socket.html#constants';

function fail(message) {
  console.error(`gen-constants: ${message}`);
  process.exit(1);
}

/** Reads and validates packages/<pkg>/constants.json. */
function readSpec(pkg) {
  const file = join(packagesDir, pkg, 'constants.json');
  let spec;
  try {
    spec = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    fail(`${relative(root, file)}: ${e.message}`);
  }
  const regexes = (key) => {
    const list = spec[key] ?? [];
    if (!Array.isArray(list) || list.some((s) => typeof s !== 'string')) {
      fail(`${relative(root, file)}: "${key}" must be an array of strings`);
    }
    return list.map((s) => new RegExp(s));
  };
  const enums = spec.enums ?? {};
  if (typeof enums !== 'object' || Array.isArray(enums)) fail(`${relative(root, file)}: "enums" must be an object`);
  for (const [k, v] of Object.entries(enums)) {
    if (!/^[A-Za-z_$][\w$]*$/.test(k) || typeof v !== 'string') {
      fail(`${relative(root, file)}: enum ${JSON.stringify(k)} needs a pattern string`);
    }
  }
  return {
    pkg,
    include: regexes('include'),
    exclude: regexes('exclude'),
    enums: Object.entries(enums).map(([name, pattern]) => ({ name, pattern: new RegExp(pattern) })),
  };
}

function claims(spec, name) {
  return spec.include.some((r) => r.test(name)) && !spec.exclude.some((r) => r.test(name));
}

/** Every package with a constants.json; fails on a name claimed twice. */
function loadSpecs() {
  const specs = readdirSync(packagesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(packagesDir, d.name, 'constants.json')))
    .map((d) => d.name)
    .sort()
    .map(readSpec);
  const universe = listEntries().map((e) => e.name);
  const owner = new Map();
  const clashes = [];
  const claim = (name, pkg) => {
    const prev = owner.get(name);
    if (prev && prev !== pkg) clashes.push(`${name}: ${prev} and ${pkg}`);
    else owner.set(name, pkg);
  };
  for (const spec of specs) {
    for (const name of universe) if (claims(spec, name)) claim(name, spec.pkg);
    for (const e of spec.enums) claim(e.name, spec.pkg);
  }
  if (clashes.length) {
    fail(`names claimed by two packages' constants.json:\n  ${clashes.join('\n  ')}`);
  }
  return specs;
}

function loadConstants(addonPath) {
  const require = createRequire(import.meta.url);
  let addon;
  try {
    addon = require(addonPath);
  } catch (e) {
    fail(`cannot load the addon ${addonPath} (build @bsdsock/core first): ${e.message}`);
  }
  const constants = addon?.constants;
  if (!constants || typeof constants !== 'object') fail(`${addonPath} exports no "constants" object`);
  for (const [k, v] of Object.entries(constants)) {
    if (typeof v !== 'number' && typeof v !== 'bigint') fail(`constant ${k} is a ${typeof v}`);
  }
  return constants;
}

const byName = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const literal = (v) => (typeof v === 'bigint' ? `${v}n` : Object.is(v, -0) ? '0' : String(v));
const isUpper = (name) => /[A-Z]/.test(name) && !/[a-z]/.test(name);

/** constants.txt, read once: its lines and its parsed entries. */
let list;
function readList() {
  if (!list) {
    const text = readFileSync(join(packagesDir, 'core', 'native', 'constants.txt'), 'utf8');
    const entries = parseList(text);
    list = { lines: text.split('\n'), entries, byName: new Map(entries.map((e) => [e.name, e])) };
  }
  return list;
}
const listEntries = () => readList().entries;

/** The TSDoc line of one constant: its group in constants.txt, and where Python has it. */
function docOf(name) {
  const e = readList().byName.get(name);
  const group = e?.group ? e.group.replace(/^[a-z0-9]+:\s*/i, '') : '';
  const note = e?.line !== undefined ? commentBefore(e.line) : '';
  const what = /beyond Python/.test(note) ?
    'not in Python\'s socket module: read from the headers for this package\'s helpers' :
    /\(3\.14\)/.test(note) ? `Python 3.14's \`socket.${name}\`` : `Python's \`socket.${name}\``;
  const c = e && e.cname !== name ? ` (C name \`${e.cname}\`)` : '';
  return `/** ${group ? `${group}: ` : ''}${what}${c}; this platform's value. */`;
}

/** The comment block nearest above constants.txt's line `line` (1-based), its lines joined. */
function commentBefore(line) {
  const { lines } = readList();
  let i = line - 2;
  while (i >= 0 && !lines[i].startsWith('#')) i--;
  const block = [];
  while (i >= 0 && lines[i].startsWith('#')) block.unshift(lines[i--]);
  return block.join(' ');
}

export function render(spec, constants) {
  const names = Object.keys(constants)
    .filter((n) => claims(spec, n))
    .sort(byName);
  const out = [
    `// GENERATED at build time by scripts/gen-constants.mjs from packages/${spec.pkg}/constants.json`,
    "// and the constants this machine's system headers define: do not edit.",
    "// They are Python's socket module constants, with this platform's values; a",
    "// constant the platform's headers lack is absent, as in Python.",
    `// ${DOCS}`,
    '',
  ];
  for (const n of names) out.push(docOf(n), `export const ${n} = ${literal(constants[n])};`);
  for (const e of spec.enums) {
    const members = Object.keys(constants)
      .filter((n) => e.pattern.test(n) && isUpper(n))
      .sort(byName);
    const canonical = new Map();
    for (const n of members) {
      const v = constants[n];
      if (typeof v === 'number' && !canonical.has(v)) canonical.set(v, n);
    }
    const values = [...canonical.keys()].sort((a, b) => a - b);
    out.push('', `export const ${e.name} = Object.freeze({`);
    for (const n of members) out.push(`  ${n}: ${literal(constants[n])},`);
    for (const v of values) out.push(`  ${v < 0 ? `'${v}'` : v}: '${canonical.get(v)}',`);
    out.push('} as const);');
  }
  // A package none of whose constants this platform has (AF_HYPERV on
  // Linux) still gets a module TypeScript can import.
  if (names.length === 0 && spec.enums.length === 0) out.push('export {};');
  out.push('');
  return out.join('\n');
}

function main() {
  const args = process.argv.slice(2);
  let addonPath = process.env.BSDSOCK_ADDON || join(packagesDir, 'core', 'build', 'Release', 'bsdsock.node');
  const pkgs = [];
  let outDir = null;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--addon') addonPath = args[++i] ?? fail('--addon needs a file');
    else if (args[i] === '--out-dir') outDir = resolve(args[++i] ?? fail('--out-dir needs a folder'));
    else if (args[i].startsWith('-')) fail(`unknown option ${args[i]}`);
    else pkgs.push(args[i]);
  }
  if (pkgs.length === 0) fail('usage: gen-constants.mjs <pkg> [<pkg> ...] [--addon <file.node>] [--out-dir <dir>]');
  const specs = loadSpecs();
  const constants = loadConstants(resolve(addonPath));
  for (const pkg of pkgs) {
    const spec = specs.find((s) => s.pkg === pkg) ?? fail(`packages/${pkg}/constants.json not found`);
    const file = outDir
      ? join(outDir, pkg, 'constants.generated.ts')
      : join(packagesDir, pkg, 'src', 'constants.generated.ts');
    const text = render(spec, constants);
    const old = existsSync(file) ? readFileSync(file, 'utf8') : null;
    const rel = relative(process.cwd(), file) || file;
    if (old === text) {
      console.log(`${rel}: unchanged`);
      continue;
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    console.log(`${rel}: ${old === null ? 'created' : 'updated'}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) main();
