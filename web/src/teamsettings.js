// Team settings: members with their roles (owners add and remove members and change the
// connector permission for members).
import { h, clear, announce } from './dom.js';
import { get, post, patch, del, enc } from './api.js';
import { openDialog } from './dialog.js';

export function openTeamSettings({ team, user, onChanged }) {
  const d = openDialog({ title: `Manage team: ${team.displayName}`, wide: true, className: 'team-dialog' });
  d.footer.append(h('button.button', { type: 'button', text: 'Close', onclick: () => d.close() }));

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
    const isOwner = !!(me && (me.roles || []).includes('owner'));

    // Settings
    const allow = !!(team.memberSettings && team.memberSettings.allowCreateUpdateRemoveConnectors);
    const cb = h('input#allow-connectors', { type: 'checkbox', checked: allow, disabled: !isOwner });
    const saved = h('span.copy-status', { role: 'status' });
    cb.addEventListener('change', async () => {
      cb.disabled = true;
      try {
        await patch(`/v1.0/teams/${enc(team.id)}`, { memberSettings: { allowCreateUpdateRemoveConnectors: cb.checked } });
        team.memberSettings = { ...(team.memberSettings || {}), allowCreateUpdateRemoveConnectors: cb.checked };
        saved.textContent = 'Saved';
      } catch (err) { cb.checked = !cb.checked; showError(err); } finally { cb.disabled = false; }
    });
    d.body.append(h('section.settings', { 'aria-labelledby': 'ts-perm' },
      h('h3#ts-perm', { text: 'Member permissions' }),
      h('div.check', {}, cb, h('label', { for: 'allow-connectors', text: 'Allow members to create, update and remove connectors' }), saved),
      isOwner ? null : h('p.muted', { text: 'Only team owners can change settings and members.' })));

    // Members
    const tbody = h('tbody');
    for (const m of members) {
      const role = (m.roles || []).includes('owner') ? 'Owner' : (m.roles || []).includes('guest') ? 'Guest' : 'Member';
      let action = null;
      if (isOwner && m.userId !== user.id) {
        action = h('button.button.danger', { type: 'button', text: 'Remove', 'aria-label': `Remove ${m.displayName}` });
        action.addEventListener('click', async () => {
          action.disabled = true;
          try {
            await del(`/v1.0/teams/${enc(team.id)}/members/${enc(m.id)}`);
            announce(`${m.displayName} removed`);
            load('#add-member-user');
          } catch (err) { showError(err); action.disabled = false; }
        });
      }
      tbody.append(h('tr', {}, h('td', { text: m.displayName }), h('td', { text: role }), h('td', {}, action)));
    }
    d.body.append(h('section', { 'aria-labelledby': 'ts-members' },
      h('h3#ts-members', { text: `Members (${members.length})` }),
      h('div.table-scroll', {}, h('table.members', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Name' }), h('th', { scope: 'col', text: 'Role' }), h('th', { scope: 'col' }, h('span.visually-hidden', { text: 'Actions' })))), tbody))));

    if (isOwner) {
      let users = [];
      try { users = (await get('/v1.0/users')).value || []; } catch (err) { showError(err); }
      const memberIds = new Set(members.map((m) => m.userId));
      const candidates = users.filter((u) => !memberIds.has(u.id));
      const sel = h('select#add-member-user', {}, candidates.length
        ? candidates.map((u) => h('option', { value: u.id, text: `${u.displayName} (${u.userPrincipalName})` }))
        : h('option', { value: '', text: 'Everyone is already a member' }));
      const role = h('select#add-member-role', {}, h('option', { value: '', text: 'Member' }), h('option', { value: 'owner', text: 'Owner' }), h('option', { value: 'guest', text: 'Guest' }));
      const add = h('button.button.primary', { type: 'submit', text: 'Add', disabled: !candidates.length });
      const form = h('form.form.add-member', { 'aria-labelledby': 'ts-add' },
        h('h3#ts-add', { text: 'Add a member' }),
        h('div.inline-fields', {},
          h('div.field', {}, h('label', { for: 'add-member-user', text: 'Person' }), sel),
          h('div.field', {}, h('label', { for: 'add-member-role', text: 'Role' }), role),
          add));
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        if (!sel.value) return;
        add.disabled = true;
        try {
          await post(`/v1.0/teams/${enc(team.id)}/members`, {
            '@odata.type': '#microsoft.graph.aadUserConversationMember',
            roles: role.value ? [role.value] : [],
            'user@odata.bind': `https://graph.microsoft.com/v1.0/users('${sel.value}')`,
          });
          announce('Member added');
          load('#add-member-user');
        } catch (err) { showError(err); add.disabled = false; }
      });
      d.body.append(form);
    }
    const f = focusSel && d.body.querySelector(focusSel);
    if (f) f.focus(); else d.focusFirst();
  };
  load();
  return d;
}
