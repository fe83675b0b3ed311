// The page's own logic, free of the DOM and the network, so that `node --test` can run it:
// paths and their encoding, a small XML reader for RFC 4918 multistatus bodies, formatting of
// sizes and dates, sorting. Every function here is pure.

const DAV = 'DAV:';

/** The request body of a PROPFIND for what the folder view shows (RFC 4918 §9.1). */
export const PROPFIND_BODY =
  '<?xml version="1.0" encoding="utf-8"?>\n' +
  '<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:getcontentlength/>' +
  '<D:getlastmodified/><D:getcontenttype/><D:getetag/><D:lockdiscovery/></D:prop></D:propfind>';

/** The segments of a path ("/a/b/" gives ["a", "b"]). */
export function segments(path) {
  return path.split('/').filter((s) => s !== '');
}

/**
 * A decoded path as a URL path: each segment through encodeURIComponent (so '#', '%', '?', '&'
 * and '/' inside a name stay data), a trailing slash kept.
 */
export function encodePath(path) {
  const enc = segments(path).map(encodeURIComponent).join('/');
  const slash = path.endsWith('/') && enc !== '' ? '/' : '';
  return '/' + enc + slash;
}

/** A URL path (or an absolute URL) decoded segment by segment; null when it does not decode. */
export function decodeHref(href) {
  let p = href;
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(href);
  if (m) {
    p = m[1] || '/';
  }
  p = p.replace(/[?#].*$/, '');
  try {
    const dec = segments(p).map(decodeURIComponent);
    return '/' + dec.join('/') + (p.endsWith('/') && dec.length > 0 ? '/' : '');
  } catch (e) {
    return null;
  }
}

/** The folder path ("/a/b/") of a page whose URL path is {@code pathname}. */
export function folderOf(pathname) {
  const p = decodeHref(pathname) || '/';
  return p.endsWith('/') ? p : p + '/';
}

/** A decoded path with the trailing slash of a folder. */
export function asFolder(path) {
  return path.endsWith('/') ? path : path + '/';
}

/** The parent folder of a path ("/a/b" and "/a/b/" give "/a/"); "/" for the root. */
export function parentOf(path) {
  const s = segments(path);
  s.pop();
  return s.length === 0 ? '/' : '/' + s.join('/') + '/';
}

/** The last segment of a path, decoded. */
export function nameOf(path) {
  const s = segments(path);
  return s.length === 0 ? '' : s[s.length - 1];
}

/** {@code name} inside the folder {@code dir} (a collection gets a trailing slash). */
export function childPath(dir, name, collection) {
  const base = dir.endsWith('/') ? dir : dir + '/';
  return base + name + (collection ? '/' : '');
}

/** Why a name cannot be a resource's name, or null when it can. */
export function nameProblem(name) {
  if (name === '' || name.trim() === '') {
    return 'a name cannot be empty';
  }
  if (name.includes('/')) {
    return 'a name cannot contain "/"';
  }
  if (name === '.' || name === '..') {
    return 'a name cannot be "." or ".."';
  }
  if (name.includes('\u0000')) {
    return 'a name cannot contain NUL';
  }
  return null;
}

// ---- A small XML reader: elements with namespaces, attributes and text. It does not read
// DTDs (a multistatus has none), and it refuses what it does not understand.

const ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function unescapeXml(s) {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (all, e) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return String.fromCodePoint(code);
    }
    if (!(e in ENTITIES)) {
      throw new Error('unknown XML entity &' + e + ';');
    }
    return ENTITIES[e];
  });
}

/** A name's namespace, from the declarations in scope (an array of maps, innermost last). */
function resolve(qname, scopes, isAttr) {
  const colon = qname.indexOf(':');
  const prefix = colon < 0 ? '' : qname.slice(0, colon);
  const local = colon < 0 ? qname : qname.slice(colon + 1);
  if (isAttr && prefix === '') {
    return { ns: '', local };
  }
  for (let i = scopes.length - 1; i >= 0; i--) {
    if (prefix in scopes[i]) {
      return { ns: scopes[i][prefix], local };
    }
  }
  if (prefix === '' || prefix === 'xml') {
    return { ns: prefix === 'xml' ? 'http://www.w3.org/XML/1998/namespace' : '', local };
  }
  throw new Error('undeclared XML prefix ' + prefix);
}

