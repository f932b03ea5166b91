// The signed-in layout: a top bar (with the user menu), the team and channel list (a drawer on
// narrow screens) with unread and mention badges from the server (unread.js), and the open
// channel. Routes: /t/<team>/c/<channel>, /t/<team>/c/<channel>/m/<message> (opens the channel
// at that message) and /t/<team>/feed. The live stream feeds every cached channel's history
// (history.js), the counts and the notifications (notify.js).
import { h, announce, clear } from './dom.js';
import { get, post, enc } from './api.js';
import { connectEvents } from './events.js';
import { createFeedView } from './feed.js';
import { createChannelView } from './channel.js';
import { browseTeamsButton } from './teamsdirectory.js';
import { formDialog } from './dialog.js';
import { isAdmin, isAdminPath, canUseDeveloper } from './access.js';
import { languageMenu, languageMenuItems } from './language.js';
import { openSearch } from './search.js';
import { themeMenu } from './theme.js';
import { t } from './i18n.js';
import { createUnread } from './unread.js';
import { existingStore, allStores, addMessage, updateMessage, refreshNewest, forgetStores } from './history.js';
import { maybeNotify, supported as notificationsSupported, permission, askPermission } from './notify.js';
import { userMenu, addUserMenuItem } from './usermenu.js';
import { installShortcuts, openShortcutsHelp } from './shortcuts.js';
import { openSwitcher } from './switcher.js';

// Views opened from a menu load on demand: esbuild puts each in a chunk of its own, so the first
// load carries only what the channel view needs (docs/deploy.md, first-load figures).
const openDeveloper = async () => (await import('./developer.js')).openDeveloper();
const openAccount = async (opts) => (await import('./account.js')).openAccount(opts);
const openConnectorsDialog = async (opts) => (await import('./connectors.js')).openConnectorsDialog(opts);
const openTeamSettings = async (opts) => (await import('./teamsettings.js')).openTeamSettings(opts);
const openAdmin = async (opts) => (await import('./admin.js')).openAdmin(opts);

const APP = 'Switchboard';
// The server counts a channel's unread messages up to 100 ("at least"); like Teams, badges and
// the title say "99+" past 99.
const UNREAD_SHOWN_MAX = 99;
const shownCount = (n) => (n > UNREAD_SHOWN_MAX ? `${UNREAD_SHOWN_MAX}+` : String(n));

