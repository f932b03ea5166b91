// The signed-in layout: a top bar, the team and channel list (a drawer on narrow screens) and
// the open channel. Keeps unread counts per channel from the live event stream.
import { h, avatar, announce, clear } from './dom.js';
import { get, post, enc } from './api.js';
import { connectEvents } from './events.js';
import { createFeedView } from './feed.js';
import { createChannelView } from './channel.js';
import { openConnectorsDialog } from './connectors.js';
import { openTeamSettings } from './teamsettings.js';
import { browseTeamsButton } from './teamsdirectory.js';
import { formDialog } from './dialog.js';
import { isAdmin, openAdmin, isAdminPath } from './admin.js';
import { languageMenu } from './language.js';
import { canUseDeveloper, openDeveloper } from './developer.js';
import { openSearch } from './search.js';
import { themeMenu } from './theme.js';
import { accountButton } from './account.js';

export function renderShell(root, { user, onSignOut }) {
  const state = { teams: [], channels: new Map(), unread: new Map(), current: null, view: null, expanded: new Set() };

  const nav = h('nav#sidebar.sidebar', { 'aria-label': 'Teams and channels' });
  const teamList = h('ul.team-list');
  const newTeamBtn = h('button.button.link', { type: 'button', text: '+ New team' });
  nav.append(h('div.sidebar-head', {}, h('h2', { text: 'Teams' }), newTeamBtn), teamList);

  const liveState = h('span.live-state', { role: 'status', text: 'Connecting\u2026' });
  const signOutBtn = h('button.button.subtle', { type: 'button', text: 'Sign out' });
  const searchBtn = h('button.button.subtle', { type: 'button', text: 'Search', onclick: () => openSearch() });
  const adminBtn = h('button.button.subtle', { type: 'button', text: 'Admin', hidden: true });
  adminBtn.addEventListener('click', () => openAdmin({ content, drawerButton: drawerBtn() }));
  isAdmin().then((yes) => { adminBtn.hidden = !yes; });
  const developerBtn = h('button.button.subtle', { type: 'button', text: 'Developer', hidden: true, onclick: () => openDeveloper() });
  canUseDeveloper().then((yes) => { developerBtn.hidden = !yes; });
  const topbar = h('header.topbar', {},
    h('a.skip-link', { href: '#composer', text: 'Skip to message composer' }),
    h('span.brand', { text: 'Switchboard' }),
    liveState,
    h('span.me', {}, avatar(user.displayName, null, 28), h('span.me-name', { text: user.displayName })),
    developerBtn,
    searchBtn,
    adminBtn,
    themeMenu(),
    languageMenu(),
    accountButton({ user, onSignedOut: () => onSignOut() }),
    signOutBtn);

  const drawerBtn = () => {
    const b = h('button.icon-button.drawer-toggle', { type: 'button', 'aria-controls': 'sidebar', 'aria-expanded': String(document.body.classList.contains('drawer-open')), 'aria-label': 'Show teams and channels', text: '\u2630' });
    b.addEventListener('click', () => setDrawer(!document.body.classList.contains('drawer-open')));
    return b;
  };
  const scrim = h('div.scrim', { 'aria-hidden': 'true' });
  scrim.addEventListener('click', () => setDrawer(false));
  const content = h('main#main.content');
  root.replaceChildren(h('div.app', {}, topbar, h('div.layout', {}, nav, scrim, content)));

  function setDrawer(open) {
    document.body.classList.toggle('drawer-open', open);
    for (const b of document.querySelectorAll('.drawer-toggle')) {
      b.setAttribute('aria-expanded', String(open));
      b.setAttribute('aria-label', open ? 'Hide teams and channels' : 'Show teams and channels');
    }
    if (open) {
      const first = nav.querySelector('[aria-current="page"]') || nav.querySelector('button, a');
      if (first) first.focus();
    }
  }
  nav.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && document.body.classList.contains('drawer-open')) {
      setDrawer(false);
      const b = content.querySelector('.drawer-toggle');
      if (b) b.focus();
    }
  });

  function renderNav() {
    clear(teamList);
    if (!state.teams.length) teamList.append(h('li.empty', { text: 'You are not in any team yet. Create one with "+ New team".' }));
    for (const team of state.teams) {
      const open = state.expanded.has(team.id);
      const chans = state.channels.get(team.id) || [];
      const listId = `chans-${team.id}`;
      const teamUnread = chans.reduce((n, c) => n + (state.unread.get(c.id) || 0), 0);
      const toggle = h('button.team-toggle', { type: 'button', 'aria-expanded': String(open), 'aria-controls': listId },
        h('span.chevron', { 'aria-hidden': 'true', text: open ? '\u25BE' : '\u25B8' }),
        avatar(team.displayName, null, 24),
        h('span.team-label', { text: team.displayName }),
        !open && teamUnread ? h('span.unread', { text: String(teamUnread), 'aria-label': `${teamUnread} unread` }) : null);
      toggle.addEventListener('click', () => {
        if (state.expanded.has(team.id)) state.expanded.delete(team.id); else state.expanded.add(team.id);
        renderNav();
        teamList.querySelector(`[aria-controls="${CSS.escape(listId)}"]`).focus();
      });
      const ul = h('ul.channel-list', { id: listId, hidden: !open });
      for (const ch of chans) {
        const n = state.unread.get(ch.id) || 0;
        const current = state.current && state.current.channel.id === ch.id;
        const a = h('a.channel-link', { href: `/t/${enc(team.id)}/c/${enc(ch.id)}`, 'aria-current': current ? 'page' : null, dataset: { channelId: ch.id } },
          h('span.channel-name', { text: ch.displayName }),
          n ? h('span.unread', { text: String(n), 'aria-label': `${n} unread` }) : null);
        if (n) a.classList.add('has-unread');
        a.addEventListener('click', (e) => { e.preventDefault(); openChannel(team, ch, true); });
        ul.append(h('li', {}, a));
      }
      const feedPath = `/t/${enc(team.id)}/feed`;
      const feed = h('a.channel-link.feed-link', { href: feedPath, 'aria-current': state.feed === team.id ? 'page' : null, text: 'Group feed' });
      feed.addEventListener('click', (e) => { e.preventDefault(); openFeed(team, true); });
      ul.append(h('li', {}, feed));
      const addCh = h('button.button.link.add-channel', { type: 'button', text: '+ Add channel' });
      addCh.addEventListener('click', () => createChannel(team));
      ul.append(h('li', {}, addCh));
      teamList.append(h('li.team', {}, toggle, ul));
    }
  }

  async function loadTeams() {
    const res = await get('/v1.0/me/joinedTeams');
    state.teams = res.value || [];
    await Promise.all(state.teams.map(async (t) => {
      try {
        const c = await get(`/v1.0/teams/${enc(t.id)}/channels`);
        state.channels.set(t.id, c.value || []);
      } catch { state.channels.set(t.id, []); }
    }));
    if (state.expanded.size === 0) for (const t of state.teams) state.expanded.add(t.id);
    renderNav();
  }

  function showEmpty() {
    content.replaceChildren(h('section.welcome', {}, h('header.channel-header', {}, drawerBtn(), h('h1', { text: 'Welcome' })),
      h('p', { text: state.teams.length ? 'Pick a channel to see its conversation.' : 'Create a team to get started.' })));
  }

  function openFeed(team, push) {
    if (state.view) state.view.destroy();
    state.current = null;
    state.feed = team.id;
    state.view = createFeedView({ team, drawerButton: drawerBtn() });
    content.replaceChildren(state.view.root);
    renderNav();
    setDrawer(false);
    document.title = `Group feed | ${team.displayName} | Switchboard`;
    const path = `/t/${enc(team.id)}/feed`;
    if (push && location.pathname !== path) history.pushState({}, '', path);
  }

  function openChannel(team, channel, push) {
    if (state.view) state.view.destroy();
    state.feed = null;
    state.current = { team, channel };
    state.unread.delete(channel.id);
    state.view = createChannelView({
      team, channel, me: user,
      drawerButton: drawerBtn(),
      onOpenConnectors: () => openConnectorsDialog({ team, channel, user }),
      onOpenTeamSettings: () => openTeamSettings({ team, user, onChanged: (t) => { Object.assign(team, t); } }),
    });
    content.replaceChildren(state.view.root);
    renderNav();
    setDrawer(false);
    document.title = `${channel.displayName} | ${team.displayName} | Switchboard`;
    const path = `/t/${enc(team.id)}/c/${enc(channel.id)}`;
    if (push && location.pathname !== path) history.pushState({}, '', path);
  }

  function openFromLocation() {
    if (isAdminPath()) { openAdmin({ content, drawerButton: drawerBtn(), push: false }); return; }
    const f = /^\/t\/([^/]+)\/feed$/.exec(location.pathname);
    const feedTeam = f && state.teams.find((t) => t.id === decodeURIComponent(f[1]));
    if (feedTeam) {
      openFeed(feedTeam, false);
      return;
    }
    const m = /^\/t\/([^/]+)\/c\/([^/]+)/.exec(location.pathname);
    let team = null;
    let channel = null;
    if (m) {
      team = state.teams.find((t) => t.id === decodeURIComponent(m[1]));
      channel = team && (state.channels.get(team.id) || []).find((c) => c.id === decodeURIComponent(m[2]));
    }
    if (!channel && state.teams.length) {
      team = state.teams[0];
      channel = (state.channels.get(team.id) || [])[0];
    }
    if (team && channel) openChannel(team, channel, false);
    else showEmpty();
  }
  window.addEventListener('popstate', openFromLocation);

  async function createTeam() {
    const team = await formDialog({
      title: 'Create a team', submitLabel: 'Create',
      fields: [{ name: 'displayName', label: 'Team name', required: true }, { name: 'description', label: 'Description' }],
      submit: (v) => post('/v1.0/teams', { displayName: v.displayName, description: v.description || undefined }),
    });
    if (!team) return;
    await loadTeams();
    const t = state.teams.find((x) => x.id === team.id);
    const ch = t && (state.channels.get(t.id) || [])[0];
    if (t && ch) openChannel(t, ch, true);
    announce(`Team ${team.displayName} created`);
  }
  newTeamBtn.addEventListener('click', createTeam);
  nav.querySelector('.sidebar-head').append(browseTeamsButton({ onJoined: async (id) => { await loadTeams(); const t = state.teams.find((x) => x.id === id); const ch = t && (state.channels.get(id) || [])[0]; if (ch) openChannel(t, ch, true); } }));

  async function createChannel(team) {
    const ch = await formDialog({
      title: `Add a channel to ${team.displayName}`, submitLabel: 'Add',
      fields: [{ name: 'displayName', label: 'Channel name', required: true }, { name: 'description', label: 'Description' }],
      submit: (v) => post(`/v1.0/teams/${enc(team.id)}/channels`, { displayName: v.displayName, description: v.description || undefined }),
    });
    if (!ch) return;
    const list = state.channels.get(team.id) || [];
    list.push(ch);
    state.channels.set(team.id, list);
    openChannel(team, ch, true);
  }

  let refreshTimer = null;
  const events = connectEvents({
    onUpdate(msg) {
      const cid = msg.channelIdentity && msg.channelIdentity.channelId;
      if (state.current && state.current.channel.id === cid) state.view.replaceMessage(msg);
    },
    onMessage(msg) {
      const cid = msg.channelIdentity && msg.channelIdentity.channelId;
      if (!cid) return;
      if (state.current && state.current.channel.id === cid) {
        state.view.addLive(msg);
        return;
      }
      const known = [...state.channels.values()].some((l) => l.some((c) => c.id === cid));
      if (!known) {
        // A channel we do not list yet (added to a team, new channel): refresh the list.
        clearTimeout(refreshTimer);
        refreshTimer = setTimeout(() => loadTeams().catch(() => {}), 300);
      }
      if (msg.from && msg.from.user && msg.from.user.id === user.id) return;
      state.unread.set(cid, (state.unread.get(cid) || 0) + 1);
      renderNav();
    },
    onState(s) {
      const wasOffline = liveState.dataset.state === 'offline';
      liveState.dataset.state = s;
      liveState.textContent = s === 'live' ? 'Live' : s === 'offline' ? 'Offline, retrying\u2026' : 'Reconnecting\u2026';
      // After a full reconnect the server cannot know what we missed: reload the open channel.
      if (s === 'live' && wasOffline && state.view) state.view.reload();
    },
  });

  signOutBtn.addEventListener('click', async () => {
    events.close();
    await onSignOut();
  });

  loadTeams().then(openFromLocation).catch((err) => {
    content.replaceChildren(h('p.error', { role: 'alert', text: err.message }));
  });

  return { destroy() { events.close(); window.removeEventListener('popstate', openFromLocation); if (state.view) state.view.destroy(); } };
}
