// chatmarkdown.js's toHtml (people's markdown-ish text -> the html body and Graph's mentions) is pure:
// tested here in node, without a browser. What the server does with the result (it refuses any
// mismatch between <at> tags and mentions) is checked by conversation.test.mjs end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toHtml } from '../../web/src/chatmarkdown.js';

const ann = { text: 'Ann Lee', mentioned: { user: { id: 'u-ann', displayName: 'Ann Lee' } } };
const annie = { text: 'Ann', mentioned: { user: { id: 'u-annie', displayName: 'Ann' } } };
const chan = { text: 'General', mentioned: { conversation: { id: 'c-1', displayName: 'General', conversationIdentityType: 'channel' } } };

test('one line is sent without <p>; markdown becomes Teams\' tags; raw html is text', () => {
  assert.deepEqual(toHtml('**bold** _it_ ~~gone~~ `x<y`'), { html: '<strong>bold</strong> <em>it</em> <s>gone</s> <code>x&lt;y</code>', mentions: [] });
  assert.equal(toHtml('<b onclick="x()">hi</b> & co').html, '&lt;b onclick=&quot;x()&quot;&gt;hi&lt;/b&gt; &amp; co');
  assert.equal(toHtml('&amp; stays as typed').html, '&amp;amp; stays as typed');
});

test('line breaks, paragraphs, lists, quotes and code blocks (newlines kept inside)', () => {
  assert.equal(toHtml('a\nb').html, 'a<br>\nb');
  assert.equal(toHtml('a\n\nb').html, '<p>a</p>\n<p>b</p>');
  assert.equal(toHtml('- one\n- two').html, '<ul>\n<li>one</li>\n<li>two</li>\n</ul>');
  assert.equal(toHtml('> quoted').html, '<blockquote>\n<p>quoted</p>\n</blockquote>');
  assert.equal(toHtml('```\nline 1\n  line 2\n```').html, '<pre><code>line 1\n  line 2\n</code></pre>');
  // Not chat: headings and indented code stay text; an image is a link to it, never loaded.
  assert.equal(toHtml('# not a heading').html, '# not a heading');
  assert.equal(toHtml('![x](https://e.com/i.png)').html, '!<a href="https://e.com/i.png">x</a>');
  assert.equal(toHtml('    indented').html, 'indented');
});

test('links: bare URLs and [text](url) for http(s)/mailto only', () => {
  assert.equal(toHtml('see https://example.com/a?b=1').html, 'see <a href="https://example.com/a?b=1">https://example.com/a?b=1</a>');
  assert.equal(toHtml('[docs](https://example.com)').html, '<a href="https://example.com">docs</a>');
  assert.equal(toHtml('[x](javascript:alert(1))').html, '[x](javascript:alert(1))');
});

test('mentions: each "@Name" picked becomes <at id> in order of appearance, longest name first', () => {
  const r = toHtml('@General ping @Ann Lee and @Ann, again @Ann Lee', [annie, ann, chan]);
  assert.equal(r.html, '<at id="0">General</at> ping <at id="1">Ann Lee</at> and <at id="2">Ann</at>, again <at id="3">Ann Lee</at>');
  assert.deepEqual(r.mentions.map((m) => [m.id, m.mentionText, m.mentioned.user ? m.mentioned.user.id : m.mentioned.conversation.id]),
    [[0, 'General', 'c-1'], [1, 'Ann Lee', 'u-ann'], [2, 'Ann', 'u-annie'], [3, 'Ann Lee', 'u-ann']]);
});

test('mentions: a picked name no longer in the text is not sent; text cannot fake a mention', () => {
  assert.deepEqual(toHtml('hello Ann Lee', [ann]), { html: 'hello Ann Lee', mentions: [] });
  assert.deepEqual(toHtml('<at id="0">Ann Lee</at>', []).mentions, []);
  assert.equal(toHtml('<at id="0">Ann Lee</at>', []).html, '&lt;at id=&quot;0&quot;&gt;Ann Lee&lt;/at&gt;');
  // The private-use characters the placeholders use are removed from what people type.
  assert.equal(toHtml('\uE0000\uE001 x', [ann]).html, '0 x');
});

test('mentions: a name with html characters is escaped alike in the tag and in mentionText', () => {
  const odd = { text: 'R&D <Ops>', mentioned: { user: { id: 'u-rd', displayName: 'R&D <Ops>' } } };
  const r = toHtml('hi @R&D <Ops>', [odd]);
  assert.equal(r.html, 'hi <at id="0">R&amp;D &lt;Ops&gt;</at>');
  assert.equal(r.mentions[0].mentionText, 'R&amp;D &lt;Ops&gt;');
});
