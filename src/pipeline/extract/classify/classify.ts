// Which kind of page this is: a softmax (multinomial logistic) model over pageFeatures, trained on WCXB's
// development split by scripts/train-page-classifier.ts and shipped as model.ts, so nothing is downloaded.
import type { Document } from 'domhandler';
import { FEATURE_NAMES, pageFeatures } from './features.ts';
import { PAGE_MODEL } from './model.ts';

export type PageType = (typeof PAGE_MODEL.classes)[number];

export interface PageGuess {
  type: PageType;
  /** The model's probability for `type`, 0..1. */
  probability: number;
}

export interface PageModel {
  classes: readonly string[];
  features: readonly string[];
  mean: readonly number[];
  scale: readonly number[];
  /** One row per class: a weight per feature, then the bias. */
  weights: readonly (readonly number[])[];
}

/** Class probabilities for standardized features. */
export function softmaxScores(model: PageModel, features: readonly number[]): number[] {
  const x = features.map((value, i) => (value - model.mean[i]) / (model.scale[i] || 1));
  const logits = model.weights.map((row) =>
    row.reduce((sum, w, i) => sum + w * (i < x.length ? x[i] : 1), 0),
  );
  const top = Math.max(...logits);
  const exp = logits.map((logit) => Math.exp(logit - top));
  const total = exp.reduce((a, b) => a + b, 0);
  return exp.map((value) => value / total);
}

/** The most likely kind of page, from the page as parsed (before extraction changes it). */
export function classifyPage(document: Document, url: string): PageGuess {
  if (PAGE_MODEL.features.length !== FEATURE_NAMES.length) {
    throw new Error(
      'page model: its features do not match pageFeatures; run scripts/train-page-classifier.ts',
    );
  }
  const scores = softmaxScores(PAGE_MODEL, pageFeatures(document, url));
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
  return { type: PAGE_MODEL.classes[best] as PageType, probability: scores[best] };
}
