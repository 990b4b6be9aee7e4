// The redirect page's entry (dist/cdn/redirect.js). As soon as the script runs, Connect's
// parameters leave the address bar; once the page is parsed, the module decides where the
// result goes (`plan`, in redirect-page/src/page.rs), and this carries it out and says what
// happened.
import { initSync, plan } from 'smartcar:redirect/glue';
import { size, text } from 'smartcar:redirect/module';
import { starter } from './start.js';
import { handOn } from './hand-on.js';

// Where the page lists the app origins it may post to: a `data-app-origins` attribute (meant
// for its script tag, read on any element: a module script has no `document.currentScript`),
// or the content of a meta tag for pages that load the script some other way, its name in any
// letter case (as HTML reads meta names). Every list found only narrows what the others allow,
// so reading one more place can never widen them, while missing one would post as if there
// were no list.
const ATTRIBUTE_LISTS = '[data-app-origins]';
const META_LISTS = 'meta[name="smartcar-app-origins" i]';
// The element a redirect page may provide for the status text (redirect.html does).
const STATUS_ID = 'smartcar-status';

const search = location.search;
// The code must not stay in the address bar, the history, or a Referer, even if the module
// cannot start.
if (search) history.replaceState(null, '', location.pathname);
// A module that cannot start (a Content-Security-Policy without 'wasm-unsafe-eval', the script
// read in another encoding than UTF-8) leaves the page saying why, once it is parsed, rather
// than "Finishing up…" for ever.
let failure;
try {
  starter(initSync, { text, size })();
} catch (error) {
  failure = error;
}

// Decided once the whole page is parsed (before its deferred scripts run, which could hold the
// result for as long as they load): an allow-list after the script (a meta tag in the body, a
// script in <head>) must not be missed, or the page would post as if it had none.
function deliver() {
  const [message, kind, target, status] = failure ? [undefined, 0, '', failure.message] : decide();
  // The status first: when the popup may not close itself, it is what stays.
  let shown = document.getElementById(STATUS_ID);
  if (!shown) {
    shown = document.createElement('p');
    shown.id = STATUS_ID;
    (document.body ?? document.documentElement).append(shown);
  }
  shown.textContent = status;
  handOn(kind, message, target);
  if (failure) throw failure;
}

// What `plan` decides for this page's query, origin, opener and allow-lists.
function decide() {
  // Every allow-list's text, each one separate (only what all of them list is allowed), or
  // undefined when there is none.
  const given = [
    ...Array.from(document.querySelectorAll(ATTRIBUTE_LISTS), (e) => e.getAttribute('data-app-origins')),
    ...Array.from(document.querySelectorAll(META_LISTS), (e) => e.getAttribute('content') ?? ''),
  ];
  return plan(new URLSearchParams(search), location.origin, !!opener, given.length ? given.join('\0') : undefined);
}

if (document.readyState === 'loading') document.addEventListener('readystatechange', deliver, { once: true });
else deliver();
