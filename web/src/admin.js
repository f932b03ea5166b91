// The administrator's page, a full page at /admin/<section> (the server's HTML fallback serves
// it; shell.js hands the location here): a list of sections and the open one. Each section is a
// small module under admin/. Non-administrators who open the URL are told they cannot use it.
import './viewtext.js'; // their areas' catalogs, before any t() of theirs (see viewtext.js)
import { h, clear } from './dom.js';
import { t } from './i18n.js';
import { isAdmin, isAdminPath } from './access.js';
import { organisationSection, cloudSection } from './admin/organisation.js';
import { outboundSection } from './admin/outbound.js';
import { webhookUrlsSection } from './admin/webhookurls.js';
import { appsSection } from './admin/apps.js';
import { usersSection } from './admin/users.js';
import { teamsSection } from './admin/teams.js';
import { auditSection } from './admin/audit.js';
import './shared.js'; // the first load's modules, in one chunk (see shared.js)

export const ADMIN_SECTIONS = [
  ['organisation', organisationSection],
  ['cloud', cloudSection],
  ['outbound', outboundSection],
  ['webhook-urls', webhookUrlsSection],
  ['apps', appsSection],
  ['users', usersSection],
  ['teams', teamsSection],
  ['audit', auditSection],
];
const KEYS = { organisation: 'organisation', cloud: 'cloud', outbound: 'outbound', 'webhook-urls': 'webhookUrls', apps: 'apps', users: 'users', teams: 'teams', audit: 'audit' };

function sectionFromPath() {
  const m = /^\/admin\/([a-z-]+)/.exec(location.pathname);
  return m && KEYS[m[1]] ? m[1] : 'organisation';
}

// Renders the page into content (the shell's <main>); push: add /admin/<section> to history.
export function openAdmin({ content = document.getElementById('main'), drawerButton = null, push = true, section } = {}) {
  const current = section || (push && !isAdminPath() ? 'organisation' : sectionFromPath());
  const path = `/admin/${current}`;
  if (push && location.pathname !== path) history.pushState({}, '', path);
  document.title = t('admin.documentTitle', { section: t(`admin.section.${KEYS[current]}`) });
  const nav = h('nav.admin-nav', { 'aria-label': t('admin.nav') });
  const list = h('ul');
  const holder = h('div.admin-content');
  for (const [id] of ADMIN_SECTIONS) {
    const a = h('a', { href: `/admin/${id}`, text: t(`admin.section.${KEYS[id]}`), 'aria-current': id === current ? 'page' : null });
    a.addEventListener('click', (e) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button) return;
      e.preventDefault();
      openAdmin({ content, drawerButton, push: true, section: id });
      const first = content.querySelector('.admin-content h2');
      if (first) { first.tabIndex = -1; first.focus(); }
    });
    list.append(h('li', {}, a));
  }
  nav.append(list);
  const page = h('div.admin-page', {},
    h('header.channel-header.admin-header', {}, drawerButton, h('h1', { text: t('admin.title') })),
    h('div.admin-layout', {}, nav, holder));
  clear(content).append(page);
  // On a phone the list scrolls sideways: show the open section's entry.
  const here = nav.querySelector('[aria-current="page"]');
  if (here && here.scrollIntoView) here.scrollIntoView({ block: 'nearest', inline: 'center' });
  isAdmin().then((yes) => {
    if (!yes) { clear(holder).append(h('p.error', { role: 'alert', text: t('admin.notAdmin') })); return; }
    const make = ADMIN_SECTIONS.find(([id]) => id === current)[1];
    clear(holder).append(make());
  });
  return { destroy() {} };
}
