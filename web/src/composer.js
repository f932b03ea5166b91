// The composer under a channel's messages: a textarea that grows, Enter sends, Shift+Enter adds
// a line. onSent(msg) gets the server's chatMessage so the view can show it at once.
import { h, announce } from './dom.js';
import { post, enc } from './api.js';

export function createComposer({ team, channel, onSent }) {
  const textarea = h('textarea#composer', { rows: 1, placeholder: 'Type a message', 'aria-describedby': 'composer-help', maxlength: 28000 });
  const sendBtn = h('button.button.primary.send', { type: 'submit', 'aria-label': 'Send', text: 'Send' });
  const composerError = h('p.error', { role: 'alert', hidden: true });
  const root = h('form.composer', { 'aria-label': 'New message' },
    h('label.visually-hidden', { for: 'composer', text: `Message ${channel.displayName}` }),
    h('span#composer-help.visually-hidden', { text: 'Enter sends, Shift+Enter adds a new line.' }),
    composerError,
    h('div.composer-row', {}, textarea, sendBtn));

  async function send() {
    const text = textarea.value;
    if (!text.trim()) return;
    sendBtn.disabled = true;
    composerError.hidden = true;
    try {
      const msg = await post(`/v1.0/teams/${enc(team.id)}/channels/${enc(channel.id)}/messages`, { body: { contentType: 'text', content: text } });
      textarea.value = '';
      autosize();
      onSent(msg);
      announce('Message sent');
    } catch (err) {
      composerError.textContent = err.message;
      composerError.hidden = false;
    } finally {
      sendBtn.disabled = false;
      textarea.focus();
    }
  }
  function autosize() {
    textarea.style.height = 'auto';
    textarea.style.height = Math.min(textarea.scrollHeight, 160) + 'px';
  }
  textarea.addEventListener('input', autosize);
  textarea.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      send();
    }
  });
  root.addEventListener('submit', (e) => { e.preventDefault(); send(); });

  return {
    root,
    focus() { textarea.focus(); },
    destroy() {},
  };
}
