// What may reach a page: GitHub's sanitisation, shared with the static site and the preview (src/internal).
export { GITHUB_SCHEMA as SANITIZE_SCHEMA } from '../../internal/github-schema.ts';
