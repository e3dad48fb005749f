// What each article page shows from elsewhere (its images, the links in its body), on PostgreSQL; see
// ../article-refs.ts for why it is kept.
import { StoreError } from '../errors.ts';
import type { ArticleKey, ArticleRefs, RefKind } from '../store.ts';
import type { Session } from './session.ts';

export const pgArticleRefSql = {
  keyOf: `SELECT key FROM articles WHERE site_id = $1 AND id = $2`,
  clear: `DELETE FROM article_refs WHERE article_key = $1`,
  add: `INSERT INTO article_refs (url, kind, article_key)
    SELECT url, kind, $3::bigint FROM unnest($1::text[], $2::text[]) AS r(url, kind)
    ON CONFLICT DO NOTHING`,
  ofArticle: `SELECT r.url AS url, r.kind AS kind FROM article_refs r JOIN articles a ON a.key = r.article_key
    WHERE a.site_id = $1 AND a.id = $2`,
  referencing: `SELECT a.site_id AS "siteId", a.id AS id FROM article_refs r JOIN articles a ON a.key = r.article_key
    WHERE r.url = $1 AND r.kind = $2`,
} as const;

export function pgArticleRefQueries(session: Session) {
  return {
    async saveArticleRefs(siteId: string, id: string, refs: ArticleRefs): Promise<void> {
      const { rows } = await session.query<{ key: number }>(pgArticleRefSql.keyOf, [siteId, id]);
      if (rows.length === 0) {
        throw new StoreError(`store: no article ${siteId}/${id} to record references of`, {
          code: 'unknown_article',
          where: `${siteId}/${id}`,
          retryable: false,
        });
      }
      const key = rows[0].key;
      const urls = [...refs.images, ...refs.links];
      const kinds = [...refs.images.map(() => 'image'), ...refs.links.map(() => 'link')];
      await session.atomic(async (conn) => {
        await conn.query(pgArticleRefSql.clear, [key]);
        if (urls.length > 0) await conn.query(pgArticleRefSql.add, [urls, kinds, key]);
      });
    },
    async articleRefs(siteId: string, id: string): Promise<ArticleRefs> {
      const refs: ArticleRefs = { images: [], links: [] };
      const { rows } = await session.query<{ url: string; kind: RefKind }>(pgArticleRefSql.ofArticle, [
        siteId,
        id,
      ]);
      for (const row of rows) (row.kind === 'image' ? refs.images : refs.links).push(row.url);
      return refs;
    },
    articlesReferencing: async (url: string, kind: RefKind): Promise<ArticleKey[]> =>
      (await session.query<ArticleKey>(pgArticleRefSql.referencing, [url, kind])).rows,
  };
}
