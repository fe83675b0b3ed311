// Tests of which files the browser UI previews and how (webapp/preview.js), run by `node --test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as p from '../../../webapp/preview.js';

const file = (name, type) => ({ name, type, collection: false });

test('good: previewKind shows png, jpeg, gif and webp as images', () => {
  for (const t of ['image/png', 'image/jpeg', 'image/gif', 'IMAGE/WEBP; q=1']) {
    assert.equal(p.previewKind(file('x.bin', t)), 'image', t);
  }
});

test('good: previewKind shows text types and text names as text, HTML too', () => {
  assert.equal(p.previewKind(file('a', 'text/plain; charset=utf-8')), 'text');
  assert.equal(p.previewKind(file('page.html', 'text/html')), 'text');
  assert.equal(p.previewKind(file('a', 'application/json')), 'text');
  assert.equal(p.previewKind(file('a', 'application/xml')), 'text');
  for (const n of ['a.txt', 'b.MD', 'c.csv', 'd.log', 'e.json', 'f.xml', 'g.js', 'h.css', 'i.htm']) {
    assert.equal(p.previewKind(file(n, 'application/octet-stream')), 'text', n);
  }
});

test('bad: previewKind downloads SVG, folders and other types', () => {
  assert.equal(p.previewKind(file('logo.svg', 'image/svg+xml')), null);
  assert.equal(p.previewKind(file('logo.svg.txt', 'image/svg+xml')), null);
  assert.equal(p.previewKind(file('a.bin', 'application/octet-stream')), null);
  assert.equal(p.previewKind(file('a.pdf', '')), null);
  assert.equal(p.previewKind({ name: 'd.txt', type: '', collection: true }), null);
});

test('good: the ranged read asks for the first 64 KiB', () => {
  assert.equal(p.PREVIEW_RANGE, 'bytes=0-65535');
  assert.equal(p.PREVIEW_BYTES, 65536);
});

test('good: totalLength reads a 206 Content-Range, else the body length', () => {
  assert.equal(p.totalLength(206, 'bytes 0-65535/200000', 65536), 200000);
  assert.equal(p.totalLength(200, null, 12), 12);
  assert.equal(p.totalLength(206, 'bytes 0-65535/*', 65536), 65536);
});

test('good: previewLabel says when the text is cut', () => {
  assert.equal(p.previewLabel(12), '12 B');
  assert.equal(p.previewLabel(65536), '64.0 KiB');
  assert.equal(p.previewLabel(200000), 'first 64 KiB of 195 KiB');
});