const ATTR = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

/**
 * Parses an XML document into {ns, local, attrs, children, text, from, to}; text is the
 * concatenated character data directly inside the element, and from..to the offsets of its
 * content (between its start and end tags) in {@code text}.
 */
export function parseXml(text) {
  const root = { ns: '', local: '#document', attrs: {}, children: [], text: '' };
  const stack = [root];
  const scopes = [{}];
  const tag = /<(\/?)([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>/g;
  let last = 0;
  let m;
  while ((m = tag.exec(text)) !== null) {
    const top = stack[stack.length - 1];
    const between = text.slice(last, m.index);
    if (between.includes('<')) {
      throw new Error('malformed XML near ' + JSON.stringify(between.slice(0, 40)));
    }
    top.text += unescapeXml(between);
    last = tag.lastIndex;
    if (m[5] !== undefined) {
      top.text += m[5];
      continue;
    }
    if (m[2] === undefined) {
      continue; // comment, processing instruction, doctype
    }
    if (m[1] === '/') {
      const open = stack.pop();
      scopes.pop();
      if (stack.length === 0 || open.qname !== m[2]) {
        throw new Error('mismatched end tag </' + m[2] + '>');
      }
      open.to = m.index;
      continue;
    }
    const raw = {};
    const decl = {};
    for (const a of m[3].matchAll(ATTR)) {
      const value = unescapeXml(a[3] !== undefined ? a[3] : a[4]);
      if (a[1] === 'xmlns') {
        decl[''] = value;
      } else if (a[1].startsWith('xmlns:')) {
        decl[a[1].slice(6)] = value;
      } else {
        raw[a[1]] = value;
      }
    }
    scopes.push(decl);
    const { ns, local } = resolve(m[2], scopes, false);
    const attrs = {};
    for (const [k, v] of Object.entries(raw)) {
      const r = resolve(k, scopes, true);
      attrs[(r.ns ? '{' + r.ns + '}' : '') + r.local] = v;
    }
    const el = { ns, local, qname: m[2], attrs, children: [], text: '', from: last, to: last };
    top.children.push(el);
    if (m[4] === '/') {
      scopes.pop();
    } else {
      stack.push(el);
    }
  }
  if (stack.length !== 1 || text.slice(last).trim() !== '') {
    throw new Error('XML ends inside an element');
  }
  if (root.children.length !== 1) {
    throw new Error('an XML document has one root element');
  }
  return root.children[0];
}

/** The first child of {@code el} in the DAV: namespace named {@code local}, or null. */
export function dav(el, local) {
  return el ? el.children.find((c) => c.ns === DAV && c.local === local) || null : null;
}

/** Every child of {@code el} in the DAV: namespace named {@code local}. */
export function davAll(el, local) {
  return el ? el.children.filter((c) => c.ns === DAV && c.local === local) : [];
}

/** The code of an HTTP status line ("HTTP/1.1 404 Not Found" gives 404), or 0. */
export function statusCode(line) {
  const m = /^\s*HTTP\/\S+\s+(\d{3})/.exec(line || '');
  return m ? Number(m[1]) : 0;
}

/**
 * The lock tokens from a DAV:lockdiscovery element (RFC 4918 §14.14: each activelock's
 * locktoken href), those of locks rooted above the resource too; what breaking needs.
 */
function lockTokens(el) {
  return davAll(el, 'activelock').map((a) => dav(dav(a, 'locktoken'), 'href'))
    .filter((h) => h !== null && h.text.trim() !== '').map((h) => h.text.trim());
}

/** The lock owners, as text, from a DAV:lockdiscovery element. */
function lockOwners(el) {
  return davAll(el, 'activelock').map((a) => {
    const owner = dav(a, 'owner');
    if (!owner) {
      return '';
    }
    const href = dav(owner, 'href');
    return (href ? href.text : owner.text).trim();
  });
}

/**
 * Reads a multistatus (RFC 4918 §13) into one entry per DAV:response: its href, decoded path
 * and name, its status (of the response, or of the propstat with 200), and from the 200
 * propstat whether it is a collection, its size, modification time (ms), type, etag, lock owners
 * and lock tokens; for a failed member, the error element's name and the response description.
 */
export function parseMultistatus(text) {
  const root = parseXml(text);
  if (root.ns !== DAV || root.local !== 'multistatus') {
    throw new Error('not a DAV:multistatus but ' + root.local);
  }
  return davAll(root, 'response').map((r) => {
    const hrefEl = dav(r, 'href');
    const href = hrefEl ? hrefEl.text.trim() : '';
    const path = decodeHref(href);
    const entry = {
      href,
      path,
      name: path === null ? href : nameOf(path),
      status: statusCode(dav(r, 'status') && dav(r, 'status').text),
      collection: false,
      size: null,
      modified: null,
      type: '',
      etag: '',
      locks: [],
      lockTokens: [],
      error: '',
      description: (dav(r, 'responsedescription') || { text: '' }).text.trim(),
    };
    const err = dav(r, 'error');
    if (err && err.children.length > 0) {
      entry.error = err.children[0].local;
    }
    for (const ps of davAll(r, 'propstat')) {
      const code = statusCode(dav(ps, 'status') && dav(ps, 'status').text);
      const prop = dav(ps, 'prop');
      if (code !== 200 || !prop) {
        continue;
      }
      entry.status = entry.status || 200;
      entry.collection = dav(dav(prop, 'resourcetype'), 'collection') !== null;
      const len = dav(prop, 'getcontentlength');
      if (len && /^\d+$/.test(len.text.trim())) {
        entry.size = Number(len.text.trim());
      }
      const mod = dav(prop, 'getlastmodified');
      if (mod) {
        const t = Date.parse(mod.text.trim());
        entry.modified = Number.isNaN(t) ? null : t;
      }
      entry.type = (dav(prop, 'getcontenttype') || { text: '' }).text.trim();
      entry.etag = (dav(prop, 'getetag') || { text: '' }).text.trim();
      entry.locks = lockOwners(dav(prop, 'lockdiscovery'));
      entry.lockTokens = lockTokens(dav(prop, 'lockdiscovery'));
    }
    return entry;
  });
}

/**
 * Reads a multistatus as it arrives: {@link #push} takes the next piece of text and returns the
 * entries of the responses completed by it (as parseMultistatus reads them), {@link #end}
 * those left at the end. A response is complete at its end tag, found with the prefix the
 * root element uses; a response that declares another prefix for DAV: is read at the end.
 */
export class MultistatusReader {
  constructor() {
    this.buf = '';
    this.root = null; // the root's start tag, which wraps each batch with its declarations
  }

  push(text) {
    this.buf += text;
    if (this.root === null) {
      const m = /<(?:([A-Za-z_][\w.-]*):)?multistatus\b[^>]*>/.exec(this.buf);
      if (!m || m[0].endsWith('/>')) {
        return [];
      }
      const prefix = m[1] ? m[1] + ':' : '';
      this.root = { open: m[0], close: '</' + prefix + 'multistatus>', end: '</' + prefix + 'response>' };
      this.buf = this.buf.slice(m.index + m[0].length);
    }
    const last = this.buf.lastIndexOf(this.root.end);
    if (last < 0) {
      return [];
    }
    const cut = last + this.root.end.length;
    const batch = this.buf.slice(0, cut);
    this.buf = this.buf.slice(cut);
    return parseMultistatus(this.root.open + batch + this.root.close);
  }

  end() {
    if (this.root === null) {
      return parseMultistatus(this.buf); // an empty root, or not a multistatus: say which
    }
    const rest = this.buf.trim();
    if (!rest.endsWith(this.root.close)) {
      throw new Error('the multistatus ended early');
    }
    return rest === this.root.close ? [] : parseMultistatus(this.root.open + rest);
  }
}

/** Where a lock is broken: the token, percent-encoded as one path segment, under the locks endpoint. */
export function lockBreakUrl(token) {
  return '/.depthdav/locks/' + encodeURIComponent(token);
}

/** The members among a PROPFIND's entries: all but the folder's own ({@code folderPath}, decoded). */
export function membersOf(entries, folderPath) {
  const self = asFolder(folderPath);
  return entries.filter((e) => e.path !== null && asFolder(e.path) !== self);
}

/**
 * A PROPFIND Depth 1 answer as the folder it lists: the folder's own entry (its href equals the
 * request's path) and its members, each member's name taken from its own href. {@code
 * folderPath} is decoded (it is never decoded again: a name may contain "%20").
 */
export function folderListing(text, folderPath) {
  const all = parseMultistatus(text);
  const self = asFolder(folderPath);
  const members = membersOf(all, folderPath);
  return { self: all.find((e) => e.path !== null && asFolder(e.path) === self) || null, members };
}

// ---- Formatting.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** A byte count for people: "0 B", "999 B", "1.0 KiB", "12.3 MiB", "123 GiB". */
export function formatSize(bytes) {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) {
    return '';
  }
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) {
    return v + ' B';
  }
  const shown = v < 100 ? v.toFixed(1) : Math.round(v).toString();
  // 1023.96 KiB rounds to "1024": say 1.0 of the next unit instead.
  if (Number(shown) >= 1024 && u < UNITS.length - 1) {
    return '1.0 ' + UNITS[u + 1];
  }
  return shown + ' ' + UNITS[u];
}

