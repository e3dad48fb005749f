// `newsmirror worker` processes for the queue tests and the queue bench: the built CLI (bin/newsmirror.js, so
// `npm run build` first), each started and awaited until it takes jobs.
import { type ChildProcess, spawn } from 'node:child_process';

const CLI = new URL('../bin/newsmirror.js', import.meta.url).pathname;

export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  output(): string;
}

export async function startWorker(
  configFile: string,
  options: { concurrency?: number } = {},
): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    [CLI, 'worker', '-c', configFile, '--concurrency', String(options.concurrency ?? 4)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk) => {
      output += chunk;
      if (output.includes('worker: taking jobs')) resolve();
    });
    exited.then((code) => reject(new Error(`worker exited ${code} before it was ready: ${output}`)));
  });
  return { child, exited, output: () => output };
}

/** Stops a worker as an operator does (SIGTERM) and waits for it; SIGKILL if it is already gone does nothing. */
export async function stopWorker(worker: WorkerProcess): Promise<number | null> {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGTERM');
  return worker.exited;
}
