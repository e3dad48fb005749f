// Mirrored images by their source URL (downloaded once, shared across pages), and images that failed.
import type { Database } from 'better-sqlite3';
import { orNull, withoutNulls } from './rows.ts';
import type { ImageFailure, ImageInput, ImageRecord } from './store.ts';

const IMAGE_COLUMNS = `src, asset_path AS assetPath, sha256, bytes, original_bytes AS originalBytes, width, height,
  content_type AS contentType, saved_at AS savedAt`;
const IMAGE_FAILURE_COLUMNS = `src, code, message, attempts, first_at AS firstAt, last_at AS lastAt`;

export const imageSql = {
  get: `SELECT ${IMAGE_COLUMNS} FROM images WHERE src = ?`,
  bySha256: `SELECT ${IMAGE_COLUMNS} FROM images WHERE sha256 = ? LIMIT 1`,
  save: `INSERT INTO images (src, asset_path, sha256, bytes, original_bytes, width, height, content_type, saved_at)
      VALUES (@src, @assetPath, @sha256, @bytes, @originalBytes, @width, @height, @contentType, @savedAt)
    ON CONFLICT (src) DO UPDATE SET asset_path = excluded.asset_path, sha256 = excluded.sha256,
      bytes = excluded.bytes, original_bytes = excluded.original_bytes, width = excluded.width,
      height = excluded.height, content_type = excluded.content_type, saved_at = excluded.saved_at`,
  clearFailure: `DELETE FROM image_failures WHERE src = ?`,
  recordFailure: `INSERT INTO image_failures (src, code, message, attempts, first_at, last_at)
      VALUES (@src, @code, @message, 1, @at, @at)
    ON CONFLICT (src) DO UPDATE SET code = excluded.code, message = excluded.message, attempts = attempts + 1,
      last_at = excluded.last_at
    RETURNING ${IMAGE_FAILURE_COLUMNS}`,
  listFailures: `SELECT ${IMAGE_FAILURE_COLUMNS} FROM image_failures ORDER BY first_at, src`,
} as const;

const asImage = (row: unknown) =>
  row === undefined ? undefined : withoutNulls<ImageRecord>(row as Record<string, unknown>);

export function imageQueries(db: Database) {
  const get = db.prepare(imageSql.get);
  const bySha256 = db.prepare(imageSql.bySha256);
  const save = db.prepare(imageSql.save);
  const clearFailure = db.prepare(imageSql.clearFailure);
  const recordFailure = db.prepare(imageSql.recordFailure);
  const listFailures = db.prepare(imageSql.listFailures);

  const saveImage = db.transaction((input: ImageInput) => {
    save.run({
      ...input,
      width: orNull(input.width),
      height: orNull(input.height),
      savedAt: input.savedAt ?? new Date().toISOString(),
    });
    clearFailure.run(input.src);
  });

  return {
    getImage: (src: string) => asImage(get.get(src)),
    getImageBySha256: (sha256: string) => asImage(bySha256.get(sha256)),
    saveImage: (input: ImageInput) => saveImage(input),
    recordImageFailure: (src: string, code: string, message: string, at = new Date().toISOString()) =>
      recordFailure.get({ src, code, message, at }) as ImageFailure,
    listFailedImages: () => listFailures.all() as ImageFailure[],
  };
}
