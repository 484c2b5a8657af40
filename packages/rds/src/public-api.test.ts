/**
 * This package is built as a package outside bsdsock would be: it may
 * depend on `@bsdsock/core`'s published API and zod only. These checks keep
 * it that way.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const PKG = join(__dirname, '..');

describe('@bsdsock/rds stays an outside package', () => {
  it('depends on @bsdsock/core and zod only, and has no constants.json', () => {
    const pkg = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    expect(Object.keys(pkg.dependencies ?? {}).sort()).toEqual(['@bsdsock/core', 'zod']);
    expect(pkg.peerDependencies).toBeUndefined();
    expect(readdirSync(PKG)).not.toContain('constants.json');
  });

  it('imports nothing but @bsdsock/core, zod, node: modules and its own files', () => {
    const files = readdirSync(join(PKG, 'src')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(join(PKG, 'src', file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      const specs = [...text.matchAll(/\bfrom\s+'([^']+)'|^\s*import\s*'([^']+)'|\bimport\(\s*'([^']+)'/gm)];
      for (const spec of specs.map((m) => m[1] ?? m[2] ?? m[3])) {
        expect(spec, `${file} imports ${spec}`).toMatch(/^(@bsdsock\/core|zod|node:[a-z_/]+|\.\/[\w.-]+\.js)$/);
      }
    }
  });
});
