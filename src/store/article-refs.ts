// What each article page shows from elsewhere (its images, the links in its body), so the pages that show an image
// mirrored late, or link to an article mirrored later, can be found and rendered again without reading every page.
import type { Database } from 'better-sqlite3';
import { StoreError } from './errors.ts';
import type { ArticleKey, ArticleRefs, RefKind } from './store.ts';

export const articleRefSql = {
  keyOf: `SELECT key FROM articles WHERE site_id = ? AND id = ?`,
  clear: `DELETE FROM article_refs WHERE article_key = ?`,
  add: `INSERT OR IGNORE INTO article_refs (url, kind, article_key) VALUES (?, ?, ?)`,
  ofArticle: `SELECT r.url AS url, r.kind AS kind FROM article_refs r JOIN articles a ON a.key = r.article_key
    WHERE a.site_id = ? AND a.id = ?`,
  referencing: `SELECT a.site_id AS siteId, a.id AS id FROM article_refs r JOIN articles a ON a.key = r.article_key
    WHERE r.url = ? AND r.kind = ?`,
} as const;

export function articleRefQueries(db: Database) {
  const keyOf = db.prepare(articleRefSql.keyOf);
  const clear = db.prepare(articleRefSql.clear);
  const add = db.prepare(articleRefSql.add);
  const referencing = db.prepare(articleRefSql.referencing);
  const ofArticle = db.prepare(articleRefSql.ofArticle);
  const replace = db.transaction((key: number, refs: ArticleRefs) => {
    clear.run(key);
    for (const url of refs.images) add.run(url, 'image', key);
    for (const url of refs.links) add.run(url, 'link', key);
  });
  return {
    saveArticleRefs(siteId: string, id: string, refs: ArticleRefs): void {
      const row = keyOf.get(siteId, id) as { key: number } | undefined;
      if (!row) {
        throw new StoreError(`store: no article ${siteId}/${id} to record references of`, {
          code: 'unknown_article',
          where: `${siteId}/${id}`,
          retryable: false,
        });
      }
      replace(row.key, refs);
    },
    articleRefs(siteId: string, id: string): ArticleRefs {
      const refs: ArticleRefs = { images: [], links: [] };
      for (const row of ofArticle.all(siteId, id) as Array<{ url: string; kind: RefKind }>) {
        (row.kind === 'image' ? refs.images : refs.links).push(row.url);
      }
      return refs;
    },
    articlesReferencing(url: string, kind: RefKind): ArticleKey[] {
      return referencing.all(url, kind) as ArticleKey[];
    },
  };
}
