import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { leadImageRefusal } from '../../../src/pipeline/extract/lead-image.ts';

describe('leadImageRefusal', () => {
  test('a picture of the story passes', () => {
    assert.equal(
      leadImageRefusal({ src: 'https://a.example/photos/harbour.jpg', width: '1200', height: '800' }),
      undefined,
    );
    assert.equal(
      leadImageRefusal({ src: '/photos/x.jpg', width: '100%', srcset: 'x-480.jpg 480w, x.jpg 1200w' }),
      undefined,
    );
  });

  test('a declared size under 100 px a side is refused', () => {
    assert.equal(leadImageRefusal({ src: '/p.jpg', width: '48', height: '48' }), 'small');
    assert.equal(leadImageRefusal({ src: '/p.jpg', height: '80px' }), 'small');
    assert.equal(leadImageRefusal({ src: '/p.jpg', style: 'width: 32px; height: 32px' }), 'small');
    assert.equal(leadImageRefusal({ src: '/p.jpg', srcset: '/p-40.jpg 40w, /p-80.jpg 80w' }), 'small');
    assert.equal(leadImageRefusal({ src: '/uploads/jane-150x90.jpg' }), 'small');
    assert.equal(leadImageRefusal({ src: '/a/jane.jpeg?w=88&h=88' }), 'small');
  });

  test('icons, logos, avatars, badges, sprites and pixels are refused by URL, class or alt', () => {
    for (const src of [
      '/icons/share.png',
      '/img/site-logo.png',
      '/badges/x.png',
      '/sprites.png',
      '/t/1x1.gif',
      '/a/b.svg',
    ])
      assert.equal(leadImageRefusal({ src }), 'icon', src);
    assert.equal(leadImageRefusal({ src: '/p/jane.jpg', class: 'author-avatar' }), 'icon');
    assert.equal(leadImageRefusal({ src: '/p/jane.jpg', alt: 'Headshot of Jane Doe' }), 'icon');
    assert.equal(leadImageRefusal({ src: '/p/company.png', alt: 'Acme logo' }), 'icon');
  });
});
