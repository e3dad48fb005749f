// search.js: the search page's one script, served from the site itself. It repeats tokens.ts (tokens, folding
// table, shard hash) in plain browser JavaScript, fetches only the index files a query needs (one shard per token
// and segment), and writes results with textContent (titles are never parsed as HTML).

import { SEARCH_FOLDER, SEARCH_INDEX_VERSION } from './build.ts';
import { CJK_CLASS } from './tokens.ts';

/** Results shown for one query, newest first. */
const SHOWN = 50;

export const SEARCH_SCRIPT = `'use strict';
(() => {
  const form = document.getElementById('search-form');
  const input = document.getElementById('search-query');
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  if (!form || !input || !status || !list) return;
  const RUNS = new RegExp('[${CJK_CLASS}]+|(?:(?![${CJK_CLASS}])[\\\\p{L}\\\\p{N}\\\\p{M}])+', 'gu');
  const CJK = new RegExp('^[${CJK_CLASS}]', 'u');
  const cache = new Map();
  const load = (path) => {
    if (!cache.has(path)) {
      cache.set(path, fetch('${SEARCH_FOLDER}/' + path).then((response) => {
        if (!response.ok) throw new Error(path + ': ' + response.status);
        return response.json();
      }));
    }
    return cache.get(path);
  };
  const tokensOf = (text, variants) => {
    const tokens = new Set();
    for (const [run] of text.normalize('NFKC').toLowerCase().matchAll(RUNS)) {
      if (CJK.test(run)) {
        const chars = [...run].map((char) => variants[char] || char);
        if (chars.length === 1) tokens.add(chars[0]);
        for (let n = 0; n + 1 < chars.length; n++) tokens.add(chars[n] + chars[n + 1]);
      } else if (run.length > 1 || /\\d/.test(run)) {
        tokens.add(run);
      }
    }
    return [...tokens];
  };
  const hashOf = (token) => {
    let hash = 0x811c9dc5;
    for (let n = 0; n < token.length; n++) {
      hash ^= token.charCodeAt(n);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash;
  };
  // One shard per segment (segments hold ascending ranges of documents, so the lists join in order).
  const postings = async (token, meta) => {
    const lists = await Promise.all(meta.segments.map(async (segment, n) => {
      const shard = await load('index/' + n + '-' + (hashOf(token) % segment.shards) + '.json');
      const gaps = Object.prototype.hasOwnProperty.call(shard, token) ? shard[token] : [];
      let doc = 0;
      return gaps.map((gap) => (doc += gap));
    }));
    return lists.flat();
  };
  const show = (message, docs) => {
    status.textContent = message;
    list.replaceChildren(...docs.map(([title, href, channel, day]) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = href;
      link.textContent = title;
      const about = document.createElement('small');
      about.textContent = ' ' + [channel, day].filter(Boolean).join(' · ');
      item.append(link, about);
      return item;
    }));
  };
  let latest = 0;
  const search = async (query) => {
    const asked = ++latest;
    if (!query.trim()) return show('', []);
    const meta = await load('meta.json');
    if (meta.version !== ${SEARCH_INDEX_VERSION}) throw new Error('index version ' + meta.version);
    const tokens = tokensOf(query, meta.variants);
    if (tokens.length === 0) return show('请输入关键词', []);
    const lists = await Promise.all(tokens.map((token) => postings(token, meta)));
    lists.sort((a, b) => a.length - b.length);
    let hits = lists[0];
    for (const other of lists.slice(1)) {
      const set = new Set(other);
      hits = hits.filter((doc) => set.has(doc));
    }
    const top = hits.slice(-${SHOWN}).reverse();
    const docs = await Promise.all(top.map(async (doc) => (await load('docs/' + Math.floor(doc / meta.chunk) + '.json'))[doc % meta.chunk]));
    if (asked !== latest) return;
    show(hits.length === 0 ? '没有找到：' + query : '找到 ' + hits.length + ' 篇' + (hits.length > docs.length ? '，显示最新的 ' + docs.length + ' 篇' : ''), docs);
  };
  const run = () => {
    const query = input.value;
    const url = new URL(location.href);
    if (query) url.searchParams.set('q', query);
    else url.searchParams.delete('q');
    history.replaceState(null, '', url);
    search(query).catch((error) => {
      status.textContent = location.protocol === 'file:' ? '从本地文件打开时无法搜索，请从网站打开本页。' : '搜索出错：' + error.message;
    });
  };
  let timer;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run();
  });
  const initial = new URL(location.href).searchParams.get('q');
  if (initial) {
    input.value = initial;
    run();
  }
})();
`;
