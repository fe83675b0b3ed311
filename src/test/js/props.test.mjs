// Tests of the properties panel's logic (webapp/props.js), run by `node --test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as p from '../../../webapp/props.js';

// After RFC 4918 §9.1.6 (allprop), with an empty value, escaped text and an XML value added.
const ALLPROP = `<?xml version="1.0" encoding="utf-8" ?>
<D:multistatus xmlns:D="DAV:">
  <D:response>
    <D:href>/container/front.html</D:href>
    <D:propstat>
      <D:prop xmlns:R="http://ns.example.com/boxschema/">
        <R:bigbox><R:BoxType>Box type B</R:BoxType></R:bigbox>
        <D:getcontentlength>4525</D:getcontentlength>
        <D:displayname>Example HTML resource</D:displayname>
        <D:resourcetype/>
        <x:empty xmlns:x="urn:x:"/>
        <x:text xmlns:x="urn:x:">a &lt;b&gt; &amp; "c" &#233;</x:text>
        <D:supportedlock><D:lockentry><D:lockscope><D:exclusive/></D:lockscope></D:lockentry></D:supportedlock>
      </D:prop>
      <D:status>HTTP/1.1 200 OK</D:status>
    </D:propstat>
    <D:propstat>
      <D:prop><x:gone xmlns:x="urn:x:"/></D:prop>
      <D:status>HTTP/1.1 404 Not Found</D:status>
    </D:propstat>
  </D:response>
</D:multistatus>`;

test('good: parseProperties reads namespaced names, live first', () => {
  const props = p.parseProperties(ALLPROP);
  assert.deepEqual(props.map((x) => [x.ns, x.name, x.dead]), [
    ['DAV:', 'displayname', false],
    ['DAV:', 'getcontentlength', false],
    ['DAV:', 'resourcetype', false],
    ['DAV:', 'supportedlock', false],
    ['http://ns.example.com/boxschema/', 'bigbox', true],
    ['urn:x:', 'empty', true],
    ['urn:x:', 'text', true],
  ]);
});

test('good: parseProperties values: text unescaped, empty, XML as written', () => {
  const v = Object.fromEntries(p.parseProperties(ALLPROP).map((x) => [x.name, x.value]));
  assert.equal(v.getcontentlength, '4525');
  assert.equal(v.empty, '');
  assert.equal(v.resourcetype, '');
  assert.equal(v.text, 'a <b> & "c" é');
  assert.equal(v.bigbox, '<R:BoxType>Box type B</R:BoxType>');
});

test('good: parseProperties leaves out what was not found', () => {
  assert.ok(!p.parseProperties(ALLPROP).some((x) => x.name === 'gone'));
});

test('bad: parseProperties of something else throws', () => {
  assert.throws(() => p.parseProperties('<D:error xmlns:D="DAV:"/>'), /not a DAV:multistatus/);
  assert.throws(() => p.parseProperties('<D:multistatus xmlns:D="DAV:">'), /ends inside/);
});

test('good: proppatchBody sets a value as escaped text and removes by name', () => {
  assert.equal(p.proppatchBody('set', 'urn:a&"b', 'note', 'x <y> & "z"\r\n'),
    '<?xml version="1.0" encoding="utf-8"?>\n<D:propertyupdate xmlns:D="DAV:"><D:set><D:prop>'
    + '<P:note xmlns:P="urn:a&amp;&quot;b">x &lt;y&gt; &amp; &quot;z&quot;&#13;\n</P:note>'
    + '</D:prop></D:set></D:propertyupdate>');
  assert.equal(p.proppatchBody('remove', 'urn:a', 'note'),
    '<?xml version="1.0" encoding="utf-8"?>\n<D:propertyupdate xmlns:D="DAV:"><D:remove>'
    + '<D:prop><P:note xmlns:P="urn:a"/></D:prop></D:remove></D:propertyupdate>');
});

test('good: a set body reads back as the value it sets', async () => {
  const { parseXml } = await import('../../../webapp/dav.js');
  const body = parseXml(p.proppatchBody('set', 'urn:a', 'n', 'x <y> & "z"'));
  assert.equal(body.children[0].children[0].children[0].text, 'x <y> & "z"');
});

test('good: propertyProblem accepts a namespaced name and any text', () => {
  assert.equal(p.propertyProblem('urn:x:', 'note-1.b_c', 'a <b> & é'), null);
  assert.equal(p.propertyProblem('http://example.com/ns/', 'Ünï', ''), null);
});

test('bad: propertyProblem refuses DAV:, no namespace, bad names, control characters', () => {
  assert.match(p.propertyProblem('DAV:', 'x', ''), /server's own/);
  assert.match(p.propertyProblem(' ', 'x', ''), /needs a namespace/);
  for (const n of ['', '1a', 'a b', 'a:b', '-a', 'a<b']) {
    assert.match(p.propertyProblem('urn:x:', n, ''), /a name is/, n);
  }
  assert.match(p.propertyProblem('urn:x:', 'a', 'bell\u0007'), /control characters/);
});

// RFC 4918 §9.2.2: one property refused, the other not done because of it.
const PATCH_207 = `<?xml version="1.0" encoding="utf-8" ?>
<D:multistatus xmlns:D="DAV:" xmlns:Z="http://ns.example.com/standards/z39.50/">
  <D:response>
    <D:href>http://www.example.com/bar.html</D:href>
    <D:propstat>
      <D:prop><Z:Authors/></D:prop>
      <D:status>HTTP/1.1 424 Failed Dependency</D:status>
    </D:propstat>
    <D:propstat>
      <D:prop><Z:Copyright-Owner/></D:prop>
      <D:status>HTTP/1.1 409 Conflict</D:status>
    </D:propstat>
    <D:responsedescription> Copyright Owner cannot be deleted or altered.</D:responsedescription>
  </D:response>
</D:multistatus>`;

test('good: patchFailures names each refused property with its status', () => {
  assert.deepEqual(p.patchFailures(PATCH_207), [
    'Authors: 424 Failed Dependency (Copyright Owner cannot be deleted or altered.)',
    'Copyright-Owner: 409 Conflict (Copyright Owner cannot be deleted or altered.)',
  ]);
});

test('good: patchFailures of a 207 where every property was done is empty', () => {
  assert.deepEqual(p.patchFailures('<D:multistatus xmlns:D="DAV:"><D:response><D:href>/a</D:href>'
    + '<D:propstat><D:prop><x:n xmlns:x="urn:x"/></D:prop><D:status>HTTP/1.1 200 OK</D:status>'
    + '</D:propstat></D:response></D:multistatus>'), []);
});
