// The preview: an image shown by an <img> of the file's own URL (the CSP allows same-origin
// images), or the first 64 KiB of a text file as text (textContent: HTML stays text). Esc
// closes it, as any modal dialog, and so does its Close button.
import * as api from './api.js';
import { encodePath, formatSize } from './dav.js';
import { $ } from './dom.js';
import { previewKind, previewLabel } from './preview.js';

let opened = 0; // counts previews, so that a slow read never fills a later one

/** Shows {@code entry} in the preview; false (and nothing shown) when its type has none. */
export function preview(entry) {
  const kind = previewKind(entry);
  if (kind === null) {
    return false;
  }
  const dialog = $('preview');
  const mine = ++opened;
  const img = $('preview-img');
  const pre = $('preview-text');
  clear();
  $('preview-name').textContent = entry.name;
  $('preview-label').textContent = kind === 'image' ? formatSize(entry.size) : 'loading…';
  $('preview-download').setAttribute('href', encodePath(entry.path));
  $('preview-download').setAttribute('download', entry.name);
  img.hidden = kind !== 'image';
  pre.hidden = kind !== 'text';
  $('preview-close').onclick = () => dialog.close();
  dialog.onclose = () => { opened++; clear(); };
  if (!dialog.open) {
    dialog.showModal();
  }
  $('preview-close').focus();
  if (kind === 'image') {
    img.alt = entry.name;
    img.src = encodePath(entry.path);
  } else {
    showText(entry, mine);
  }
  return true;
}

async function showText(entry, mine) {
  try {
    const { bytes, total } = await api.readStart(entry.path);
    if (mine === opened) {
      // stream: true keeps back a character cut in two by the range, instead of showing U+FFFD.
      $('preview-text').textContent = new TextDecoder().decode(bytes, { stream: true });
      $('preview-label').textContent = previewLabel(total);
    }
  } catch (e) {
    if (mine === opened) {
      $('preview-label').textContent = 'cannot read it: ' + e.message;
    }
  }
}

function clear() {
  $('preview-img').removeAttribute('src');
  $('preview-text').textContent = '';
}
