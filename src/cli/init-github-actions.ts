// `newsmirror init --github-actions`: a workflow that runs the mirror hourly on GitHub's runners, in the
// repository that is the mirror, and pushes with the workflow's own token. The store (SQLite) is not committed:
// it travels between runs in the Actions cache, saved even when some articles failed.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const GITHUB_ACTIONS_WORKFLOW_PATH = '.github/workflows/newsmirror.yml';

/** Where the project lives; newsmirror is not on the npm registry, so the workflow installs it from git. */
export const NEWSMIRROR_REPOSITORY = 'https://github.com/newsmirror/newsmirror.git';

/** The git repository and the commit the workflow installs newsmirror from. */
export interface NewsmirrorSource {
  repo: string;
  /** A full commit id: a tag or branch could be moved under the workflow, a commit cannot. */
  ref: string;
}

/**
 * The commit of the clone this newsmirror runs from (and its `origin`, else the project's repository), so the
 * workflow runs the version that wrote it; undefined when newsmirror is not running from a git clone.
 */
export function sourceOfThisCheckout(): NewsmirrorSource | undefined {
  let root = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(root, 'package.json')) && dirname(root) !== root) root = dirname(root);
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', root, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  try {
    const ref = git('rev-parse', 'HEAD');
    let repo = NEWSMIRROR_REPOSITORY;
    try {
      repo = git('remote', 'get-url', 'origin') || repo;
    } catch {
      // no origin: the project's own repository
    }
    return { repo, ref };
  } catch {
    return undefined;
  }
}

export function githubActionsWorkflow(source: NewsmirrorSource): string {
  return `# Written by \`newsmirror init --github-actions\`. Runs newsmirror every hour in this repository, which is the
# mirror: commit newsmirror.yaml at its root with
#   mirror: { dir: ., remotes: [origin], ... }
#   store: { path: .newsmirror/store.sqlite }
# The pushes use this workflow's GITHUB_TOKEN (see permissions); add more remotes with their own secrets.
name: newsmirror

on:
  schedule:
    # Hourly, at minute 17: the top of the hour is when GitHub's scheduler is busiest and delays runs most.
    - cron: '17 * * * *'
  workflow_dispatch: {}

permissions:
  contents: write

# One run at a time: a run still pushing when the next is due makes the next one wait, never both at once.
concurrency:
  group: newsmirror-\${{ github.ref }}
  cancel-in-progress: false

env:
  NEWSMIRROR_REPO: ${source.repo}
  NEWSMIRROR_REF: ${source.ref}
  NEWSMIRROR_CONFIG: newsmirror.yaml
  NEWSMIRROR_STORE_DIR: .newsmirror

jobs:
  mirror:
    runs-on: ubuntu-latest
    timeout-minutes: 50
    steps:
      - name: Check out the mirror with its whole history
        uses: actions/checkout@v4
        with:
          fetch-depth: 0

      - name: Set up Node.js 22 (LTS)
        uses: actions/setup-node@v4
        with:
          node-version: 22

      # newsmirror is not on the npm registry: it is built from its git repository at one pinned commit, with the
      # dependencies its lockfile names (npm ci also builds dist/). Move the pin by editing NEWSMIRROR_REF.
      - name: Install newsmirror at the pinned commit
        shell: bash
        run: |
          dir="$RUNNER_TEMP/newsmirror"
          git init --quiet "$dir"
          git -C "$dir" fetch --quiet --depth 1 "$NEWSMIRROR_REPO" "$NEWSMIRROR_REF"
          git -C "$dir" checkout --quiet FETCH_HEAD
          (cd "$dir" && npm ci --no-audit --no-fund)
          echo "NEWSMIRROR_BIN=$dir/bin/newsmirror.js" >> "$GITHUB_ENV"

      # The newest store saved by an earlier run: each run saves under its own key, restore-keys takes the latest.
      - name: Restore the store
        uses: actions/cache/restore@v4
        with:
          path: \${{ env.NEWSMIRROR_STORE_DIR }}
          key: newsmirror-store-\${{ github.run_id }}
          restore-keys: |
            newsmirror-store-

      # The store lives in the work tree but must never be committed; info/exclude keeps it out without a commit.
      - name: Keep the store out of the mirror's commits
        run: echo "/\${NEWSMIRROR_STORE_DIR}/" >> .git/info/exclude

      # Exit 1 (only some articles failed; they are retried next run) is a warning, not a failed job; 3 (a channel
      # or a push failed, or the run did) and 2 (bad config) fail the job.
      - name: Mirror, commit and push
        shell: bash
        run: |
          set +e
          node "$NEWSMIRROR_BIN" run -c "$NEWSMIRROR_CONFIG"
          code=$?
          set -e
          if [ "$code" -eq 1 ]; then
            echo "::warning title=newsmirror::some articles failed (listed above); the next run retries them"
          elif [ "$code" -ne 0 ]; then
            echo "::error title=newsmirror::the run failed with exit $code (see the log above)"
            exit "$code"
          fi

      # Saved whatever the run's exit code: the next run must know what was mirrored.
      - name: Save the store
        if: always()
        uses: actions/cache/save@v4
        with:
          path: \${{ env.NEWSMIRROR_STORE_DIR }}
          key: newsmirror-store-\${{ github.run_id }}
`;
}

/**
 * Writes the workflow to `path` (default .github/workflows/newsmirror.yml); 2 when it exists and not `force`, or
 * when no commit to pin is given and newsmirror does not run from a git clone.
 */
export async function writeGithubActionsWorkflow(
  path: string = GITHUB_ACTIONS_WORKFLOW_PATH,
  force = false,
  given: Partial<NewsmirrorSource> = {},
): Promise<number> {
  if (existsSync(path) && !force) {
    process.stderr.write(`newsmirror init: ${path} exists; pass --force to overwrite\n`);
    return 2;
  }
  const here = given.ref ? undefined : sourceOfThisCheckout();
  const ref = given.ref ?? here?.ref;
  if (!ref || !/^[0-9a-f]{40}$/i.test(ref)) {
    process.stderr.write(
      `newsmirror init: ${ref ? `"${ref}" is not a full commit id` : 'newsmirror does not run from a git clone'}; ` +
        'pass --ref <40-hex commit> (and --repo <git URL>) for the workflow to install\n',
    );
    return 2;
  }
  const repo = given.repo ?? here?.repo ?? NEWSMIRROR_REPOSITORY;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, githubActionsWorkflow({ repo, ref }));
  process.stdout.write(
    `wrote ${path}: hourly runs with workflow_dispatch, newsmirror from ${repo} at ${ref.slice(0, 12)} ` +
      '(that commit must be pushed there); commit it with newsmirror.yaml ' +
      `(mirror.dir: ., store.path: .newsmirror/store.sqlite)\n`,
  );
  return 0;
}
