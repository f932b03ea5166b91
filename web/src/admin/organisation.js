// Organisation and Cloud environment: the connector switches in plain words with the cmdlet
// parameter (Set-OrganizationConfig) as secondary text, and the cloud environment whose
// defaults they follow. Turning something off asks first and says what stops.
import { h, clear } from '../dom.js';
import { get, patch } from '../api.js';
import { t } from '../i18n.js';
import { section, readImpact, reachText, confirmChange } from './common.js';

const ORG = '/api/v1/admin/organization';

// name -> [cmdlet text, what turning it off does (a function of the impact)]
const SWITCHES = [
  ['connectorsEnabled', 'Set-OrganizationConfig -ConnectorsEnabled', (im) => [reachText('admin.impact.connectorsStop', im && im.connectors)]],
  ['connectorsEnabledForTeams', 'Set-OrganizationConfig -ConnectorsEnabledForTeams', (im) => [reachText('admin.impact.connectorsStop', im && im.connectors)]],
  ['connectorsActionableMessagesEnabled', 'Set-OrganizationConfig -ConnectorsActionableMessagesEnabled', () => [t('admin.org.actionableOff')]],
  ['developersMayRegisterConnectors', 'developersMayRegisterConnectors', () => [t('admin.org.developersOff')]],
];
export const CLOUDS = ['commercial', 'gcc', 'gcch', 'dod'];
// Clouds where the connector switches that nobody set are off (org.h).
const OFF_BY_DEFAULT = new Set(['gcc', 'gcch']);

// One switch: plain words, the state (set or default) with "Use default", and the cmdlet.
export function switchRow(org, explicit, name, cmdlet, onChange, onReset) {
  const id = `admin-sw-${name}`;
  const cb = h(`input#${id}`, { type: 'checkbox', checked: !!org[name], 'aria-describedby': `${id}-d ${id}-c` });
  cb.addEventListener('change', () => onChange(cb));
  const reset = h('button.button.link', { type: 'button', text: t('admin.org.useDefault'), 'aria-label': t('admin.org.useDefaultFor', { name: t(`admin.org.${name}`) }), hidden: !explicit.has(name) });
  reset.addEventListener('click', onReset);
  return h('div.admin-switch', {},
    h('div.admin-switch-main', {}, cb, h('label', { for: id, text: t(`admin.org.${name}`) }),
      h('span.admin-badge', { text: explicit.has(name) ? t('admin.org.set') : t('admin.org.default') }), reset),
    h('p.muted', { id: `${id}-d`, text: t(`admin.org.${name}.help`) }),
    h('p.admin-cmdlet', { id: `${id}-c` }, h('code', { text: cmdlet })));
}

export function organisationSection() {
  const s = section('org', t('admin.section.organisation'), t('admin.org.intro'));
  const load = async () => {
    let org;
    try { org = await get(ORG); } catch (err) { s.showError(err); return; }
    clear(s.body);
    const explicit = new Set(org.explicitSettings || []);
    const save = async (body, text) => {
      s.clearError();
      try { await patch(ORG, body); s.saved(text); } catch (err) { s.showError(err); }
      await load();
    };
    for (const [name, cmdlet, offConsequences] of SWITCHES) {
      s.body.append(switchRow(org, explicit, name, cmdlet, async (cb) => {
        if (!cb.checked) {
          const ok = await confirmChange({ title: t('admin.org.confirmOff', { name: t(`admin.org.${name}`) }), consequences: offConsequences(await readImpact()), confirmLabel: t('admin.confirm.turnOff') });
          if (!ok) { cb.checked = true; return; }
        }
        await save({ [name]: cb.checked });
      }, () => save({ [name]: null })));
    }
  };
  load();
  return s.root;
}

export function cloudSection() {
  const s = section('cloud', t('admin.section.cloud'), t('admin.cloud.intro'));
  const load = async () => {
    let org;
    try { org = await get(ORG); } catch (err) { s.showError(err); return; }
    clear(s.body);
    const explicit = new Set(org.explicitSettings || []);
    const sel = h('select#admin-cloud', { 'aria-describedby': 'admin-cloud-c' },
      CLOUDS.map((c) => h('option', { value: c, text: t(`admin.cloud.${c}`), selected: org.cloudEnvironment === c })));
    sel.addEventListener('change', async () => {
      const to = sel.value;
      const consequences = [];
      if (OFF_BY_DEFAULT.has(to) && !OFF_BY_DEFAULT.has(org.cloudEnvironment)) {
        const unset = ['connectorsEnabled', 'connectorsEnabledForTeams'].some((n) => !explicit.has(n));
        if (unset) consequences.push(reachText('admin.impact.connectorsStop', (await readImpact() || {}).connectors));
      }
      if (to !== 'commercial' && org.cloudEnvironment === 'commercial') consequences.push(t('admin.cloud.noCustomApps'));
      if (!consequences.length) consequences.push(t('admin.cloud.defaultsFollow'));
      const ok = await confirmChange({ title: t('admin.cloud.confirm', { cloud: t(`admin.cloud.${to}`) }), consequences, confirmLabel: t('admin.confirm.change'), danger: false });
      if (!ok) { sel.value = org.cloudEnvironment; return; }
      s.clearError();
      try { await patch(ORG, { cloudEnvironment: to }); s.saved(); } catch (err) { s.showError(err); }
      await load();
    });
    s.body.append(h('div.field', {}, h('label', { for: 'admin-cloud', text: t('admin.cloud.label') }), sel,
      // i18n-ignore: the setting's name in the API, shown as the technical reference
      h('p.admin-cmdlet', { id: 'admin-cloud-c' }, h('code', { text: 'cloudEnvironment' }))),
    h('p.muted', { text: org.customConnectorsAllowed ? t('admin.cloud.customAllowed') : t('admin.cloud.customNotAllowed') }));
  };
  load();
  return s.root;
}
