import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as render from '../../../src/pipeline/render/index.ts';
import * as transform from '../../../src/pipeline/transform/index.ts';

test('the render stage exposes its public API', () => {
  assert.deepEqual(Object.keys(render).sort(), [
    'ORIGINAL_LINK_LABEL',
    'SHARE_LABEL',
    'archiveIndexPath',
    'cacheBuster',
    'newestIndexPath',
    'publicUrlOf',
    'renderChannelCsv',
    'renderChannelIndexes',
    'renderFeed',
    'renderHome',
    'renderMirrorsList',
    'renderPage',
    'renderQrPng',
    'toMarkdown',
    'toPlainText',
  ]);
});

test('the transform stage exposes its public API', () => {
  assert.deepEqual(Object.keys(transform).sort(), [
    'SANITIZE_SCHEMA',
    'collectImageUrls',
    'transformArticle',
  ]);
});
