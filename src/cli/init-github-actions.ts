// `newsmirror init --github-actions`: a workflow that runs the mirror hourly on GitHub's runners, in the
// repository that is the mirror, and pushes with the workflow's own token. The store (SQLite) is not committed:
// it travels between runs in the Actions cache, saved even when some articles failed.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export const GITHUB_ACTIONS_WORKFLOW_PATH = '.github/workflows/newsmirror.yml';

export function githubActionsWorkflow(): string {
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

      - name: Set up Node.js 20
        uses: actions/setup-node@v4
        with:
          node-version: 20

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

      - name: Mirror, commit and push
        run: npx --yes newsmirror run -c "$NEWSMIRROR_CONFIG"

      # Saved whatever the run's exit code (1 = some articles failed): the next run must know what was mirrored.
      - name: Save the store
        if: always()
        uses: actions/cache/save@v4
        with:
          path: \${{ env.NEWSMIRROR_STORE_DIR }}
          key: newsmirror-store-\${{ github.run_id }}
`;
}

/** Writes the workflow to `path` (default .github/workflows/newsmirror.yml); 2 when it exists and not `force`. */
export async function writeGithubActionsWorkflow(
  path: string = GITHUB_ACTIONS_WORKFLOW_PATH,
  force = false,
): Promise<number> {
  if (existsSync(path) && !force) {
    process.stderr.write(`newsmirror init: ${path} exists; pass --force to overwrite\n`);
    return 2;
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, githubActionsWorkflow());
  process.stdout.write(
    `wrote ${path}: hourly runs with workflow_dispatch; commit it with newsmirror.yaml ` +
      `(mirror.dir: ., store.path: .newsmirror/store.sqlite)\n`,
  );
  return 0;
}
