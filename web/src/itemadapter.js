// A stand-in for message.js's createMessageItem(msg, ctx) -> {el, update, addReply, destroy}
// and thread.js's createThreadState(), with the same interface, around renderMessage: the
// history list (history.js) is built against the interface while the thread work is done in
// parallel. Removed when those land.
import { renderMessage } from './message.js';

export function createMessageItem(msg) {
  let el = renderMessage(msg);
  return {
    get el() { return el; },
    update(next) {
      const n = renderMessage(next);
      n.className = el.className;
      const hadFocus = el.contains(document.activeElement);
      el.replaceWith(n);
      el = n;
      if (hadFocus) el.focus();
    },
    addReply() {},
    destroy() {},
  };
}

export function createThreadState() {
  return { addReply() {}, updateReply() {} };
}
