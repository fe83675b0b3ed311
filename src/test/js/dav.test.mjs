// Tests of the browser UI's pure logic (webapp/dav.js), run by `node --test` from
// WebappLogicTest (with TZ=UTC, so that local times are the UTC ones).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as d from '../../../webapp/dav.js';

const AWKWARD = 'a <b> "c" & d#1 %20.txt';

test('good: encodePath encodes each segment and keeps the slashes', () => {
  assert.equal(d.encodePath('/'), '/');
  assert.equal(d.encodePath('/a b/'), '/a%20b/');
  assert.equal(d.encodePath('/x/' + AWKWARD),
    '/x/a%20%3Cb%3E%20%22c%22%20%26%20d%231%20%2520.txt');
  assert.equal(d.encodePath('/Grüße/日本'), '/Gr%C3%BC%C3%9Fe/%E6%97%A5%E6%9C%AC');
  assert.equal(d.encodePath("/it's?/"), "/it's%3F/");
});

test('good: decodeHref undoes encodePath, also for absolute URLs', () => {
  for (const p of ['/', '/a/', '/x/' + AWKWARD, '/Grüße/日本/', '/100%/']) {
    assert.equal(d.decodeHref(d.encodePath(p)), p);
  }
  assert.equal(d.decodeHref('http://127.0.0.1:8080/a%20b/c'), '/a b/c');
  assert.equal(d.decodeHref('http://h:1'), '/');
});

test('bad: decodeHref of broken percent-encoding is null', () => {
  assert.equal(d.decodeHref('/a%E0%A4%A/'), null);
  assert.equal(d.decodeHref('/%'), null);
});

test('good: paths: folderOf, parentOf, nameOf, childPath', () => {
  assert.equal(d.folderOf('/a%20b'), '/a b/');
  assert.equal(d.folderOf('/'), '/');
  assert.equal(d.parentOf('/a/b/'), '/a/');
  assert.equal(d.parentOf('/a'), '/');
  assert.equal(d.parentOf('/'), '/');
  assert.equal(d.nameOf('/a/b c/'), 'b c');
  assert.equal(d.childPath('/a/', 'x', true), '/a/x/');
  assert.equal(d.childPath('/a', 'x', false), '/a/x');
});

test('bad: nameProblem refuses empty, slash, dot names', () => {
  assert.equal(d.nameProblem(AWKWARD), null);
  assert.ok(d.nameProblem(''));
  assert.ok(d.nameProblem('  '));
  assert.ok(d.nameProblem('a/b'));
  assert.ok(d.nameProblem('..'));
});

// RFC 4918 §9.1.4's example response, with the prefixes of our server and an awkward name.
const LISTING = `<?xml version="1.0" encoding="utf-8"?>
<D:multistatus xmlns:D="DAV:">
  <D:response>
    <D:href>/x/</D:href>
    <D:propstat><D:prop><D:resourcetype><D:collection/></D:resourcetype>
      <D:getlastmodified>Tue, 01 Dec 2026 09:05:00 GMT</D:getlastmodified></D:prop>
      <D:status>HTTP/1.1 200 OK</D:status></D:propstat>
  </D:response>
  <D:response>
    <D:href>/x/a%20%3Cb%3E%20%22c%22%20%26%20d%231%20%2520.txt</D:href>
    <D:propstat><D:prop><D:resourcetype/><D:getcontentlength>1536</D:getcontentlength>
      <D:getlastmodified>Mon, 29 Feb 2028 23:59:59 GMT</D:getlastmodified>
      <D:getcontenttype>text/plain</D:getcontenttype><D:getetag>"e&amp;1"</D:getetag>
      <D:lockdiscovery><D:activelock><D:locktype><D:write/></D:locktype>
        <D:owner><D:href>mailto:alice@example.org</D:href></D:owner>
        <D:locktoken><D:href>
          urn:uuid:e71d4fae-5dec-22d6-fea5-00a0c91e6be4</D:href></D:locktoken></D:activelock>
      </D:lockdiscovery></D:prop>
      <D:status>HTTP/1.1 200 OK</D:status></D:propstat>
    <D:propstat><D:prop><Z:missing xmlns:Z="urn:z"/></D:prop>
      <D:status>HTTP/1.1 404 Not Found</D:status></D:propstat>
  </D:response>
  <D:response>
    <D:href>/x/Gr%C3%BC%C3%9Fe/</D:href>
    <D:propstat><D:prop><D:resourcetype><D:collection/></D:resourcetype></D:prop>
      <D:status>HTTP/1.1 200 OK</D:status></D:propstat>
  </D:response>
</D:multistatus>`;

