// What composer.js loads with import() when a composer is first used: chatmarkdown.js (markdown-it)
// and shared.js, which every module loaded on demand imports (see there). chatmarkdown.js itself
// stays free of browser-only modules: tests/browser/format.test.mjs runs it in node.
import './shared.js';
export { toHtml } from './chatmarkdown.js';
