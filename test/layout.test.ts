// The repository's layout rules: test/ and scripts/ never import each other (what both need is in harness/), and
// harness/ imports neither, so a command-line script can change without breaking a test and the other way round.
// Source files stay short enough to read in one sitting.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '..');
const CODE = /\.(?:ts|mts|js|mjs)$/;
const MAX_LINES = 500;

/** Static, side-effect and dynamic imports, and `new URL('…', import.meta.url)` (worker and child entries). */
const SPECIFIERS = [
  /\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]/g,
  /\bnew URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url/g,
];

function codeFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory())
      return entry.name === 'fixtures' || entry.name === 'node_modules' ? [] : codeFiles(path);
    return CODE.test(entry.name) ? [path] : [];
  });
}

/** Top-level folder of every repository file `file` imports by a relative path. */
function importedFolders(file: string, text: string): Array<{ specifier: string; folder: string }> {
  const found: Array<{ specifier: string; folder: string }> = [];
  for (const pattern of SPECIFIERS) {
    for (const [, specifier] of text.matchAll(pattern)) {
      if (!specifier.startsWith('.')) continue;
      const target = relative(ROOT, resolve(ROOT, dirname(file), specifier));
      found.push({ specifier, folder: target.split(sep)[0] });
    }
  }
  return found;
}

const FORBIDDEN: Record<string, string[]> = {
  test: ['scripts'],
  scripts: ['test'],
  harness: ['test', 'scripts'],
};

describe('repository layout', () => {
  for (const [from, forbidden] of Object.entries(FORBIDDEN)) {
    test(`${from}/ imports nothing from ${forbidden.map((folder) => `${folder}/`).join(' or ')}`, () => {
      const offending = codeFiles(from).flatMap((file) =>
        importedFolders(file, readFileSync(join(ROOT, file), 'utf8'))
          .filter(({ folder }) => forbidden.includes(folder))
          .map(({ specifier }) => `${file}: ${specifier}`),
      );
      assert.deepEqual(offending, [], 'move what both sides need into harness/');
    });
  }

  test('the import scan sees every form of import', () => {
    const sample = [
      "import { a } from '../elsewhere/a.ts';",
      "import '../elsewhere/b.ts';",
      "const c = await import('../elsewhere/c.ts');",
      "const d = new URL('../elsewhere/d.ts', import.meta.url);",
      "import { e } from 'node:path';",
    ].join('\n');
    assert.deepEqual(
      importedFolders(join('test', 'sample.ts'), sample).map(({ folder }) => folder),
      ['elsewhere', 'elsewhere', 'elsewhere', 'elsewhere'],
    );
  });

  test(`no file under src/, harness/ or scripts/ is over ${MAX_LINES} lines`, () => {
    const long = ['src', 'harness', 'scripts'].flatMap((dir) =>
      codeFiles(dir)
        .map((file) => ({ file, lines: readFileSync(join(ROOT, file), 'utf8').split('\n').length - 1 }))
        .filter(({ lines }) => lines > MAX_LINES)
        .map(({ file, lines }) => `${file}: ${lines} lines`),
    );
    assert.deepEqual(long, [], 'split these by what they do');
  });
});
