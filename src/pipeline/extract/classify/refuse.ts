// When a page the generic extractor could read is still turned down as "not an article".
import type { PageGuess } from './classify.ts';

/** Pages of these kinds list other pages: mirroring one as an article would publish a list of teasers. */
export const REFUSED_TYPES = ['listing', 'collection'] as const;

/**
 * Only a confident guess refuses a page: an article wrongly refused is lost to readers, a listing wrongly kept
 * is one odd page. Chosen from the cross-validated counts that scripts/train-page-classifier.ts prints.
 */
export const REFUSE_PROBABILITY = 0.8;

/** Why the page is not mirrored as an article, or undefined when it may be. */
export function refusalOf(guess: PageGuess): string | undefined {
  if (!(REFUSED_TYPES as readonly string[]).includes(guess.type) || guess.probability < REFUSE_PROBABILITY) {
    return undefined;
  }
  return `the page reads as a ${guess.type} page (classifier, p=${guess.probability.toFixed(2)})`;
}
