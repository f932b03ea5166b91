// Webhook URLs: whether the unsigned URL forms (/webhookb2/.../{creator} and /webhook/...)
// still reach their webhooks, and which form new webhooks get.
import { h, clear } from '../dom.js';
import { get, patch } from '../api.js';
import { t } from '../i18n.js';
import { section, readImpact, reachText, confirmChange } from './common.js';
import { switchRow } from './organisation.js';

const ORG = '/api/v1/admin/organization';

export function webhookUrlsSection() {
  const s = section('urls', t('admin.section.webhookUrls'), t('admin.urls.intro'));
  const load = async () => {
    let org;
    try { org = await get(ORG); } catch (err) { s.showError(err); return; }
    clear(s.body);
    const save = async (body) => {
      s.clearError();
      try { await patch(ORG, body); s.saved(); } catch (err) { s.showError(err); }
      await load();
    };
    const explicit = new Set(org.explicitSettings || []);
    const row = switchRow(org, explicit, 'unsignedWebhookUrlsAccepted', 'Set-OrganizationConfig -UnsignedWebhookUrlsAccepted', async (cb) => {
      if (!cb.checked) {
        const im = await readImpact();
        const ok = await confirmChange({ title: t('admin.urls.confirmOff'),
          consequences: [reachText('admin.impact.unsignedStop', im && im.unsignedOnlyWebhooks), t('admin.urls.otherUnsigned')],
          confirmLabel: t('admin.confirm.turnOff') });
        if (!ok) { cb.checked = true; return; }
      }
      await save({ unsignedWebhookUrlsAccepted: cb.checked });
    }, () => save({ unsignedWebhookUrlsAccepted: null }));
    const format = h('select#admin-url-format', {},
      ['v2', 'legacy'].map((f) => h('option', { value: f, text: t(`admin.urls.format.${f}`), selected: (org.webhookUrlFormat || 'v2') === f })));
    format.addEventListener('change', async () => {
      if (format.value === 'legacy') {
        const ok = await confirmChange({ title: t('admin.urls.confirmLegacy'), consequences: [t('admin.urls.legacyConsequence')], confirmLabel: t('admin.confirm.change') });
        if (!ok) { format.value = 'v2'; return; }
      }
      await save({ webhookUrlFormat: format.value });
    });
    s.body.append(row,
      h('div.field', {}, h('label', { for: 'admin-url-format', text: t('admin.urls.formatLabel') }), format));
  };
  load();
  return s.root;
}
