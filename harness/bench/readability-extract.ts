// @mozilla/readability as a whole process over saved pages, the peer of `newsmirror extract FILE... --format text`
// in the extraction bench's process timing (process-speed.ts). Bundled with esbuild and run with plain node, as
// newsmirror runs from dist/:  node readability-extract.mjs FILE...
// Readability's README parses with a DOM library and calls `new Readability(document).parse()`; linkedom is the
// quickest DOM it runs on (jsdom is several times slower), so this is the peer at its fastest. Prints each
// article's textContent after a `<!-- FILE -->` line, as the CLI's text format does.
import { readFileSync } from 'node:fs';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';

for (const file of process.argv.slice(2)) {
  const { document } = parseHTML(readFileSync(file, 'utf8'));
  const article = new Readability(
    document as unknown as ConstructorParameters<typeof Readability>[0],
  ).parse();
  process.stdout.write(`<!-- ${file} -->\n${article?.textContent ?? ''}\n\n`);
}
