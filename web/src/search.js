// The search box. In "Messages, channels and people": the messages the person may read through
// POST /v1.0/search/query (entityType chatMessage: cards' text included), each hit with where it
// is, who said it, when and the highlighted excerpt, and a click (or Enter) jumps to it; the
// channels and teams of the person's list and people (GET /v1.0/users?$search, when the server
// answers it) matched here. In "Connected content": Graph connector items (externalItem) with
// their title, url and iconUrl labels. The summary's <c0>...</c0> and <ddd/> markers become
// <mark> and an ellipsis; everything else in it is text. Up/Down move between results.
import { h, clear, safeHttpUrl, safeImageUrl, avatar } from './dom.js';
import { get, post, enc } from './api.js';
import { openDialog } from './dialog.js';
import { senderOf } from './message.js';
import { t, formatDate } from './i18n.js';

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

function externalHit(hit) {
  const labels = hit.labels || {};
  const title = labels.title || hit.hitId;
  const url = safeHttpUrl(labels.url);
  const icon = safeImageUrl(labels.iconUrl);
  return h('li.search-hit', {},
    icon ? h('img.search-icon', { src: icon, alt: '', width: 24, height: 24, loading: 'lazy', referrerpolicy: 'no-referrer' }) : null,
    h('div.search-text', {},
      url ? h('a.search-title.search-go', { href: url, target: '_blank', rel: 'noopener noreferrer', text: title }) : h('strong.search-title', { text: title }),
      h('p.search-summary', {}, ...renderSummary(hit.summary)),
      h('p.muted.search-source', { text: hit.contentSource })));
}

