// Mirrored images by their source URL, and images that failed, on PostgreSQL (see ../images.ts).
import { orNull, withoutNulls } from '../rows.ts';
import type { ImageFailure, ImageInput, ImageRecord } from '../store.ts';
import type { Session } from './session.ts';

const IMAGE_COLUMNS = `src, asset_path AS "assetPath", sha256, bytes, original_bytes AS "originalBytes", width,
  height, content_type AS "contentType", saved_at AS "savedAt"`;
const IMAGE_FAILURE_COLUMNS = `src, code, message, attempts, first_at AS "firstAt", last_at AS "lastAt"`;

export const pgImageSql = {
  get: `SELECT ${IMAGE_COLUMNS} FROM images WHERE src = $1`,
  bySha256: `SELECT ${IMAGE_COLUMNS} FROM images WHERE sha256 = $1 LIMIT 1`,
  // The save and the clearing of its failure in one statement: atomic without a transaction of its own.
  save: `WITH saved AS (
      INSERT INTO images (src, asset_path, sha256, bytes, original_bytes, width, height, content_type, saved_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
      ON CONFLICT (src) DO UPDATE SET asset_path = excluded.asset_path, sha256 = excluded.sha256,
        bytes = excluded.bytes, original_bytes = excluded.original_bytes, width = excluded.width,
        height = excluded.height, content_type = excluded.content_type, saved_at = excluded.saved_at
      RETURNING src)
    DELETE FROM image_failures WHERE src IN (SELECT src FROM saved)`,
  recordFailure: `INSERT INTO image_failures AS f (src, code, message, attempts, first_at, last_at)
      VALUES ($1, $2, $3, 1, $4, $4)
    ON CONFLICT (src) DO UPDATE SET code = excluded.code, message = excluded.message, attempts = f.attempts + 1,
      last_at = excluded.last_at
    RETURNING ${IMAGE_FAILURE_COLUMNS}`,
  listFailures: `SELECT ${IMAGE_FAILURE_COLUMNS} FROM image_failures ORDER BY first_at, src`,
} as const;

const asImage = (row: Record<string, unknown> | undefined) =>
  row === undefined ? undefined : withoutNulls<ImageRecord>(row);

export function pgImageQueries(session: Session) {
  return {
    getImage: async (src: string) => asImage((await session.query(pgImageSql.get, [src])).rows[0]),
    getImageBySha256: async (sha256: string) =>
      asImage((await session.query(pgImageSql.bySha256, [sha256])).rows[0]),
    async saveImage(input: ImageInput): Promise<void> {
      await session.query(pgImageSql.save, [
        input.src,
        input.assetPath,
        input.sha256,
        input.bytes,
        input.originalBytes,
        orNull(input.width),
        orNull(input.height),
        input.contentType,
        input.savedAt ?? new Date().toISOString(),
      ]);
    },
    recordImageFailure: async (src: string, code: string, message: string, at = new Date().toISOString()) =>
      (await session.query<ImageFailure>(pgImageSql.recordFailure, [src, code, message, at])).rows[0],
    listFailedImages: async () => (await session.query<ImageFailure>(pgImageSql.listFailures)).rows,
  };
}
