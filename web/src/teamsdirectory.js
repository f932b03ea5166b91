// "Browse teams": the teams directory (GET /v1.0/teams: public teams and your own). A public
// team you are not in has a Join button (POST .../members with yourself as member); private
// teams are by invitation and are listed only when you are in them.
import { h, clear, announce } from './dom.js';
import { get, post, enc } from './api.js';
import { openDialog } from './dialog.js';
import { t } from './i18n.js';

// The sidebar's "Browse teams" button; onJoined(teamId) after a join (the shell reloads).
export function browseTeamsButton({ onJoined }) {
  return h('button.button.link.browse-teams', { type: 'button', text: t('directory.browse'), onclick: () => openTeamsDirectory({ onJoined }) });
}

export function openTeamsDirectory({ onJoined } = {}) {
  const d = openDialog({ title: t('directory.title'), wide: true, className: 'teams-directory' });
  d.footer.append(h('button.button', { type: 'button', text: t('directory.close'), onclick: () => d.close() }));
  const error = h('p.error', { role: 'alert', hidden: true });
  const filter = h('input#directory-filter', { type: 'search', autocomplete: 'off', spellcheck: false });
  const count = h('p.muted.directory-count', { role: 'status' });
  const list = h('ul.directory-list', { 'aria-label': t('directory.listLabel') });
  d.body.append(
    h('div.field', {}, h('label', { for: 'directory-filter', text: t('directory.filter') }), filter),
    error, count, list);

  let teams = [];
  let joined = new Set();
  const showError = (err) => { error.textContent = err.message; error.hidden = false; };

  function render() {
    const q = filter.value.trim().toLowerCase();
    const shown = teams.filter((x) => !q || x.displayName.toLowerCase().includes(q) || (x.description || '').toLowerCase().includes(q));
    clear(list);
    count.textContent = t('directory.count', { count: shown.length });
    for (const team of shown) {
      const mine = joined.has(team.id);
      const badge = h('span.badge.directory-visibility', { text: team.visibility === 'public' ? t('directory.public') : t('directory.private') });
      let action;
      if (mine) {
        action = h('span.muted.directory-joined', { text: t('directory.joined') });
      } else {
        action = h('button.button.primary', { type: 'button', text: t('directory.join'), 'aria-label': t('directory.joinTeam', { name: team.displayName }) });
        action.addEventListener('click', () => join(team, action));
      }
      list.append(h('li.directory-team', {},
        h('div.directory-text', {},
          h('h3', { text: team.displayName }),
          team.description ? h('p.muted', { text: team.description }) : null),
        badge, action));
    }
  }

  async function join(team, button) {
    button.disabled = true;
    error.hidden = true;
    try {
      const me = await get('/v1.0/me');
      await post(`/v1.0/teams/${enc(team.id)}/members`, {
        '@odata.type': '#microsoft.graph.aadUserConversationMember',
        roles: [],
        'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${me.id}')`,
      });
      joined.add(team.id);
      announce(t('directory.joinedTeam', { name: team.displayName }));
      render();
      if (onJoined) onJoined(team.id);
    } catch (err) {
      showError(err);
      button.disabled = false;
    }
  }

  filter.addEventListener('input', render);
  (async () => {
    try {
      const [all, mine] = await Promise.all([get('/v1.0/teams'), get('/v1.0/me/joinedTeams')]);
      teams = all.value || [];
      joined = new Set((mine.value || []).map((x) => x.id));
      render();
    } catch (err) { showError(err); }
    filter.focus();
  })();
  return d;
}
