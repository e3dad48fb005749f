// Command line of the kill test (harness/kill-test.ts): SIGKILLs `newsmirror run` at random moments over a copy of
// the demo site and checks every invariant after each recovering run.
//
//   node bin/run-ts.js scripts/kill-test.ts [--kills 50] [--seed 12345] [--verbose]
import { runKillTest } from '../harness/kill-test.ts';

function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index === -1 ? undefined : process.argv[index + 1];
}

const kills = Number(argValue('--kills') ?? 50);
const seed = Number(argValue('--seed') ?? Math.floor(Math.random() * 2 ** 31));
const verbose = process.argv.includes('--verbose');
console.log(`kill test: ${kills} kills, seed ${seed} (replay with --seed ${seed})`);
const started = Date.now();
try {
  const result = await runKillTest({
    kills,
    seed,
    log: verbose ? (line) => console.log(line) : undefined,
  });
  console.log(
    `survived ${result.kills} kills in ${result.cycles} cycles (${result.finishedBeforeKill} runs finished first), ` +
      `${result.articles} articles, ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  console.log(`state left by the kills: ${JSON.stringify(result.phases)}`);
} catch (error) {
  console.error(`kill test FAILED (seed ${seed}): ${(error as Error).stack ?? error}`);
  process.exitCode = 1;
}