test('good: parseMultistatus reads names, sizes, dates, types, locks', () => {
  const { self, members } = d.folderListing(LISTING, '/x/');
  assert.equal(self.path, '/x/');
  assert.equal(members.length, 2);
  const f = members[0];
  assert.equal(f.name, AWKWARD);
  assert.equal(f.collection, false);
  assert.equal(f.size, 1536);
  assert.equal(f.modified, Date.UTC(2028, 1, 29, 23, 59, 59));
  assert.equal(f.type, 'text/plain');
  assert.equal(f.etag, '"e&1"');
  assert.deepEqual(f.locks, ['mailto:alice@example.org']);
  assert.deepEqual(f.lockTokens, ['urn:uuid:e71d4fae-5dec-22d6-fea5-00a0c91e6be4']);
  assert.equal(members[1].name, 'Grüße');
  assert.deepEqual(members[1].lockTokens, []);
  assert.equal(members[1].collection, true);
  assert.equal(members[1].size, null);
});

test('good: folderListing of a folder whose own name holds "%20" and "&"', () => {
  const body = `<D:multistatus xmlns:D="DAV:">
    <D:response><D:href>/%C3%9Cn%20%3Cx%3E%20&amp;%20%2520/</D:href><D:propstat><D:prop>
      <D:resourcetype><D:collection/></D:resourcetype></D:prop>
      <D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>
    <D:response><D:href>/%C3%9Cn%20%3Cx%3E%20&amp;%20%2520/f%2520</D:href><D:propstat><D:prop>
      <D:resourcetype/><D:getcontentlength>3</D:getcontentlength></D:prop>
      <D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>
  </D:multistatus>`;
  const { self, members } = d.folderListing(body, '/Ün <x> & %20/');
  assert.equal(self.name, 'Ün <x> & %20');
  assert.deepEqual(members.map((m) => m.name), ['f%20']);
  assert.equal(members[0].path, '/Ün <x> & %20/f%20');
});

test('good: parseMultistatus of a 207 with failed members (RFC 4918 §9.6.1)', () => {
  const body = `<?xml version="1.0" encoding="utf-8" ?>
   <d:multistatus xmlns:d="DAV:">
     <d:response>
       <d:href>http://www.example.com/container/resource3</d:href>
       <d:status>HTTP/1.1 423 Locked</d:status>
       <d:error><d:lock-token-submitted/></d:error>
     </d:response>
   </d:multistatus>`;
  const [r] = d.parseMultistatus(body);
  assert.equal(r.path, '/container/resource3');
  assert.equal(r.status, 423);
  assert.equal(r.error, 'lock-token-submitted');
});

test('good: parseXml handles default namespaces, CDATA, comments and character references', () => {
  const el = d.parseXml('<?xml version="1.0"?><!-- c --><m xmlns="DAV:" a=\'1\'>x&#x3C;<![CDATA[<y>]]>&#38;</m>');
  assert.equal(el.ns, 'DAV:');
  assert.equal(el.local, 'm');
  assert.equal(el.attrs.a, '1');
  assert.equal(el.text, 'x<<y>&');
});

test('bad: parseXml refuses mismatched tags, undeclared prefixes and two roots', () => {
  assert.throws(() => d.parseXml('<a><b></a>'));
  assert.throws(() => d.parseXml('<x:a/>'));
  assert.throws(() => d.parseXml('<a/><b/>'));
  assert.throws(() => d.parseXml('<a>&bogus;</a>'));
  assert.throws(() => d.parseMultistatus('<a/>'));
});

test('good: formatSize', () => {
  assert.equal(d.formatSize(0), '0 B');
  assert.equal(d.formatSize(1023), '1023 B');
  assert.equal(d.formatSize(1024), '1.0 KiB');
  assert.equal(d.formatSize(1536), '1.5 KiB');
  assert.equal(d.formatSize(1048575), '1.0 MiB');
  assert.equal(d.formatSize(150 * 1024 * 1024), '150 MiB');
  assert.equal(d.formatSize(5 * 1024 ** 3), '5.0 GiB');
  assert.equal(d.formatSize(null), '');
  assert.equal(d.formatSize(-1), '');
});

test('good: formatDate on awkward days (TZ=UTC)', () => {
  assert.equal(d.formatDate(Date.UTC(2028, 1, 29, 23, 59)), '2028-02-29 23:59');
  assert.equal(d.formatDate(Date.UTC(2026, 11, 31, 0, 0)), '2026-12-31 00:00');
  assert.equal(d.formatDate(Date.UTC(2027, 0, 1, 9, 5)), '2027-01-01 09:05');
  assert.equal(d.formatDate(null), '');
});

