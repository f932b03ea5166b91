// Team settings: who can find the team (visibility: public teams are in "Browse teams" and
// anyone may join; private ones by invitation), the connector permission for members, and the
// members with their roles. Owners change roles (PATCH .../members/{m} {roles}), remove people,
// and add people found by searching the directory (GET /v1.0/users?$search).
import './viewtext.js'; // their areas' catalogs, before any t() of theirs (see viewtext.js)
import { h, clear, announce } from './dom.js';
import { get, post, patch, del, enc } from './api.js';
import { openDialog } from './dialog.js';
import { t } from './i18n.js';
import './shared.js'; // the first load's modules, in one chunk (see shared.js)

const ROLES = [['owner', 'directory.role.owner'], ['member', 'directory.role.member'], ['guest', 'directory.role.guest']];

function roleOf(m) {
  const roles = m.roles || [];
  return roles.includes('owner') ? 'owner' : roles.includes('guest') ? 'guest' : 'member';
}

function roleSelect(id, value, labelText) {
  return h('select', { id, 'aria-label': labelText },
    ROLES.map(([v, key]) => h('option', { value: v, text: t(key), selected: v === value })));
}

// People whose name or user name contains q: the server's $search (Graph's quoted form), and the
// same filter here, so an older server that lists everyone gives the same answer.
async function searchPeople(q) {
  const res = await get(`/v1.0/users?$search=${enc(`"${q.replace(/"/g, '')}"`)}&$top=20`);
  const needle = q.toLowerCase();
  return (res.value || []).filter((u) => `${u.displayName} ${u.userPrincipalName}`.toLowerCase().includes(needle)).slice(0, 20);
}