function pad(n) {
  return n < 10 ? '0' + n : String(n);
}

/** A time (ms since the epoch) as "YYYY-MM-DD HH:MM" in the local time zone; "" for null. */
export function formatDate(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) {
    return '';
  }
  const d = new Date(ms);
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' +
    pad(d.getHours()) + ':' + pad(d.getMinutes());
}

/** The kind of icon an entry gets, from being a folder, its type and its name. */
export function kindOf(entry) {
  if (entry.collection) {
    return 'folder';
  }
  const t = entry.type || '';
  if (t.startsWith('image/')) {
    return 'image';
  }
  if (t.startsWith('text/') || /\.(txt|md|csv|log|json|xml|html?|js|css|java)$/i.test(entry.name)) {
    return 'text';
  }
  return 'file';
}

// ---- Sorting and filtering.

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * A comparator for entries by {@code key} ("name", "size", "modified" or "type"), ascending or
 * not; folders always come first, and ties fall back to the name.
 */
export function comparator(key, ascending) {
  const sign = ascending ? 1 : -1;
  return (a, b) => {
    if (a.collection !== b.collection) {
      return a.collection ? -1 : 1;
    }
    let c = 0;
    if (key === 'size' || key === 'modified') {
      c = (a[key] ?? -1) - (b[key] ?? -1);
    } else if (key === 'type') {
      c = collator.compare(kindOf(a), kindOf(b));
    }
    if (c === 0) {
      c = collator.compare(a.name, b.name);
    }
    return sign * c;
  };
}

