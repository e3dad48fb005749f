// Titles from the store and the frame's own labels follow the mirror's script (simplified or traditional),
// like the article bodies the transform stage converted. Text only: callers never pass URLs here.
import * as OpenCC from 'opencc-js';
import type { ScriptPolicy } from '../types.ts';

type Convert = (text: string) => string;

// Building a converter loads its dictionaries (tens of milliseconds): once per direction per process.
const converters = new Map<ScriptPolicy, Convert>();

/** Han characters: text without any needs no dictionary lookup. */
const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;

export function inScript(text: string, policy: ScriptPolicy): string {
  if (policy === 'original' || !HAN.test(text)) return text;
  const cached = converters.get(policy);
  if (cached) return cached(text);
  // The same directions as the transform stage: 'tw' also reads Hong Kong and OpenCC standard forms.
  const convert =
    policy === 'traditional'
      ? OpenCC.Converter({ from: 'cn', to: 'tw' })
      : OpenCC.Converter({ from: 'tw', to: 'cn' });
  converters.set(policy, convert);
  return convert(text);
}