// openSearch({teams, channelsOf(teamId), onJump(teamId, channelId, messageId), onOpenChannel(team, channel)})
export function openSearch({ teams = [], channelsOf = () => [], onJump = () => {}, onOpenChannel = () => {} } = {}) {
  const d = openDialog({ title: t('history.searchTitle'), wide: true, className: 'search-dialog' });
  d.footer.append(h('button.button', { type: 'button', text: t('common.close'), onclick: () => d.close() }));
  const scope = h('select#search-scope', {},
    h('option', { value: 'messages', text: t('history.searchScopeMessages') }),
    h('option', { value: 'external', text: t('history.searchScopeExternal') }));
  const qLabel = h('label', { for: 'search-q', text: t('history.searchMessagesLabel') });
  const input = h('input#search-q', { type: 'search', required: true, maxLength: 1024, autocomplete: 'off' });
  const form = h('form.search-form', { role: 'search' },
    h('label', { for: 'search-scope', text: t('history.searchIn') }), scope,
    qLabel, input,
    h('button.button.primary', { type: 'submit', text: t('history.searchButton') }));
  const status = h('p.search-status', { role: 'status' });
  const error = h('p.error', { role: 'alert', hidden: true });
  const places = h('div.search-places');
  const results = h('ol.search-results', { 'aria-label': t('history.searchResults') });
  const more = h('button.button', { type: 'button', text: t('history.moreResults'), hidden: true });
  d.body.append(form, error, status, places, results, more);
  let query = '';
  let from = 0;
  let run = 0;

  scope.addEventListener('change', () => {
    qLabel.textContent = scope.value === 'external' ? t('history.searchExternalLabel') : t('history.searchMessagesLabel');
    clear(results); clear(places); status.textContent = ''; more.hidden = true;
  });

  const where = (ci) => {
    const team = teams.find((x) => x.id === (ci && ci.teamId));
    const ch = team && channelsOf(team.id).find((c) => c.id === ci.channelId);
    return { team, ch };
  };

  function messageHit(hit) {
    const m = hit.resource || {};
    const { team, ch } = where(m.channelIdentity);
    const sender = senderOf(m);
    const place = team && ch ? t('history.searchPlace', { team: team.displayName, channel: ch.displayName }) : '';
    const btn = h('button.search-go.search-message', { type: 'button' },
      h('span.search-meta', {}, h('strong', { text: sender.name }), ' ',
        h('time', { datetime: m.createdDateTime || '', text: m.createdDateTime ? formatDate(m.createdDateTime) : '' }), ' ',
        h('span.muted', { text: place }),
        m.replyToId ? h('span.muted', { text: ' ' + t('history.searchInReply') }) : null),
      h('span.search-summary', {}, ...renderSummary(hit.summary)));
    btn.addEventListener('click', () => {
      d.close();
      onJump(m.channelIdentity.teamId, m.channelIdentity.channelId, m.replyToId || m.id);
    });
    return h('li.search-hit', {}, avatar(sender.name, sender.image, 28), h('div.search-text', {}, btn));
  }

  function localPlaces(q) {
    clear(places);
    const words = q.toLowerCase().split(/\s+/).filter(Boolean);
    const match = (s) => words.every((w) => String(s || '').toLowerCase().includes(w));
    const chans = [];
    for (const team of teams) for (const ch of channelsOf(team.id)) if (match(ch.displayName + ' ' + team.displayName)) chans.push({ team, ch });
    const teamHits = teams.filter((x) => match(x.displayName));
    const section = (title, lis) => (lis.length ? places.append(h('section.search-section', {}, h('h3', { text: title }), h('ul.search-results', {}, ...lis))) : null);
    section(t('history.searchChannels'), chans.slice(0, 8).map(({ team, ch }) => h('li.search-hit', {},
      h('button.search-go', { type: 'button', onclick: () => { d.close(); onOpenChannel(team, ch); } },
        h('strong', { text: ch.displayName }), ' ', h('span.muted', { text: team.displayName })))));
    section(t('history.searchTeams'), teamHits.slice(0, 5).map((team) => {
      const first = channelsOf(team.id)[0];
      return h('li.search-hit', {}, h('button.search-go', { type: 'button', disabled: !first, onclick: () => { d.close(); onOpenChannel(team, first); } }, h('strong', { text: team.displayName })));
    }));
    // People: the directory search of the server, when it has one (members may list people).
    get(`/v1.0/users?$search=${enc('"' + q.replace(/"/g, '') + '"')}&$top=5`).then((r) => {
      if (query !== q) return;
      section(t('history.searchPeople'), (r.value || []).map((u) => h('li.search-hit', {}, avatar(u.displayName, null, 24),
        h('div.search-text', {}, h('strong', { text: u.displayName }), ' ', h('span.muted', { text: u.mail || u.userPrincipalName || '' })))));
    }).catch(() => {});
  }

  const search = async () => {
    const mine = ++run;
    error.hidden = true;
    const external = scope.value === 'external';
    try {
      const r = await post('/v1.0/search/query', { requests: [{ entityTypes: [external ? 'externalItem' : 'chatMessage'], query: { queryString: query }, from, size: PAGE }] });
      if (mine !== run) return;
      const c = r.value[0].hitsContainers[0];
      for (const hit of c.hits || []) results.append(external ? externalHit(hit) : messageHit(hit));
      from += (c.hits || []).length;
      status.textContent = c.total ? t('history.resultCount', { count: c.total }) : t('history.noResults');
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
    clear(places);
    if (!query) return;
    if (scope.value === 'messages') localPlaces(query);
    search();
  });
  more.addEventListener('click', search);
  // Up/Down from the box and between results; Home/End to the first and last.
  d.body.addEventListener('keydown', (e) => {
    if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return;
    if (e.target === scope) return;
    if (e.target === input && (e.key === 'Home' || e.key === 'End')) return;
    const go = [...d.body.querySelectorAll('.search-go:not([disabled])')];
    if (!go.length) return;
    const i = go.indexOf(document.activeElement);
    let next;
    if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = go.length - 1;
    else if (e.key === 'ArrowDown') next = i < 0 ? 0 : Math.min(go.length - 1, i + 1);
    else next = i <= 0 ? -1 : i - 1;
    e.preventDefault();
    if (next < 0) input.focus(); else go[next].focus();
  });
  input.focus();
  return d;
}