// firstBootstrap: the page's first GET /api/v1/bootstrap when main.js started it with the
// session's (a promise; asked again if it failed, its 401 being quiet), or null to ask now.
export function renderShell(root, { user, onSignOut, firstBootstrap = null }) {
  const state = { teams: [], channels: new Map(), current: null, view: null, expanded: new Set(), feed: null, recent: [] };
  let baseTitle = APP;

  const nav = h('nav#sidebar.sidebar', { 'aria-label': t('history.navLabel') });
  const teamList = h('ul.team-list');
  const newTeamBtn = h('button.button.link', { type: 'button', text: t('history.newTeam') });
  nav.append(h('div.sidebar-head', {}, h('h2', { text: t('history.teams') }), newTeamBtn), teamList);

  const liveState = h('span.live-state', { role: 'status', text: t('history.connecting') });
  const signOutBtn = h('button.button.subtle.sign-out', { type: 'button', text: t('common.signOut') });
  const searchBtn = h('button.button.subtle', { type: 'button', text: t('history.searchTitle'), onclick: () => search() });
  // Below 480 px Admin and Developer leave the top bar for the user menu (.wide-only).
  const allowed = { admin: false, developer: false };
  const adminBtn = h('button.button.subtle.wide-only', { type: 'button', text: t('common.admin'), hidden: true });
  adminBtn.addEventListener('click', () => showAdmin(true));
  isAdmin().then((yes) => { adminBtn.hidden = !yes; allowed.admin = yes; });
  const developerBtn = h('button.button.subtle.wide-only', { type: 'button', text: t('common.developer'), hidden: true, onclick: () => openDeveloper() });
  canUseDeveloper().then((yes) => { developerBtn.hidden = !yes; allowed.developer = yes; });
  const narrow = () => window.matchMedia('(max-width: 480px)').matches;
  const skip = h('a.skip-link', { href: '#composer', text: t('history.skipToComposer') });
  skip.addEventListener('click', (e) => {
    const c = document.getElementById('composer');
    if (!c) return;
    e.preventDefault();
    c.focus();
  });

  addUserMenuItem({ id: 'account', label: () => t('account.open'), action: () => openAccount({ user, onSignedOut: () => onSignOut() }) });
  addUserMenuItem({ id: 'shortcuts', label: () => t('history.shortcutsTitle'), action: () => openShortcutsHelp() });
  addUserMenuItem({
    id: 'notifications',
    label: () => t('history.turnOnNotifications'),
    visible: () => notificationsSupported() && permission() === 'default',
    action: async () => { const p = await askPermission(); announce(p === 'granted' ? t('history.notificationsOn') : t('history.notificationsOff')); },
  });
  addUserMenuItem({ id: 'developer', label: () => t('common.developer'), visible: () => allowed.developer && narrow(), action: () => openDeveloper() });
  addUserMenuItem({ id: 'admin', label: () => t('common.admin'), visible: () => allowed.admin && narrow(), action: () => showAdmin(true) });
  // Below 480 px the language choice moves into the user menu too.
  for (const item of languageMenuItems()) addUserMenuItem({ ...item, lang: item.id.replace(/^language-/, ''), visible: narrow });
  addUserMenuItem({ id: 'signout', label: () => t('common.signOut'), action: () => signOut() });

  const topbar = h('header.topbar', {},
    skip,
    h('span.brand', { text: APP }),
    liveState,
    userMenu(user),
    developerBtn,
    searchBtn,
    adminBtn,
    themeMenu(),
    languageMenu(),
    signOutBtn);
  topbar.querySelector('.language-menu').classList.add('wide-only');

  const drawerBtn = () => {
    const open = document.body.classList.contains('drawer-open');
    const b = h('button.icon-button.drawer-toggle', { type: 'button', 'aria-controls': 'sidebar', 'aria-expanded': String(open), 'aria-label': open ? t('history.hideNav') : t('history.showNav'), text: '\u2630' });
    b.addEventListener('click', () => setDrawer(!document.body.classList.contains('drawer-open')));
    return b;
  };
  const scrim = h('div.scrim', { 'aria-hidden': 'true' });
  scrim.addEventListener('click', () => setDrawer(false));
  const content = h('main#main.content');
  root.replaceChildren(h('div.app', {}, topbar, h('div.layout', {}, nav, scrim, content)));

  const unread = createUnread({ onChange: () => { renderNav(); updateTitle(); } });

  function updateTitle() {
    const n = unread.total();
    document.title = n ? t('history.titleUnread', { count: n, shown: shownCount(n), title: baseTitle }) : baseTitle;
  }

  function setDrawer(open) {
    document.body.classList.toggle('drawer-open', open);
    for (const b of document.querySelectorAll('.drawer-toggle')) {
      b.setAttribute('aria-expanded', String(open));
      b.setAttribute('aria-label', open ? t('history.hideNav') : t('history.showNav'));
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

  const badges = (n, m) => [
    m ? h('span.mention-badge', { text: '@' + m, 'aria-label': t('history.mentionCount', { count: m }) }) : null,
    n ? h('span.unread', { text: shownCount(n), 'aria-label': n > UNREAD_SHOWN_MAX ? t('history.unreadMany', { count: UNREAD_SHOWN_MAX }) : t('history.unreadCount', { count: n }) }) : null,
  ];

  function renderNav() {
    clear(teamList);
    if (!state.teams.length) teamList.append(h('li.empty', { text: t('history.noTeams') }));
    for (const team of state.teams) {
      const open = state.expanded.has(team.id);
      const chans = state.channels.get(team.id) || [];
      const listId = `chans-${team.id}`;
      const teamUnread = chans.reduce((n, c) => n + unread.unread(c.id), 0);
      const teamMentions = chans.reduce((n, c) => n + unread.mentions(c.id), 0);
      const toggle = h('button.team-toggle', { type: 'button', 'aria-expanded': String(open), 'aria-controls': listId },
        h('span.chevron', { 'aria-hidden': 'true', text: open ? '\u25BE' : '\u25B8' }),
        h('span.team-label', { text: team.displayName }),
        !open ? badges(teamUnread, teamMentions) : null);
      toggle.addEventListener('click', () => {
        if (state.expanded.has(team.id)) state.expanded.delete(team.id); else state.expanded.add(team.id);
        renderNav();
        teamList.querySelector(`[aria-controls="${CSS.escape(listId)}"]`).focus();
      });
      const ul = h('ul.channel-list', { id: listId, hidden: !open });
      for (const ch of chans) {
        const n = unread.unread(ch.id);
        const m = unread.mentions(ch.id);
        const current = state.current && state.current.channel.id === ch.id;
        const a = h('a.channel-link', { href: `/t/${enc(team.id)}/c/${enc(ch.id)}`, 'aria-current': current ? 'page' : null, dataset: { channelId: ch.id } },
          h('span.channel-name', { text: ch.displayName }), badges(n, m));
        if (n) a.classList.add('has-unread');
        a.addEventListener('click', (e) => { e.preventDefault(); openChannel(team, ch, true); });
        ul.append(h('li', {}, a));
      }
      const feedPath = `/t/${enc(team.id)}/feed`;
      const feed = h('a.channel-link.feed-link', { href: feedPath, 'aria-current': state.feed === team.id ? 'page' : null, text: t('history.groupFeed') });
      feed.addEventListener('click', (e) => { e.preventDefault(); openFeed(team, true); });
      ul.append(h('li', {}, feed));
      const addCh = h('button.button.link.add-channel', { type: 'button', text: t('history.addChannel') });
      addCh.addEventListener('click', () => createChannel(team));
      ul.append(h('li', {}, addCh));
      teamList.append(h('li.team', {}, toggle, ul));
    }
  }

  // The first load: teams, their channels and the read states in one round trip (on a slow
  // link each call in a row costs one); later changes ask for the teams again (loadTeams).
  async function bootstrap() {
    const b = await (firstBootstrap ? firstBootstrap.catch(() => get('/api/v1/bootstrap')) : get('/api/v1/bootstrap'));
    state.teams = (b.teams || []).map(({ channels, ...team }) => team);
    for (const tm of b.teams || []) state.channels.set(tm.id, tm.channels || []);
    if (state.expanded.size === 0) for (const tm of state.teams) state.expanded.add(tm.id);
    unread.seed(b.channelStates);
    renderNav();
  }

  async function loadTeams() {
    const res = await get('/v1.0/me/joinedTeams');
    state.teams = res.value || [];
    await Promise.all(state.teams.map(async (tm) => {
      try {
        const c = await get(`/v1.0/teams/${enc(tm.id)}/channels`);
        state.channels.set(tm.id, c.value || []);
      } catch { state.channels.set(tm.id, []); }
    }));
    if (state.expanded.size === 0) for (const tm of state.teams) state.expanded.add(tm.id);
    renderNav();
  }

  function findChannel(teamId, channelId) {
    const team = state.teams.find((x) => x.id === teamId);
    const channel = team && (state.channels.get(team.id) || []).find((c) => c.id === channelId);
    return channel ? { team, channel } : null;
  }
  function channelById(channelId) {
    for (const team of state.teams) {
      const channel = (state.channels.get(team.id) || []).find((c) => c.id === channelId);
      if (channel) return { team, channel };
    }
    return null;
  }

  function showEmpty() {
    baseTitle = APP;
    updateTitle();
    content.replaceChildren(h('section.welcome', {}, h('header.channel-header', {}, drawerBtn(), h('h1', { text: t('history.welcome') })),
      h('p', { text: state.teams.length ? t('history.pickChannel') : t('history.createTeamFirst') })));
  }

  function openFeed(team, push) {
    if (state.view) state.view.destroy();
    state.current = null;
    state.feed = team.id;
    state.view = createFeedView({ team, drawerButton: drawerBtn() });
    content.replaceChildren(state.view.root);
    renderNav();
    setDrawer(false);
    baseTitle = t('history.feedTitle', { team: team.displayName });
    updateTitle();
    const path = `/t/${enc(team.id)}/feed`;
    if (push && location.pathname !== path) history.pushState({}, '', path);
  }

  function openChannel(team, channel, push, messageId = null) {
    if (state.current && state.current.channel.id === channel.id && state.view && messageId) {
      state.view.jumpTo(messageId);
    } else {
      if (state.view) state.view.destroy();
      state.feed = null;
      state.current = { team, channel };
      state.recent = [channel.id, ...state.recent.filter((id) => id !== channel.id)].slice(0, 20);
      state.view = createChannelView({
        team, channel, user,
        readState: unread.get(channel.id),
        jumpTo: messageId,
        onRead: (id) => unread.markRead(channel.id, id),
        drawerButton: drawerBtn(),
        onOpenConnectors: () => openConnectorsDialog({ team, channel, user }),
        onOpenTeamSettings: () => openTeamSettings({ team, user, onChanged: (tm) => { Object.assign(team, tm); } }),
      });
      content.replaceChildren(state.view.root);
    }
    renderNav();
    setDrawer(false);
    baseTitle = t('history.channelTitle', { channel: channel.displayName, team: team.displayName });
    updateTitle();
    const path = `/t/${enc(team.id)}/c/${enc(channel.id)}` + (messageId ? `/m/${enc(messageId)}` : '');
    if (push && location.pathname !== path) history.pushState({}, '', path);
  }

  // The admin page (admin.js) takes the content area: the channel view goes, so nothing is
  // marked read while it is not on screen.
  function showAdmin(push) {
    if (state.view) state.view.destroy();
    state.view = null;
    state.current = null;
    state.feed = null;
    renderNav();
    setDrawer(false);
    openAdmin({ content, drawerButton: drawerBtn(), push });
    baseTitle = document.title;
    updateTitle();
  }

  function openFromLocation() {
    if (isAdminPath()) { showAdmin(false); return; }
    const f = /^\/t\/([^/]+)\/feed$/.exec(location.pathname);
    const feedTeam = f && state.teams.find((x) => x.id === decodeURIComponent(f[1]));
    if (feedTeam) {
      openFeed(feedTeam, false);
      return;
    }
    const m = /^\/t\/([^/]+)\/c\/([^/]+)(?:\/m\/([^/]+))?/.exec(location.pathname);
    let found = m && findChannel(decodeURIComponent(m[1]), decodeURIComponent(m[2]));
    const messageId = found && m[3] ? decodeURIComponent(m[3]) : null;
    if (!found && state.teams.length) {
      const team = state.teams[0];
      const channel = (state.channels.get(team.id) || [])[0];
      found = channel ? { team, channel } : null;
    }
    if (found) openChannel(found.team, found.channel, false, messageId);
    else showEmpty();
  }
  window.addEventListener('popstate', openFromLocation);

  function allChannels() {
    const out = [];
    for (const team of state.teams) for (const channel of state.channels.get(team.id) || []) out.push({ team, channel });
    return out;
  }

  function moveChannel(delta) {
    const list = allChannels();
    if (!list.length) return;
    const i = state.current ? list.findIndex((x) => x.channel.id === state.current.channel.id) : -1;
    const next = list[(i + delta + list.length) % list.length];
    state.expanded.add(next.team.id);
    openChannel(next.team, next.channel, true);
    announce(t('history.openedChannel', { channel: next.channel.displayName, team: next.team.displayName }));
  }

  function switcher() {
    const list = allChannels();
    const rank = (x) => { const i = state.recent.indexOf(x.channel.id); return i < 0 ? 1000 : i; };
    list.sort((a, b) => rank(a) - rank(b));
    openSwitcher(list.map(({ team, channel }) => ({
      label: channel.displayName,
      detail: team.displayName,
      open: () => { state.expanded.add(team.id); openChannel(team, channel, true); state.view.focusComposer(); },
    })));
  }

  function search() {
    openSearch({
      teams: state.teams,
      channelsOf: (id) => state.channels.get(id) || [],
      onJump: (teamId, channelId, messageId) => {
        const found = findChannel(teamId, channelId);
        if (found) openChannel(found.team, found.channel, true, messageId);
      },
      onOpenChannel: (team, channel) => openChannel(team, channel, true),
    });
  }

  const removeShortcuts = installShortcuts({ switcher, move: moveChannel, search });

  async function createTeam() {
    const team = await formDialog({
      title: t('history.createTeamTitle'), submitLabel: t('history.create'),
      fields: [{ name: 'displayName', label: t('history.teamName'), required: true }, { name: 'description', label: t('history.description') }],
      submit: (v) => post('/v1.0/teams', { displayName: v.displayName, description: v.description || undefined }),
    });
    if (!team) return;
    await loadTeams();
    const tm = state.teams.find((x) => x.id === team.id);
    const ch = tm && (state.channels.get(tm.id) || [])[0];
    if (tm && ch) openChannel(tm, ch, true);
    announce(t('history.teamCreated', { team: team.displayName }));
  }
  newTeamBtn.addEventListener('click', createTeam);
  nav.querySelector('.sidebar-head').append(browseTeamsButton({ onJoined: async (id) => { await loadTeams(); const tm = state.teams.find((x) => x.id === id); const ch = tm && (state.channels.get(id) || [])[0]; if (ch) openChannel(tm, ch, true); } }));

  async function createChannel(team) {
    const ch = await formDialog({
      title: t('history.addChannelTitle', { team: team.displayName }), submitLabel: t('history.add'),
      fields: [{ name: 'displayName', label: t('history.channelName'), required: true }, { name: 'description', label: t('history.description') }],
      submit: (v) => post(`/v1.0/teams/${enc(team.id)}/channels`, { displayName: v.displayName, description: v.description || undefined }),
    });
    if (!ch) return;
    const list = state.channels.get(team.id) || [];
    list.push(ch);
    state.channels.set(team.id, list);
    openChannel(team, ch, true);
  }

  let refreshTimer = null;
  let everLive = false;
  const isOpen = (cid) => !!(state.current && state.current.channel.id === cid);
  const events = connectEvents({
    onUpdate(msg) {
      const cid = msg.channelIdentity && msg.channelIdentity.channelId;
      const s = cid && existingStore(cid);
      if (s) updateMessage(s, msg);
      // An edit may add or remove a mention; a delete changes the counts.
      if (!isOpen(cid) || !state.view.atLatest()) unread.soon();
    },
    onMessage(msg) {
      const cid = msg.channelIdentity && msg.channelIdentity.channelId;
      if (!cid) return;
      const s = existingStore(cid);
      if (s) addMessage(s, msg);
      const where = channelById(cid);
      if (!where) {
        // A channel we do not list yet (added to a team, new channel): refresh the list.
        clearTimeout(refreshTimer);
        refreshTimer = setTimeout(() => loadTeams().catch(() => {}), 300);
      }
      const visible = isOpen(cid) && state.view.atLatest();
      maybeNotify(msg, {
        me: user,
        channelName: where ? where.channel.displayName : '',
        visible,
        onClick: () => { if (where) openChannel(where.team, where.channel, true, msg.replyToId || msg.id); },
      });
      if (msg.from && msg.from.user && msg.from.user.id === user.id) return;
      if (!visible || document.visibilityState !== 'visible') unread.soon();
    },
    onState(st) {
      const was = liveState.dataset.state;
      liveState.dataset.state = st;
      liveState.textContent = st === 'live' ? t('history.live') : st === 'offline' ? t('history.offline') : t('history.reconnecting');
      if (st !== 'live') return;
      // Back after a gap: the server replayed the missed messages (Last-Event-ID); edits and
      // deletes are not replayed, so the cached channels' newest pages and the counts are
      // asked again.
      if (everLive && was !== 'live') {
        for (const s of allStores()) refreshNewest(s).catch(() => {});
        unread.refresh();
      }
      everLive = true;
    },
  });

  async function signOut() {
    events.close();
    await onSignOut();
  }
  signOutBtn.addEventListener('click', signOut);

  bootstrap().then(openFromLocation).catch((err) => {
    content.replaceChildren(h('p.error', { role: 'alert', text: err.message }));
  });

  return {
    destroy() {
      events.close();
      unread.destroy();
      removeShortcuts();
      window.removeEventListener('popstate', openFromLocation);
      if (state.view) state.view.destroy();
      forgetStores();
    },
  };
}
