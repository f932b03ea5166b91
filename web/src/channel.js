// The channel view: header with the "..." menu, the history (history.js: a virtualized list over
// a per-channel cache) and the composer (composer.js).
import { h } from './dom.js';
import { createComposer } from './composer.js';
import { menuButton } from './menu.js';
import { t } from './i18n.js';
import { channelStore, addMessage, createHistoryList } from './history.js';
import { notifyAllEnabled, setNotifyAll } from './notify.js';

export function createChannelView({ team, channel, user, readState, onRead, onOpenConnectors, onOpenTeamSettings, drawerButton, jumpTo }) {
  const store = channelStore(team, channel);
  const history = createHistoryList({
    store,
    ctx: { team, channel, me: user, threads: store.threads },
    label: t('history.messagesIn', { channel: channel.displayName }),
    onAtLatest: (id) => { if (onRead) onRead(id); },
  });

  const composer = createComposer({ team, channel, onSent: (msg) => { addMessage(store, msg); history.jumpToLatest(); } });

  let menu;
  const buildMenu = () => menuButton({
    label: t('history.moreOptions', { channel: channel.displayName }),
    items: [
      { label: t('history.connectors'), action: () => onOpenConnectors() },
      { label: t('history.manageTeam'), action: () => onOpenTeamSettings() },
      {
        label: notifyAllEnabled(channel.id) ? t('history.notifyAllOff') : t('history.notifyAllOn'),
        action: async () => {
          await setNotifyAll(channel.id, !notifyAllEnabled(channel.id));
          const next = buildMenu();
          menu.replaceWith(next);
          menu = next;
          menu.querySelector('button').focus();
        },
      },
    ],
  });
  menu = buildMenu();

  const header = h('header.channel-header', {},
    drawerButton,
    h('div.channel-title', {}, h('h1#channel-h1', { text: channel.displayName }), h('span.team-name', { text: team.displayName })),
    menu);

  const root = h('section.channel', { 'aria-labelledby': 'channel-h1' }, header, history.root, composer.root);

  if (jumpTo) history.jumpTo(jumpTo).then((ok) => { if (!ok) history.start(); });
  else history.start({ dividerAfterId: readState && readState.lastReadMessageId, unreadCount: readState ? readState.unreadCount : 0 });

  return {
    root,
    channelId: channel.id,
    jumpTo: (id) => history.jumpTo(id),
    atLatest: () => history.atLatest(),
    focusComposer() { composer.focus(); },
    destroy() { history.destroy(); composer.destroy(); },
  };
}
