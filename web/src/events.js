// Live updates over Server-Sent Events. EventSource reconnects by itself, sending Last-Event-ID,
// and the server replays what was missed. When it gives up (CLOSED: an error answer, e.g. while
// the server restarts) a new EventSource is opened with a growing delay and ?lastEventId= the
// last id seen, so the server replays the gap for it too (GET /api/v1/events reads either).
// Replies come as `message` events with replyToId; `messageUpdated` (edits, reactions,
// deletes, cards replaced) carries the whole message again. onState: 'live', 'reconnecting'
// (the browser is retrying) or 'offline' (waiting before a new EventSource).
export function connectEvents({ onMessage, onUpdate, onState }) {
  let es = null;
  let stopped = false;
  let delay = 1000;
  let timer = null;
  let lastId = null;

  const parse = (e) => { try { return JSON.parse(e.data); } catch { return null; } };

  const open = () => {
    if (stopped) return;
    const url = lastId ? `/api/v1/events?lastEventId=${encodeURIComponent(lastId)}` : '/api/v1/events';
    es = new EventSource(url, { withCredentials: true });
    es.addEventListener('open', () => {
      delay = 1000;
      onState('live');
    });
    es.addEventListener('message', (e) => {
      if (e.lastEventId) lastId = e.lastEventId;
      const msg = parse(e);
      if (msg) onMessage(msg);
    });
    es.addEventListener('messageUpdated', (e) => {
      const msg = parse(e);
      if (msg && onUpdate) onUpdate(msg);
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
