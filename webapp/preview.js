// Which files the page shows inline and how, free of the DOM so that `node --test` runs it.
// Images are shown by an <img> of the file's own URL; text is read in its first 64 KiB and
// shown as text, never as markup (an HTML file too). SVG is an image that can carry script, so
// it is downloaded like any other type.
import { formatSize } from './dav.js';

/** The most bytes of a text file the preview reads. */
export const PREVIEW_BYTES = 65536;

/** The Range header of that read (RFC 9110 §14.1.2: both ends inclusive). */
export const PREVIEW_RANGE = 'bytes=0-' + (PREVIEW_BYTES - 1);

const IMAGES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
const TEXTS = ['application/json', 'application/xml'];
const TEXT_NAMES = /\.(txt|md|csv|log|json|xml|js|css|html?)$/i;

/** The media type of a Content-Type value, lowercase, without parameters. */
function mediaType(type) {
  return (type || '').split(';')[0].trim().toLowerCase();
}

/** How an entry is previewed: "image", "text", or null (it downloads). */
export function previewKind(entry) {
  if (entry.collection) {
    return null;
  }
  const t = mediaType(entry.type);
  if (IMAGES.includes(t)) {
    return 'image';
  }
  if (t.startsWith('image/')) {
    return null; // image/svg+xml among them: a download, never rendered
  }
  if (t.startsWith('text/') || TEXTS.includes(t) || TEXT_NAMES.test(entry.name)) {
    return 'text';
  }
  return null;
}

/**
 * The whole length of a file from the answer to the ranged read: the length after the slash of
 * a 206's Content-Range ("bytes 0-65535/200000"), else (a 200) the length of the body read.
 */
export function totalLength(status, contentRange, bodyLength) {
  const m = /^\s*bytes\s+\d+-\d+\/(\d+)\s*$/i.exec(contentRange || '');
  return status === 206 && m ? Number(m[1]) : bodyLength;
}

/** What the preview says under the name: the size, or the part of it shown. */
export function previewLabel(total) {
  return total > PREVIEW_BYTES ? 'first 64 KiB of ' + formatSize(total) : formatSize(total);
}
