// The MessageCard migration helper (issue 24): paste a MessageCard, see it and its Adaptive
// Card translation (POST /api/v1/translate?to=adaptive) rendered side by side, with the JSON of
// the whole message to copy, so scripts can move to Teams Workflows URLs.
import { h, clear, announce } from './dom.js';
import { post } from './api.js';
import { t } from './i18n.js';
import { openDialog } from './dialog.js';
import { cardNode, MESSAGE_CARD, ADAPTIVE_CARD } from './cards.js';

const SAMPLE = {
  '@type': 'MessageCard',
  '@context': 'https://schema.org/extensions',
  summary: 'Deployment finished',
  themeColor: '2DC72D',
  title: 'Deployment finished', // i18n-ignore: the sample card is wire data, as a script would send it
  sections: [{ activityTitle: 'billing-api', activitySubtitle: 'production', facts: [{ name: 'Version', value: '1.4.2' }, { name: 'Duration', value: '3 min' }], markdown: true }],
  potentialAction: [{ '@type': 'OpenUri', name: 'View run', targets: [{ os: 'default', uri: 'https://ci.example.com/runs/42' }] }],
};

export function openTranslateHelper() {
  const d = openDialog({ title: t('forwarding.helper.title'), wide: true, className: 'translate-dialog' });
  d.footer.append(h('button.button', { type: 'button', text: t('forwarding.helper.close'), onclick: () => d.close() }));
  const input = h('textarea#translate-input.translate-input', { rows: 10, spellcheck: 'false' });
  input.value = JSON.stringify(SAMPLE, null, 2);
  const go = h('button.button.primary', { type: 'submit', text: t('forwarding.helper.translate') });
  const error = h('p.error', { role: 'alert', hidden: true });
  const source = h('div.translate-pane', { role: 'region', 'aria-labelledby': 'translate-source' });
  const result = h('div.translate-pane', { role: 'region', 'aria-labelledby': 'translate-result' });
  const json = h('pre#translate-json.translate-json', { tabindex: '0', 'aria-labelledby': 'translate-json-title' });
  const copy = h('button.button', { type: 'button', text: t('forwarding.helper.copy'), disabled: true });
  const form = h('form.translate-form', {},
    h('p.muted', { text: t('forwarding.helper.intro') }),
    h('div.field', {}, h('label', { for: 'translate-input', text: t('forwarding.helper.input') }), input),
    h('div.fwd-buttons', {}, go), error);
  d.body.append(form,
    h('div.translate-panes', {},
      h('section', {}, h('h3#translate-source', { text: t('forwarding.helper.source') }), source),
      h('section', {}, h('h3#translate-result', { text: t('forwarding.helper.result') }), result)),
    h('section.translate-json-section', {}, h('h3#translate-json-title', { text: t('forwarding.helper.json') }), json, copy));
  copy.addEventListener('click', async () => {
    try { await navigator.clipboard.writeText(json.textContent); } catch { /* the JSON stays selectable */ }
    announce(t('forwarding.helper.copied'));
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    let card;
    try { card = JSON.parse(input.value); } catch (err) {
      error.hidden = false;
      error.textContent = t('forwarding.helper.notJson', { reason: err.message });
      return;
    }
    go.disabled = true;
    try {
      const envelope = await post('/api/v1/translate?to=adaptive', card);
      clear(source);
      clear(result);
      source.append(cardNode(MESSAGE_CARD, card));
      result.append(cardNode(ADAPTIVE_CARD, envelope.attachments[0].content));
      json.textContent = JSON.stringify(envelope, null, 2);
      copy.disabled = false;
    } catch (err) {
      error.hidden = false;
      error.textContent = err.message || String(err);
    } finally {
      go.disabled = false;
    }
  });
  input.focus();
  return d;
}
