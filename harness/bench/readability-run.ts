// The Readability + Turndown baseline as a whole process, for the end-to-end bench (e2e.ts), bundled with esbuild
// and run with plain node as newsmirror is:  node readability-run.mjs ORIGIN OUT_DIR CHANNEL...
// Prints `written N failed M` on stdout. No store, no images, no git (baseline.ts says why).
import { runBaseline } from './baseline.ts';

const [origin, outDir, ...channels] = process.argv.slice(2);
const outcome = await runBaseline({ origin, outDir, channels, feed: false });
process.stdout.write(`written ${outcome.written} failed ${outcome.failed}\n`);
