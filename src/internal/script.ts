// Simplified <-> traditional Chinese with opencc-js, for prose only (callers keep URLs, code and ids out).
import type * as OpenCCModule from 'opencc-js';
import type { ScriptPolicy } from '../pipeline/types.ts';
import { lazyRequire } from './lazy-require.ts';

/**
 * Required on the first conversion (its CommonJS build): the package is 1.2 MB of dictionaries in JavaScript,
 * and importing it cost every `extract` and `run` ~40 ms of start-up, converting or not.
 */
const openCC = lazyRequire<typeof OpenCCModule>('opencc-js');

type Convert = (text: string) => string;

// Building a converter loads its dictionaries (tens of milliseconds): once per direction per process.
const converters = new Map<ScriptPolicy, Convert>();

/** Han characters: text without any needs no dictionary lookup. */
const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;

/** Converts one string of prose to the mirror's script; 'original' returns it unchanged. */
export function inScript(text: string, policy: ScriptPolicy): string {
  if (policy === 'original' || !HAN.test(text)) return text;
  const cached = converters.get(policy);
  if (cached) return cached(text);
  // 'tw' reads Taiwan and Hong Kong variants as well as OpenCC's standard traditional forms.
  const convert: Convert =
    policy === 'traditional'
      ? openCC().Converter({ from: 'cn', to: 'tw' })
      : openCC().Converter({ from: 'tw', to: 'cn' });
  converters.set(policy, convert);
  return convert(text);
}

/** The language tag of text converted to the mirror's script: readers pick the wrong glyphs without zh-Hant/zh-Hans. */
export function langInScript(lang: string, policy: ScriptPolicy): string {
  if (policy === 'original' || !/^zh\b/i.test(lang)) return lang;
  return policy === 'traditional' ? 'zh-Hant' : 'zh-Hans';
}