/** The entries whose name contains {@code text}, case-insensitively. */
export function filterByName(entries, text) {
  const t = text.trim().toLowerCase();
  return t === '' ? entries : entries.filter((e) => e.name.toLowerCase().includes(t));
}

// ---- Operations.

/** What a progress bar shows for an operation's JSON: the fraction done (0..1) or null. */
export function progressOf(op) {
  if (op.state === 'done' || op.state === 'failed') {
    return 1;
  }
  if (!op.total || op.total <= 0) {
    return null;
  }
  return Math.max(0, Math.min(1, op.done / op.total));
}

/** One line about an operation: "copying 16384 / 40000 (1.2 MiB)". */
export function progressText(op) {
  const parts = [op.phase || op.state];
  if (op.total > 0) {
    parts.push(op.done + ' / ' + op.total);
  } else if (op.done > 0) {
    parts.push(String(op.done));
  }
  if (op.bytes > 0) {
    parts.push('(' + formatSize(op.bytes) + ')');
  }
  return parts.join(' ');
}

const REASONS = {
  400: 'bad request', 401: 'not logged in', 403: 'forbidden', 404: 'not found',
  405: 'not allowed here', 409: 'the folder it goes into is missing', 412: 'it already exists',
  413: 'too large', 415: 'unsupported', 423: 'locked', 424: 'not done because another part failed',
  502: 'the destination is on another server', 503: 'the server is busy, try again',
  507: 'not enough space (disk full or quota)',
};

/** A short explanation of a status for a message. */
export function explainStatus(code) {
  return code + (REASONS[code] ? ' ' + REASONS[code] : '');
}
