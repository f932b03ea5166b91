// Modal dialogs on the native <dialog> element: showModal() makes the page behind inert, Escape
// closes (the 'cancel' event), Tab and Shift+Tab wrap inside the dialog, and focus goes back to
// whatever had it before the dialog opened.
import { h } from './dom.js';
import { t } from './i18n.js';

let seq = 0;
const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

export function focusables(root) {
  return [...root.querySelectorAll(FOCUSABLE)].filter((el) => !el.closest('[hidden]') && el.getClientRects().length > 0 && !el.closest('details:not([open]) > :not(summary)'));
}

// openDialog({title, className}) -> {dialog, body, footer, close, onClose(fn)}
export function openDialog({ title, className = '', wide = false } = {}) {
  const id = `dlg-title-${++seq}`;
  const opener = document.activeElement;
  const closeBtn = h('button.icon-button.dialog-close', { type: 'button', 'aria-label': t('admin.ui.close'), text: '\u2715' });
  const body = h('div.dialog-body');
  const footer = h('div.dialog-footer');
  const dialog = h('dialog.dialog', { 'aria-labelledby': id, class: `dialog ${className}${wide ? ' wide' : ''}` },
    h('div.dialog-head', {}, h('h2', { id, text: title }), closeBtn), body, footer);
  const closeHandlers = [];
  const close = () => { if (dialog.open) dialog.close(); };
  closeBtn.addEventListener('click', close);
  // Escape closes from anywhere inside (a search field would otherwise swallow it).
  dialog.addEventListener('cancel', (e) => { e.preventDefault(); close(); });
  dialog.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && !e.defaultPrevented) { e.preventDefault(); close(); return; }
    if (e.key !== 'Tab') return;
    const items = focusables(dialog);
    if (!items.length) { e.preventDefault(); return; }
    const first = items[0];
    const last = items[items.length - 1];
    if (e.shiftKey && (document.activeElement === first || !dialog.contains(document.activeElement))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (document.activeElement === last || !dialog.contains(document.activeElement))) {
      e.preventDefault();
      first.focus();
    }
  });
  dialog.addEventListener('close', () => {
    for (const fn of closeHandlers) fn();
    dialog.remove();
    if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  return {
    dialog, body, footer, close,
    onClose(fn) { closeHandlers.push(fn); },
    focusFirst() { const f = focusables(body)[0] || closeBtn; f.focus(); },
  };
}

// A small form dialog: fields [{name, label, type, required, value}] -> resolves with the
// values, or null when cancelled. submit(values) may throw to show an error and stay open.
export function formDialog({ title, fields, submitLabel = t('admin.ui.save'), submit }) {
  return new Promise((resolve) => {
    const d = openDialog({ title });
    const form = h('form.form', { novalidate: true });
    const error = h('p.error', { role: 'alert', hidden: true });
    const inputs = {};
    for (const f of fields) {
      const id = `fd-${++seq}`;
      const input = h('input', { id, name: f.name, type: f.type || 'text', required: !!f.required, value: f.value || '', autocomplete: 'off' });
      inputs[f.name] = input;
      form.append(h('div.field', {}, h('label', { for: id, text: f.label }), input));
    }
    const cancel = h('button.button', { type: 'button', text: t('admin.ui.cancel'), onclick: () => d.close() });
    const ok = h('button.button.primary', { type: 'submit', text: submitLabel });
    form.append(error, h('div.form-actions', {}, cancel, ok));
    d.body.append(form);
    let result = null;
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const values = {};
      for (const f of fields) values[f.name] = inputs[f.name].value.trim();
      const missing = fields.find((f) => f.required && !values[f.name]);
      if (missing) {
        error.textContent = t('admin.ui.required', { label: missing.label });
        error.hidden = false;
        inputs[missing.name].focus();
        return;
      }
      ok.disabled = true;
      try {
        result = submit ? await submit(values) : values;
        d.close();
      } catch (err) {
        error.textContent = err.message;
        error.hidden = false;
      } finally {
        ok.disabled = false;
      }
    });
    d.onClose(() => resolve(result));
    d.focusFirst();
  });
}
