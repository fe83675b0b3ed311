// An item's properties, free of the DOM so that `node --test` runs it: the PROPFIND allprop
// answer read into {ns, name, value}, the PROPPATCH bodies that set and remove a dead property
// (RFC 4918 §9.2), and the failures a PROPPATCH's 207 names.
import { dav, davAll, parseXml, statusCode } from './dav.js';

const DAV = 'DAV:';

/** The request body of a PROPFIND of every property (RFC 4918 §9.1, §14.2). */
export const ALLPROP_BODY = '<?xml version="1.0" encoding="utf-8"?>\n'
  + '<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>';

/** A string as XML character data or attribute value. */
export function escapeXml(s) {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c])
    .replace(/\r/g, '&#13;'); // kept, not turned into \n by the parser (XML 1.0 §2.11)
}

/** A property's value as text: its text, or, when it holds elements, its XML as it came. */
function valueOf(el, source) {
  return el.children.length === 0 ? el.text : source.slice(el.from, el.to).trim();
}

/**
 * The properties of the first resource of a multistatus (a PROPFIND Depth 0), those found
 * (status 200): [{ns, name, value, dead}], the live (DAV:) ones first, then by namespace and name.
 */
export function parseProperties(text) {
  const root = parseXml(text);
  if (root.ns !== DAV || root.local !== 'multistatus') {
    throw new Error('not a DAV:multistatus but ' + root.local);
  }
  const out = [];
  for (const ps of davAll(dav(root, 'response'), 'propstat')) {
    const prop = dav(ps, 'prop');
    if (!prop || statusCode((dav(ps, 'status') || { text: '' }).text) !== 200) {
      continue;
    }
    for (const p of prop.children) {
      out.push({ ns: p.ns, name: p.local, value: valueOf(p, text), dead: p.ns !== DAV });
    }
  }
  return out.sort((a, b) => (a.dead - b.dead) || cmp(a.ns, b.ns) || cmp(a.name, b.name));
}

function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

// XML 1.0 §2.3 Name, without the colon (a namespaced name has none), and §2.2 Char.
const NAME = /^[\p{L}_][\p{L}\p{N}_.\-\u00B7\u0300-\u036F\u203F-\u2040]*$/u;
const NOT_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

/** Why a dead property cannot be set with this namespace, name and value, or null. */
export function propertyProblem(ns, name, value) {
  if (ns.trim() === '') {
    return 'a dead property needs a namespace (a URI, e.g. urn:example:)';
  }
  if (ns === DAV) {
    return 'DAV: properties are the server\'s own';
  }
  if (!NAME.test(name)) {
    return 'a name is a letter or _ followed by letters, digits, _ . or -';
  }
  if (NOT_CHAR.test(ns + value)) {
    return 'XML cannot carry control characters';
  }
  return null;
}

/** A PROPPATCH body that sets one property (op "set", the value as text) or removes it ("remove"). */
export function proppatchBody(op, ns, name, value = '') {
  const open = '<P:' + name + ' xmlns:P="' + escapeXml(ns) + '"';
  const prop = op === 'set' ? open + '>' + escapeXml(value) + '</P:' + name + '>' : open + '/>';
  return '<?xml version="1.0" encoding="utf-8"?>\n<D:propertyupdate xmlns:D="DAV:"><D:' + op
    + '><D:prop>' + prop + '</D:prop></D:' + op + '></D:propertyupdate>';
}

/**
 * What a PROPPATCH's 207 says went wrong (RFC 4918 §9.2.1): one line per property whose
 * propstat is not 2xx, with the response's description; [] when every property was done.
 */
export function patchFailures(text) {
  const out = [];
  for (const r of davAll(parseXml(text), 'response')) {
    const why = (dav(r, 'responsedescription') || { text: '' }).text.trim();
    for (const ps of davAll(r, 'propstat')) {
      const line = (dav(ps, 'status') || { text: '' }).text.trim();
      const code = statusCode(line);
      if (code >= 200 && code <= 299) {
        continue;
      }
      const names = (dav(ps, 'prop') || { children: [] }).children.map((p) => p.local);
      const own = (dav(ps, 'responsedescription') || { text: '' }).text.trim() || why;
      // The status line as the server wrote it: the page's short reasons are about paths.
      const status = code ? line.replace(/^HTTP\/\S+\s+/, '') : 'no status';
      out.push(names.join(', ') + ': ' + status + (own ? ' (' + own + ')' : ''));
    }
  }
  return out;
}
