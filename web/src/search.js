// Search over Graph connector items (POST /v1.0/search/query): a search box and the hits the
// person may see, with the title, url and iconUrl labels and the highlighted summary. The
// summary's <c0>...</c0> and <ddd/> markers become <mark> and an ellipsis; everything else
// in it is text.
import { h, clear, safeHttpUrl, safeImageUrl } from './dom.js';
import { post } from './api.js';
import { openDialog } from './dialog.js';

const PAGE = 10;

export function renderSummary(summary) {
  const out = [];
  const re = /<c0>([\s\S]*?)<\/c0>|<ddd\/>/g;
  let last = 0;
  let m;
  while ((m = re.exec(summary || ''))) {
    if (m.index > last) out.push(document.createTextNode(summary.slice(last, m.index)));
    out.push(m[1] !== undefined ? h('mark', { text: m[1] }) : document.createTextNode('\u2026'));
    last = re.lastIndex;
  }
  if (last < (summary || '').length) out.push(document.createTextNode(summary.slice(last)));
  return out;
}

function hitItem(hit) {
  const labels = hit.labels || {};
  const title = labels.title || hit.hitId;
  const url = safeHttpUrl(labels.url);
  const icon = safeImageUrl(labels.iconUrl);
  return h('li.search-hit', {},
    icon ? h('img.search-icon', { src: icon, alt: '', width: 24, height: 24, loading: 'lazy', referrerpolicy: 'no-referrer' }) : null,
    h('div.search-text', {},
      url ? h('a.search-title', { href: url, target: '_blank', rel: 'noopener noreferrer', text: title }) : h('strong.search-title', { text: title }),
      h('p.search-summary', {}, ...renderSummary(hit.summary)),
      h('p.muted.search-source', { text: hit.contentSource })));
}

export function openSearch() {
  const d = openDialog({ title: 'Search', wide: true, className: 'search-dialog' });
  d.footer.append(h('button.button', { type: 'button', text: 'Close', onclick: () => d.close() }));
  const input = h('input#search-q', { type: 'search', required: true, maxLength: 1024, autocomplete: 'off' });
  const form = h('form.search-form', { role: 'search' },
    h('label', { for: 'search-q', text: 'Search connected content' }), input,
    h('button.button.primary', { type: 'submit', text: 'Search' }));
  const status = h('p.search-status', { role: 'status' });
  const error = h('p.error', { role: 'alert', hidden: true });
  const results = h('ol.search-results', { 'aria-label': 'Search results' });
  const more = h('button.button', { type: 'button', text: 'More results', hidden: true });
  d.body.append(form, error, status, results, more);
  let query = '';
  let from = 0;

  const run = async () => {
    error.hidden = true;
    try {
      const r = await post('/v1.0/search/query', { requests: [{ entityTypes: ['externalItem'], query: { queryString: query }, from, size: PAGE }] });
      const c = r.value[0].hitsContainers[0];
      for (const hit of c.hits) results.append(hitItem(hit));
      from += c.hits.length;
      status.textContent = c.total ? `${c.total} result${c.total === 1 ? '' : 's'}` : 'No results.';
      more.hidden = !c.moreResultsAvailable;
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    query = input.value.trim();
    from = 0;
    clear(results);
    if (query) run();
  });
  more.addEventListener('click', run);
  input.focus();
  return d;
}
