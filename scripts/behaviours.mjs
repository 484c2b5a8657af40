#!/usr/bin/env node
// Which of CPython's socket behaviours (the checklist in
// ../shared/research/cpython-socket-behaviours.md, IDs such as TCP-07) the
// test suite covers: a behaviour counts as covered where a test file names
// its ID (in a title or the file's header, ranges such as "MKF-01..MKF-11"
// included), and as not applicable where docs/cpython-behaviours.md lists
// it with the reason (that list wins: a test file may name an ID to say it
// does not apply). Prints what is neither, and exits 1 if anything is.
//
//   node scripts/behaviours.mjs [checklist.md] [--list]
//
// --list prints every ID with the files that name it.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const list = args.includes('--list');
const checklist = args.find((a) => !a.startsWith('--')) ??
  join(root, '..', 'shared', 'research', 'cpython-socket-behaviours.md');

const ID = /^\|\s*([A-Z]+-\d+)\s*\|/;
const ids = [];
for (const line of readFileSync(checklist, 'utf8').split('\n')) {
  const m = ID.exec(line);
  if (m && !ids.includes(m[1])) ids.push(m[1]);
}

/** Every ID a text names: single IDs and ranges ("MKF-01..MKF-11", "OBJ-38..42"). */
function named(text) {
  const out = new Set();
  const re = /\b([A-Z]{2,5})-(\d{2})(?:\s*\.\.\s*(?:([A-Z]{2,5})-)?(\d{2}))?\b/g;
  for (const m of text.matchAll(re)) {
    const [, p, a, p2, b] = m;
    if (b === undefined || (p2 !== undefined && p2 !== p)) {
      out.add(`${p}-${a}`);
      if (b !== undefined) out.add(`${p2}-${b}`);
      continue;
    }
    for (let i = Number(a); i <= Number(b); i++) out.add(`${p}-${String(i).padStart(2, '0')}`);
  }
  return out;
}

function* testFiles(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* testFiles(p);
    else if (/\.test\.[cm]?ts$/.test(name)) yield p;
  }
}

const where = new Map();
for (const dir of ['packages', 'examples']) {
  for (const file of testFiles(join(root, dir))) {
    for (const id of named(readFileSync(file, 'utf8'))) {
      if (!where.has(id)) where.set(id, []);
      where.get(id).push(relative(root, file));
    }
  }
}

// docs/cpython-behaviours.md: a table whose rows start "| ID | reason |".
const na = new Map();
for (const line of readFileSync(join(root, 'docs', 'cpython-behaviours.md'), 'utf8').split('\n')) {
  const m = /^\|\s*([A-Z]+-\d+(?:\s*\.\.\s*[A-Z]*-?\d+)?)\s*\|\s*(.+?)\s*\|\s*$/.exec(line);
  if (m) for (const id of named(m[1])) na.set(id, m[2]);
}

const missing = [];
for (const id of ids) {
  const files = na.has(id) ? undefined : where.get(id);
  if (list) console.log(`${id}\t${files ? files.join(' ') : na.has(id) ? `n/a: ${na.get(id)}` : '-'}`);
  if (!files && !na.has(id)) missing.push(id);
}
const notApplicable = ids.filter((id) => na.has(id)).length;
const covered = ids.filter((id) => !na.has(id) && where.has(id)).length;
console.log(`${ids.length} behaviours: ${covered} named by tests, ${notApplicable} not applicable (docs/cpython-behaviours.md), ${missing.length} neither`);
if (missing.length) {
  console.log(`neither: ${missing.join(' ')}`);
  process.exit(1);
}
