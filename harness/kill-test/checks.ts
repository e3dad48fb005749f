// What the kill test holds the mirror, the store and the remote to after each recovering run, and how far a
// killed run got (judged from what it left behind).
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';

const execFileAsync = promisify(execFile);

export interface ExpectedArticle {
  id: string;
  homeChannel: string;
  channels: string[];
}

async function gitOut(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, { cwd, env: { ...process.env, LC_ALL: 'C' } });
  return stdout;
}

function walk(dir: string, skip: (name: string) => boolean = () => false): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...walk(path, skip));
    else found.push(path);
  }
  return found;
}

function storeRows(storePath: string): Array<{ id: string; n: number; unrendered: number }> {
  const db = new Database(storePath, { fileMustExist: true });
  try {
    return db
      .prepare('SELECT id, count(*) AS n, max(needs_render) AS unrendered FROM articles GROUP BY site_id, id')
      .all() as Array<{ id: string; n: number; unrendered: number }>;
  } finally {
    db.close();
  }
}

/** What the killed run left: how far it got, judged from the store, the work tree and the remote. */
export async function describeLeftovers(
  mirrorDir: string,
  remotePath: string,
  storePath: string,
  expected: Map<string, ExpectedArticle>,
): Promise<string> {
  if (!existsSync(join(mirrorDir, '.git', 'HEAD'))) return 'before git init';
  const rows = existsSync(storePath) ? storeRows(storePath) : [];
  const temp = walk(mirrorDir, (name) => name === '.git').filter((file) => /\.tmp-/.test(file)).length;
  const dirty = (await gitOut(mirrorDir, ['status', '--porcelain'])).trim() !== '';
  const head = (await gitOut(mirrorDir, ['rev-parse', '-q', '--verify', 'HEAD']).catch(() => '')).trim();
  const remoteHead = (
    await gitOut(remotePath, ['rev-parse', '-q', '--verify', 'refs/heads/main']).catch(() => '')
  ).trim();
  if (temp > 0) return 'writing files';
  if (dirty) return 'files written, not committed';
  if (head !== remoteHead) return 'committed, not pushed';
  if (rows.some((row) => row.unrendered)) return 'articles stored, not rendered';
  if (rows.length < expected.size) return 'discovering or fetching';
  return 'pushed, finishing';
}

export async function checkInvariants(
  mirrorDir: string,
  remotePath: string,
  storePath: string,
  expected: Map<string, ExpectedArticle>,
): Promise<void> {
  const fail = (what: string) => {
    throw new Error(`invariant broken: ${what}`);
  };
  const files = walk(mirrorDir, (name) => name === '.git').map((file) => relative(mirrorDir, file));

  // Exactly one page per article, where the article's home channel puts it, and no other page.
  const pages = files.filter((file) => file.startsWith('pages/') && file.endsWith('.md'));
  const pageIds = pages.map((page) => page.replace(/^.*\//, '').replace(/\.md$/, ''));
  if (new Set(pageIds).size !== pageIds.length) fail(`a page is written twice: ${pages.join(', ')}`);
  for (const article of expected.values()) {
    if (!pages.includes(`pages/${article.homeChannel}/${article.id}.md`)) fail(`no page for ${article.id}`);
  }
  if (pages.length !== expected.size)
    fail(`${pages.length} pages for ${expected.size} articles: ${pageIds.join(',')}`);

  // No temp files; a clean tree; no git lock left.
  const temp = files.filter((file) => /\.tmp-/.test(file));
  if (temp.length > 0) fail(`temp files left: ${temp.join(', ')}`);
  const status = (await gitOut(mirrorDir, ['status', '--porcelain'])).trim();
  if (status) fail(`git status not clean:\n${status}`);
  if (existsSync(join(mirrorDir, '.git', 'index.lock'))) fail('.git/index.lock left');

  // Every channel's CSV lists each of its articles once and nothing else; each index page lists no article twice
  // and together they list them all.
  const byChannel = new Map<string, Set<string>>();
  for (const article of expected.values()) {
    for (const channel of article.channels) {
      if (!byChannel.has(channel)) byChannel.set(channel, new Set());
      byChannel.get(channel)!.add(article.id);
    }
  }
  for (const [channel, ids] of byChannel) {
    const rows = readFileSync(join(mirrorDir, 'indexes', `${channel}.csv`), 'utf8')
      .split('\n')
      .filter(Boolean);
    if (new Set(rows).size !== rows.length) fail(`duplicate rows in indexes/${channel}.csv`);
    const csvIds = rows.map((row) => row.split(',')[0]);
    if (new Set(csvIds).size !== csvIds.length) fail(`an article listed twice in indexes/${channel}.csv`);
    if (csvIds.length !== ids.size || !csvIds.every((id) => ids.has(id))) {
      fail(`indexes/${channel}.csv lists ${csvIds.length} articles, expected ${ids.size}`);
    }
    const indexPages = files.filter(
      (file) => file === `indexes/${channel}.md` || file.startsWith(`indexes/${channel}/`),
    );
    const listed = new Set<string>();
    for (const indexPage of indexPages) {
      const linked = [...readFileSync(join(mirrorDir, indexPage), 'utf8').matchAll(/\/([^/()]+)\.md\?/g)]
        .map((match) => match[1])
        .filter((id) => ids.has(id));
      if (new Set(linked).size !== linked.length) fail(`${indexPage} lists an article twice`);
      for (const id of linked) listed.add(id);
    }
    if (listed.size !== ids.size)
      fail(`the indexes of ${channel} list ${listed.size} of ${ids.size} articles`);
  }

  // The store has one row per article.
  const rows = storeRows(storePath);
  if (rows.some((row) => row.n !== 1)) fail('an article has several store rows');
  if (rows.length !== expected.size) fail(`${rows.length} store rows for ${expected.size} articles`);

  // The remote has every page, at our commit.
  const head = (await gitOut(mirrorDir, ['rev-parse', 'HEAD'])).trim();
  const remoteHead = (await gitOut(remotePath, ['rev-parse', 'refs/heads/main'])).trim();
  if (head !== remoteHead) fail(`remote at ${remoteHead.slice(0, 10)}, mirror at ${head.slice(0, 10)}`);
  const remoteFiles = new Set(
    (await gitOut(remotePath, ['ls-tree', '-r', '--name-only', 'main'])).split('\n'),
  );
  for (const page of pages) if (!remoteFiles.has(page)) fail(`remote lacks ${page}`);
}
