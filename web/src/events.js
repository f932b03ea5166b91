// Live updates over Server-Sent Events. EventSource reconnects by itself (sending
// Last-Event-ID); when it gives up (CLOSED, e.g. after a 401 or a server restart that answered
// an error) we open a new one with a growing delay.
export function connectEvents({ onMessage, onUpdate, onState }) {
  let es = null;
  let stopped = false;
  let delay = 1000;
  let timer = null;
  let lastId = null;

  const open = () => {
    if (stopped) return;
    // A fresh EventSource cannot set Last-Event-ID itself; missed messages are fetched by the
    // app when it sees 'reconnected' (it reloads the open channel).
    es = new EventSource('/api/v1/events', { withCredentials: true });
    es.addEventListener('open', () => {
      delay = 1000;
      onState('live');
    });
    es.addEventListener('message', (e) => {
      if (e.lastEventId) lastId = e.lastEventId;
      let msg;
      try { msg = JSON.parse(e.data); } catch { return; }
      // A reply (replyToId) goes to its thread: the channel view puts it there.
      onMessage(msg);
    });
    // A card its service replaced, an edit, a reaction, a delete: live only (no id), the whole
    // message again.
    es.addEventListener('messageUpdated', (e) => {
      let msg;
      try { msg = JSON.parse(e.data); } catch { return; }
      if (onUpdate) onUpdate(msg);
    });
    es.addEventListener('error', () => {
      if (stopped) return;
      if (es.readyState === EventSource.CLOSED) {
        onState('offline');
        es.close();
        clearTimeout(timer);
        timer = setTimeout(() => { onState('reconnecting'); open(); }, delay);
        delay = Math.min(delay * 2, 30000);
      } else {
        onState('reconnecting');
      }
    });
  };
  open();
  return {
    get lastId() { return lastId; },
    close() {
      stopped = true;
      clearTimeout(timer);
      if (es) es.close();
    },
  };
}