test('good: comparator puts folders first, sorts numbers naturally, both ways', () => {
  const e = (name, collection, size, modified) => ({ name, collection, size, modified, type: '' });
  const list = [e('b10', false, 5, 3), e('b9', false, 50, 1), e('z', true, null, 2), e('a', true, null, 9)];
  const names = (k, asc) => [...list].sort(d.comparator(k, asc)).map((x) => x.name);
  assert.deepEqual(names('name', true), ['a', 'z', 'b9', 'b10']);
  assert.deepEqual(names('name', false), ['z', 'a', 'b10', 'b9']);
  assert.deepEqual(names('size', true), ['a', 'z', 'b10', 'b9']);
  assert.deepEqual(names('modified', true), ['z', 'a', 'b9', 'b10']);
  assert.deepEqual(d.filterByName(list, 'B1').map((x) => x.name), ['b10']);
});

test('good: progress of an operation', () => {
  assert.equal(d.progressOf({ state: 'running', done: 5, total: 20 }), 0.25);
  assert.equal(d.progressOf({ state: 'running', done: 5, total: 0 }), null);
  assert.equal(d.progressOf({ state: 'done', done: 5, total: 20 }), 1);
  assert.equal(d.progressText({ phase: 'copying', done: 16384, total: 40000, bytes: 0 }),
    'copying 16384 / 40000');
  assert.equal(d.explainStatus(423), '423 locked');
});

test('good: MultistatusReader gives the same entries wherever the text is cut', () => {
  const whole = d.parseMultistatus(LISTING);
  for (let cut = 0; cut <= LISTING.length; cut++) {
    const r = new d.MultistatusReader();
    const got = [...r.push(LISTING.slice(0, cut)), ...r.push(LISTING.slice(cut)), ...r.end()];
    assert.deepEqual(got, whole, 'cut at ' + cut);
  }
  const r = new d.MultistatusReader();
  const first = [];
  for (const ch of LISTING) {
    first.push(r.push(ch).length);
  }
  assert.ok(first.filter((n) => n > 0).length === 3, 'one batch per response, as each ends');
  assert.deepEqual(r.end(), []);
});

test('good: MultistatusReader of an empty multistatus and of a response with its own prefix', () => {
  const empty = new d.MultistatusReader();
  assert.deepEqual([...empty.push('<D:multistatus xmlns:D="DAV:"/>'), ...empty.end()], []);
  const odd = new d.MultistatusReader();
  const text = '<multistatus xmlns="DAV:"><x:response xmlns:x="DAV:"><x:href>/a</x:href>'
    + '<x:status>HTTP/1.1 423 Locked</x:status></x:response></multistatus>';
  assert.deepEqual(odd.push(text), []);
  assert.deepEqual(odd.end().map((e) => [e.path, e.status]), [['/a', 423]]);
});

test('bad: MultistatusReader of a cut or foreign body throws at the end', () => {
  const cut = new d.MultistatusReader();
  cut.push(LISTING.slice(0, LISTING.length - 30));
  assert.throws(() => cut.end());
  const html = new d.MultistatusReader();
  html.push('<html><body>proxy error</body></html>');
  assert.throws(() => html.end());
});

test('good: parseMultistatus reads the token of each shared lock, none for a lock without one', () => {
  const body = `<D:multistatus xmlns:D="DAV:"><D:response><D:href>/s</D:href><D:propstat><D:prop>
    <D:lockdiscovery>
      <D:activelock><D:lockscope><D:shared/></D:lockscope>
        <D:locktoken><D:href>opaquelocktoken:a</D:href></D:locktoken></D:activelock>
      <D:activelock><D:lockscope><D:shared/></D:lockscope>
        <D:locktoken><D:href>urn:uuid:b/c?d</D:href></D:locktoken></D:activelock>
      <D:activelock><D:lockscope><D:shared/></D:lockscope></D:activelock>
    </D:lockdiscovery></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>
    </D:multistatus>`;
  const [e] = d.parseMultistatus(body);
  assert.deepEqual(e.lockTokens, ['opaquelocktoken:a', 'urn:uuid:b/c?d']);
  assert.deepEqual(e.locks, ['', '', '']);
});

test('good: lockBreakUrl percent-encodes the whole token as one segment', () => {
  assert.equal(d.lockBreakUrl('urn:uuid:b/c?d#e'), '/.depthdav/locks/urn%3Auuid%3Ab%2Fc%3Fd%23e');
  assert.equal(d.lockBreakUrl('opaquelocktoken:e71d4fae-5dec'),
    '/.depthdav/locks/opaquelocktoken%3Ae71d4fae-5dec');
});
