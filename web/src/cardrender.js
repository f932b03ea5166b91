// The card renderers in one module, so that `import('./cardrender.js')` (cards.js) loads them
// as one chunk: the Adaptive Cards renderer with Swiper and markdown.js, and the MessageCard
// renderer. Nothing else imports adaptive.js or messagecard.js statically, so none of it is in
// the first load (docs/bench.md, "First load on a slow link").
import './shared.js'; // the first load's modules, in one chunk (see shared.js)
export { renderAdaptiveCard } from './adaptive.js';
export { renderMessageCard } from './messagecard.js';
