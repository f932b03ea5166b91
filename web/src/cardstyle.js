// The cards' stylesheets (messagecard.css, then adaptive.css after the Carousel's Swiper styles,
// ~20 KB of the client's ~52 KB of CSS), in the renderers' chunk instead of the first load's
// app.css: scripts/build-web bundles .css imported by a script as its text, and this module adds
// it to the page when cardrender.js is evaluated, before any card is drawn (until then a card is
// cards.js's placeholder, so no card is ever seen unstyled). The rules come after app.css's in
// the cascade; none of app.css's later stylesheets (signin, directory, admin, account,
// forwarding) styles a card.
import messagecard from './messagecard.css';
import carousel from 'adaptivecards/lib/adaptivecards-carousel.css';
import adaptive from './adaptive.css';

const style = document.createElement('style');
style.dataset.sheet = 'cards';
style.textContent = [messagecard, carousel, adaptive].join('\n');
document.head.append(style);
