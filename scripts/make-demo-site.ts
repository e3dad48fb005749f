// Regenerates the bundled demo news site (demo/site/, demo/site-manifest.json, demo/newsmirror.yaml) from the data
// in demo/data/ (harness/demo-site/generate.ts). Deterministic: without edits, no byte changes.
//
//   node bin/run-ts.js scripts/make-demo-site.ts
import { generateDemoSite } from '../harness/demo-site/generate.ts';

const manifest = await generateDemoSite();
const bytes = manifest.images.reduce((sum, image) => sum + image.bytes, 0);
console.log(
  `demo site: ${manifest.articles.length} articles, ${manifest.channels.length} channels, ` +
    `${manifest.images.length} images (${(bytes / 1024).toFixed(0)} KB) written to demo/site/`,
);
