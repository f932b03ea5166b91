// A group's feed: the team's connector posts from configurations made in the groups client
// (appType "groups"), newest first, under one heading per date, as a group mailbox shows them
// (GET /api/v1/teams/{id}/feed). Read-only; "Load more" follows @odata.nextLink.
import { h } from './dom.js';
import { get, enc, localPath } from './api.js';
import { renderMessage } from './message.js';
import { t, formatDate } from './i18n.js';

function dateLabel(date) {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  return formatDate(d, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
}

export function createFeedView({ team, drawerButton }) {
  const days = h('div.feed-days');
  const status = h('p.history-status', { role: 'status' });
  const more = h('button.button.link.load-older', { type: 'button', text: t('history.loadMore'), hidden: true });
  const root = h('section.channel.feed', { 'aria-label': t('history.feedOf', { team: team.displayName }) },
    h('header.channel-header', {}, drawerButton, h('h1', { text: t('history.groupFeed') }), h('span.channel-team', { text: team.displayName })),
    h('div.stream', { tabindex: '0', 'aria-label': t('history.groupFeed') }, days, status, more));
  let next = null;
  let lastDate = null;
  let lastList = null;

  async function load(url) {
    more.hidden = true;
    status.textContent = t('history.loading');
    try {
      const page = await get(url ? localPath(url) : `/api/v1/teams/${enc(team.id)}/feed`);
      for (const day of page.value || []) {
        if (day.date !== lastDate) {
          lastDate = day.date;
          lastList = h('ol.messages', { 'aria-label': t('history.postsOf', { date: dateLabel(day.date) }) });
          days.append(h('section.feed-day', {}, h('h2.feed-date', { text: dateLabel(day.date) }), lastList));
        }
        for (const m of day.messages || []) lastList.append(renderMessage(m));
      }
      next = page['@odata.nextLink'] || null;
      more.hidden = !next;
      status.textContent = days.childElementCount ? '' : t('history.feedEmpty');
    } catch (err) {
      status.textContent = err.message;
    }
  }
  more.addEventListener('click', () => next && load(next));
  load(null);

  return {
    root,
    channelId: null,
    addLive() {},
    replaceMessage(msg) {
      const old = [...root.querySelectorAll('li.message')].find((li) => li.dataset.id === msg.id);
      if (old) old.replaceWith(renderMessage(msg));
    },
    destroy() {},
  };
}
