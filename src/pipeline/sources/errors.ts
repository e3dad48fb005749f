// Why a channel yielded no links. The pipeline logs it for the channel and goes on with the others.
import { NewsmirrorError } from '../../internal/errors.ts';

/**
 * A feed, sitemap or listing page could not be read (broken XML, not a feed, a selector that cannot be
 * parsed). `where` is its URL. Retryable: a truncated or temporarily wrong response is often fine next run.
 */
export class SourceError extends NewsmirrorError {}
