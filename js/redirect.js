// The redirect page's entry (dist/cdn/redirect.js). As soon as the script runs: Connect's
// parameters leave the address bar, the module decides where the result goes (`plan`, in
// redirect-page/src/page.rs), and this carries it out and says what happened.
import { initSync, plan } from 'smartcar:redirect/glue';
import { size, text } from 'smartcar:redirect/module';
import { starter } from './start.js';
import { handOn } from './hand-on.js';

// Where the page lists the app origins it may post to: its script tag, or a meta tag for
// pages that load the script some other way.
const ALLOW_LIST_ATTRIBUTE = 'data-app-origins';
const ALLOW_LIST_META = 'meta[name=smartcar-app-origins]';
// The element a redirect page may provide for the status text (redirect.html does).
const STATUS_ID = 'smartcar-status';

const script = document.currentScript;
const search = location.search;
// The code must not stay in the address bar, the history, or a Referer, even if the module
// cannot start.
if (search) history.replaceState(null, '', location.pathname);
starter(initSync, { text, size })();
// The allow-list's texts, both when both are there (undefined when neither is).
const lists = [script?.getAttribute(ALLOW_LIST_ATTRIBUTE), document.querySelector(ALLOW_LIST_META)?.getAttribute('content')];
const given = lists.filter((list) => list != null);
const [message, kind, target, status] = plan(new URLSearchParams(search), location.origin, !!opener, given.length ? given.join(' ') : undefined);
// The status first: when the popup may not close itself, it is what stays.
let shown = document.getElementById(STATUS_ID);
if (!shown) {
  // A script in <head> runs before the body exists: the paragraph then goes into the root
  // element, where it shows above the body the parser adds after it.
  shown = document.createElement('p');
  shown.id = STATUS_ID;
  (document.body ?? document.documentElement).append(shown);
}
shown.textContent = status;
handOn(kind, message, target);
