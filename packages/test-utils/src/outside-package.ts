/**
 * The check that keeps a family package an "outside" one (netlink, rds,
 * qipcrtr): built as a package outside bsdsock would be, on
 * `@bsdsock/core`'s published API and zod only.
 *
 * @packageDocumentation
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Declares the tests that the package in `pkgDir` depends on
 * `@bsdsock/core` and zod only, has no constants.json (an outside package
 * cannot run this repository's generators), and that its sources import
 * nothing but those, `node:` modules and its own files.
 *
 * @example
 * ```ts
 * describeOutsidePackage('@bsdsock/rds', join(__dirname, '..'));
 * ```
 */
export function describeOutsidePackage(name: string, pkgDir: string): void {
  describe(`${name} stays an outside package`, () => {
    it('depends on @bsdsock/core and zod only, and has no constants.json', () => {
      const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
      expect(Object.keys(pkg.dependencies ?? {}).sort()).toEqual(['@bsdsock/core', 'zod']);
      expect(pkg.peerDependencies).toBeUndefined();
      expect(readdirSync(pkgDir)).not.toContain('constants.json');
    });

    it('imports nothing but @bsdsock/core, zod, node: modules and its own files', () => {
      const files = readdirSync(join(pkgDir, 'src')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const text = readFileSync(join(pkgDir, 'src', file), 'utf8')
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/\/\/.*$/gm, '');
        const specs = [...text.matchAll(/\bfrom\s+'([^']+)'|^\s*import\s*'([^']+)'|\bimport\(\s*'([^']+)'/gm)];
        for (const spec of specs.map((m) => m[1] ?? m[2] ?? m[3])) {
          expect(spec, `${file} imports ${spec}`).toMatch(/^(@bsdsock\/core|zod|node:[a-z_/]+|\.\/[\w.-]+\.js)$/);
        }
      }
    });
  });
}
