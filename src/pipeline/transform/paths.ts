// Mirror-root paths -> links relative to the page being written, so forks and copies work unchanged.
export { relativeLink } from '../../internal/paths.ts';