export function openTeamSettings({ team, user, onChanged }) {
  const d = openDialog({ title: t('directory.settings.title', { name: team.displayName }), wide: true, className: 'team-dialog' });
  d.footer.append(h('button.button', { type: 'button', text: t('directory.close'), onclick: () => d.close() }));

  const load = async (focusSel) => {
    clear(d.body);
    const error = h('p.error', { role: 'alert', hidden: true });
    d.body.append(error);
    const showError = (err) => { error.textContent = err.message; error.hidden = false; };
    let members;
    let fresh;
    try {
      [members, fresh] = await Promise.all([get(`/v1.0/teams/${enc(team.id)}/members`), get(`/v1.0/teams/${enc(team.id)}`)]);
    } catch (err) { showError(err); return; }
    members = members.value || [];
    Object.assign(team, fresh);
    if (onChanged) onChanged(fresh);
    const me = members.find((m) => m.userId === user.id);
    const isOwner = !!(me && roleOf(me) === 'owner');

    // Visibility
    const vis = team.visibility === 'public' ? 'public' : 'private';
    const visSaved = h('span.copy-status', { role: 'status' });
    const radios = ['public', 'private'].map((v) => {
      const input = h(`input#ts-vis-${v}`, { type: 'radio', name: 'ts-visibility', value: v, checked: v === vis, disabled: !isOwner });
      input.addEventListener('change', async () => {
        if (!input.checked) return;
        radios.forEach((r) => { r.input.disabled = true; });
        try {
          await patch(`/v1.0/teams/${enc(team.id)}`, { visibility: v });
          team.visibility = v;
          visSaved.textContent = t('directory.saved');
        } catch (err) {
          showError(err);
          radios.forEach((r) => { r.input.checked = r.value === team.visibility; });
        } finally { radios.forEach((r) => { r.input.disabled = !isOwner; }); }
      });
      return { value: v, input, el: h('div.check', {}, input, h('label', { for: `ts-vis-${v}` }, h('strong', { text: t(`directory.${v}`) }), ' ', h('span.muted', { text: t(`directory.${v}.help`) }))) };
    });
    d.body.append(h('fieldset.settings.visibility', {},
      h('legend', { text: t('directory.visibility') }), ...radios.map((r) => r.el), visSaved));

    // Member permissions
    const allow = !!(team.memberSettings && team.memberSettings.allowCreateUpdateRemoveConnectors);
    const cb = h('input#allow-connectors', { type: 'checkbox', checked: allow, disabled: !isOwner });
    const saved = h('span.copy-status', { role: 'status' });
    cb.addEventListener('change', async () => {
      cb.disabled = true;
      try {
        await patch(`/v1.0/teams/${enc(team.id)}`, { memberSettings: { allowCreateUpdateRemoveConnectors: cb.checked } });
        team.memberSettings = { ...(team.memberSettings || {}), allowCreateUpdateRemoveConnectors: cb.checked };
        saved.textContent = t('directory.saved');
      } catch (err) { cb.checked = !cb.checked; showError(err); } finally { cb.disabled = false; }
    });
    d.body.append(h('section.settings', { 'aria-labelledby': 'ts-perm' },
      h('h3#ts-perm', { text: t('directory.permissions') }),
      h('div.check', {}, cb, h('label', { for: 'allow-connectors', text: t('directory.allowConnectors') }), saved),
      isOwner ? null : h('p.muted', { text: t('directory.ownersOnly') })));

    // Members
    const tbody = h('tbody');
    for (const m of members) {
      const role = roleOf(m);
      let roleCell = h('td', { text: t(`directory.role.${role}`) });
      let action = null;
      if (isOwner && m.userId !== user.id) {
        const sel = roleSelect(`ts-role-${m.id}`, role, t('directory.roleOf', { name: m.displayName }));
        sel.addEventListener('change', async () => {
          sel.disabled = true;
          try {
            await patch(`/v1.0/teams/${enc(team.id)}/members/${enc(m.id)}`, { roles: sel.value === 'member' ? [] : [sel.value] });
            announce(t('directory.roleChanged', { name: m.displayName, role: t(`directory.role.${sel.value}`) }));
            load(`#ts-role-${m.id}`);
          } catch (err) { showError(err); sel.value = role; sel.disabled = false; }
        });
        roleCell = h('td', {}, sel);
        action = h('button.button.danger', { type: 'button', text: t('directory.remove'), 'aria-label': t('directory.removeName', { name: m.displayName }) });
        action.addEventListener('click', async () => {
          action.disabled = true;
          try {
            await del(`/v1.0/teams/${enc(team.id)}/members/${enc(m.id)}`);
            announce(t('directory.removed', { name: m.displayName }));
            load('#add-member-search');
          } catch (err) { showError(err); action.disabled = false; }
        });
      }
      tbody.append(h('tr', {}, h('td', { text: m.displayName }), roleCell, h('td', {}, action)));
    }
    d.body.append(h('section', { 'aria-labelledby': 'ts-members' },
      h('h3#ts-members', { text: t('directory.members', { count: members.length }) }),
      h('div.table-scroll', {}, h('table.members', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: t('directory.name') }), h('th', { scope: 'col', text: t('directory.role') }), h('th', { scope: 'col' }, h('span.visually-hidden', { text: t('directory.actions') })))), tbody))));

    if (isOwner) d.body.append(addPeople({ members, showError, onAdded: () => load('#add-member-search') }));
    const f = focusSel && d.body.querySelector(focusSel);
    if (f) f.focus(); else d.focusFirst();
  };

  // Search people, then add one with a role.
  function addPeople({ members, showError, onAdded }) {
    const memberIds = new Set(members.map((m) => m.userId));
    const search = h('input#add-member-search', { type: 'search', autocomplete: 'off', spellcheck: false });
    const role = roleSelect('add-member-role', 'member', t('directory.addRole'));
    const results = h('ul.people-results', { 'aria-label': t('directory.results') });
    const status = h('p.muted', { role: 'status' });
    let timer = null;
    let seq = 0;
    const run = async () => {
      const q = search.value.trim();
      const mine = ++seq;
      clear(results);
      if (q.length < 1) { status.textContent = ''; return; }
      let people;
      try { people = await searchPeople(q); } catch (err) { showError(err); return; }
      if (mine !== seq) return; // a newer search is on its way
      const found = people.filter((u) => !memberIds.has(u.id));
      status.textContent = t('directory.found', { count: found.length });
      for (const u of found) {
        const add = h('button.button', { type: 'button', text: t('directory.add'), 'aria-label': t('directory.addName', { name: u.displayName }) });
        add.addEventListener('click', async () => {
          add.disabled = true;
          try {
            await post(`/v1.0/teams/${enc(team.id)}/members`, {
              '@odata.type': '#microsoft.graph.aadUserConversationMember',
              roles: role.value === 'member' ? [] : [role.value],
              'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${u.id}')`,
            });
            announce(t('directory.added', { name: u.displayName }));
            onAdded();
          } catch (err) { showError(err); add.disabled = false; }
        });
        results.append(h('li', {}, h('span', { text: u.displayName }), ' ', h('span.muted', { text: u.userPrincipalName }), add));
      }
    };
    search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(run, 250); });
    return h('section.add-member', { 'aria-labelledby': 'ts-add' },
      h('h3#ts-add', { text: t('directory.addTitle') }),
      h('div.inline-fields', {},
        h('div.field', {}, h('label', { for: 'add-member-search', text: t('directory.search') }), search),
        h('div.field', {}, h('label', { for: 'add-member-role', text: t('directory.role') }), role)),
      status, results);
  }

  load();
  return d;
}
