// The package's face: the `Smartcar` class apps use, shaped as @smartcar/auth 2.14.1's is (the
// options become plain, writable fields of the instance, read anew by every call; methods on
// the prototype; the error classes as statics).
//
// The work is split in two. Every rule (which options are valid, the Connect URL, which result
// counts, when a closed popup counts as closed, the redirect flow's records) is decided by the
// wasm side, `Core` (src/bindings/class.rs over the plain Rust modules of src/), one call per
// decision. This file carries out what it decides on the page: the listeners, the popup, the
// timers, the channel, sessionStorage and the address bar. It decides nothing itself.
import { Core, initSync } from 'smartcar:sdk/glue';
import { size, stackPointer, text } from 'smartcar:sdk/module';
import { connectResult, report } from './complete.js';
import {
  AccessDenied, InteractionInProgress, InvalidState, InvalidSubscription, PopupBlocked, PopupClosed, Timeout,
  VehicleIncompatible, abortError, unbox,
} from './errors.js';
import { handOn } from './hand-on.js';
import { guarded, watchStack } from './guard.js';
import { starter } from './start.js';
import { sharedPrototypes } from './values.js';

// The module is instantiated by the first `new Smartcar(...)`, not on import: a page that only
// includes the SDK pays nothing for it, and a page whose CSP forbids WebAssembly gets the
// error from the constructor instead of failing to load.
// (Named imports: a namespace object would cost the script esbuild's export helper.)
const start = starter(initSync, { text, size });

// An instance's internals: its `Core`, its listeners (the page's `message` listener, until
// `unmount`, and each `[element, click listener]` of addClickHandler, which `unmount`
// removes), its open popup flow ({id, kind, popup, channel, timers, settle}), and how many
// results it has delivered (see `receive`). It lives
// under a symbol, reached through `this` like the reference's fields, so that methods called on a
// Proxy of the instance (Vue's reactive data, for one) or on an object inheriting from it work
// as the reference's do; private fields would refuse such a `this`. Sealed: a reactive Proxy
// hands a non-extensible object back as it is, where it would wrap an ordinary one.
const INTERNALS = Symbol('Smartcar');

/** The internals of the instance `face` is, or is a Proxy of, or inherits from. */
function internalsOf(face) {
  const internals = face == null ? undefined : face[INTERNALS];
  if (internals === undefined) throw new TypeError('Smartcar methods must be called on a Smartcar instance');
  return internals;
}

// The kinds of popup flow, and a redirect result for this tab's flow (src/bindings/ keeps the
// same numbers; the others are js/hand-on.js's).
const DIALOG = 0;
const CONNECT = 1;
const DELIVER = 3;

// Defined as an object's property so that it is named `Smartcar` however a minifier renames
// the binding (`Smartcar.name`, and what a console shows for an instance).
const { Smartcar } = {
  Smartcar: class {
    constructor(options) {
      watchStack(start()[stackPointer]);
      const [core, applicationId, redirectUri, scope, onComplete, mode, responseType, externalId, instanceId, connectUrl] =
        unbox(guarded(() => Core.construct(options)));
      const internals = Object.seal({ core, listener: undefined, clicks: [], flow: undefined, delivered: 0 });
      Object.defineProperty(this, INTERNALS, { value: internals });
      // The reference's fields, in its order: the options' own values (the same objects), and
      // the ones it computes.
      this.applicationId = applicationId;
      this.clientId = applicationId;
      this.redirectUri = redirectUri;
      this.scope = scope;
      this.onComplete = onComplete;
      this.mode = mode;
      this.responseType = responseType;
      this.externalId = externalId;
      this.instanceId = instanceId;
      if (connectUrl !== undefined) this.connectUrl = connectUrl;
      // The reference's own property, and the page's listener until `unmount`, added and
      // removed with the reference's arguments (tests written for it spy on exactly these).
      this.messageHandler = internals.listener = (event) => {
        const flow = internals.flow;
        receive(this, internals, event.data, event.origin, flow !== undefined && event.source === flow.popup, false);
      };
      window.addEventListener('message', this.messageHandler);
    }

    getAuthUrl(options) {
      const { core } = internalsOf(this);
      return unbox(guarded(() => core.authUrl(this, options)));
    }

    openDialog(options) {
      openFlow(this, internalsOf(this), options, DIALOG);
    }

    addClickHandler(options) {
      const internals = internalsOf(this);
      const [id, selector, notFound] = unbox(guarded(() => internals.core.clickTargets(options)));
      const elements = [];
      const element = id === undefined ? null : document.getElementById(id);
      if (element) elements.push(element);
      if (selector !== undefined) elements.push(...document.querySelectorAll(selector));
      if (!elements.length) throw notFound;
      // As the reference's: a click calls the instance's `openDialog` (the popup opens inside
      // the click, so popup blockers let it through) and returns false.
      const handler = () => {
        this.openDialog(options);
        return false;
      };
      for (const e of elements) {
        e.addEventListener('click', handler);
        internals.clicks.push([e, handler]);
      }
    }

    unmount() {
      const internals = internalsOf(this);
      // The listener the instance added, even if the app reassigned `messageHandler` since
      // (the reference would remove the new value and leave its listener on the page).
      window.removeEventListener('message', internals.listener);
      // Final: the instance hears no result from now on, on a flow's channel either.
      internals.listener = undefined;
      for (const [e, handler] of internals.clicks.splice(0)) e.removeEventListener('click', handler);
      const flow = internals.flow;
      if (flow) endFlow(internals, abortError('The Smartcar instance was unmounted before Connect finished.'), flow.kind === CONNECT);
    }

    connect(options) {
      try {
        const internals = internalsOf(this);
        const flow = openFlow(this, internals, options, CONNECT);
        if (flow.blocked) {
          if (!flow.redirect) return Promise.reject(new PopupBlocked());
          // The page is leaving for Connect; the result comes back to handleRedirect() on the
          // redirect URI's page. This Promise settles only if this page itself comes back, from
          // the back/forward cache (the back button, in Safari and Firefox): the user left
          // Connect before it finished.
          this.redirectToConnect(options);
          return new Promise((resolve, reject) => {
            addEventListener('pageshow', (event) => event.persisted && reject(new PopupClosed('The page came back from Connect before Connect finished.')), { once: true });
          });
        }
        return new Promise((resolve, reject) => {
          flow.settle = (error, value) => (error ? reject(error) : resolve(value));
          flow.timers.push(setTimeout(() => endFlow(internals, new Timeout(flow.timeout), true), flow.timeout));
          flow.signal?.addEventListener('abort', () => endFlow(internals, flow.signal.reason, true), { signal: flow.stop.signal });
        });
      } catch (error) {
        return Promise.reject(error);
      }
    }

    redirectToConnect(options) {
      const { core } = internalsOf(this);
      const [url, key, record, prefix, expiredBefore] = unbox(guarded(() => core.redirectStart(this, options, Date.now())));
      try {
        for (let i = sessionStorage.length - 1; i >= 0; i--) {
          const k = sessionStorage.key(i);
          if (k.startsWith(prefix) && k < expiredBefore) sessionStorage.removeItem(k);
        }
        sessionStorage.setItem(key, record);
      } catch {
        throw new Error('redirectToConnect() could not record the flow: this page cannot write to sessionStorage (disabled, full, or blocked here). Use connect() instead.');
      }
      location.assign(url);
    }

    handleRedirect(url) {
      return new Promise((resolve) => resolve(handleRedirectHere(this, internalsOf(this), url)));
    }
  },
};

// Opens Connect in the instance's popup as a new flow, if the rules let it, and returns
// the flow (`blocked` when the browser blocked the popup).
function openFlow(face, internals, options, kind) {
  const open = internals.flow;
  const plan = unbox(guarded(() => internals.core.popup(face, options, kind, open ? open.kind : -1, open !== undefined && !open.popup.closed)));
  if (!plan) {
    open.popup.focus();
    throw new InteractionInProgress();
  }
  const [url, name, features, id, channel, timeout, redirect, signal, poll] = plan;
  if (signal?.aborted) throw signal.reason;
  const popup = window.open(url, name, features);
  if (!popup) return { blocked: true, redirect };
  // The flow open before this one is replaced: the user closed its popup (within the grace
  // period), or its popup now shows this one. A flow that opened meanwhile can only be a
  // connect() the page made from inside this window.open: that one loses, and this one goes on.
  const current = internals.flow;
  if (current) {
    const replaced = current !== open ? new InteractionInProgress()
      : open.popup.closed ? new PopupClosed() : abortError('openDialog() started a new Connect flow in this popup before this one finished.');
    endFlow(internals, replaced, false);
  }
  const flow = { id, kind, popup, timeout, signal, timers: [], stop: new AbortController(), settle() {} };
  // (A page without BroadcastChannel, such as Jest's jsdom, goes without the fallback, and an
  // unmounted instance, which hears no result, without any channel.)
  if (channel !== undefined && internals.listener !== undefined && typeof BroadcastChannel === 'function') {
    flow.channel = new BroadcastChannel(channel);
    flow.channel.onmessage = (event) => overChannel(face, internals, flow, event.data, 10);
  }
  // A connect() flow fails once its popup has been closed for good, unless the popup was cut
  // off from the page (the page's own COOP header) and a channel can carry the result: the
  // rules decide (src/lifecycle.rs `ClosedWatch`). An openDialog flow goes on (its channel
  // too): with COOP on the app page its popup reads closed from the start, and the result
  // comes over the channel whenever the user finishes.
  if (kind === CONNECT) {
    let watch = NaN;
    flow.timers.push(setInterval(() => {
      // (Not `guarded`: it calls no JS, and a timer's callback starts at the bottom of the stack;
      // the popup's flags are read before the module is entered.)
      watch = Core.watchClosed(popup.closed, showsPage(popup), Date.now(), watch, flow.channel !== undefined);
      if (watch === -1) endFlow(internals, new PopupClosed(), false);
    }, poll));
  }
  internals.flow = flow;
  return flow;
}

// Whether `popup` shows a page of its own rather than its initial blank one: another origin's,
// whose location cannot be read, or one whose address is not `about:blank`.
function showsPage(popup) {
  try {
    return popup.location.href !== 'about:blank';
  } catch {
    return true;
  }
}

// A result, through the rules; the flow it completes ends, then `onComplete` is called as
// the reference calls it (what it throws propagates out of the listener, as there).
function receive(face, internals, data, origin, fromPopup, onChannel) {
  const { flow, listener, delivered } = internals;
  const verdict = guarded(() => internals.core.receive(face, data, origin, fromPopup, onChannel, flow?.id, flow !== undefined && !flow.popup.closed));
  // The rules read the instance's fields and the message, which the page may have made
  // getters. One that started or ended a flow, unmounted the instance or handed a result in
  // again has changed what the verdict was about: it then completes nothing (the other flow
  // takes only its own result; a result is delivered once).
  if (!verdict || internals.flow !== flow || internals.listener !== listener || internals.delivered !== delivered) return;
  internals.delivered++;
  const [completesFlow, args] = verdict;
  if (completesFlow) endFlow(internals, args[0], false, connectResult(args));
  if (face.onComplete) face.onComplete(...args);
}

// A result on `flow`'s channel. The rules take it only once the popup reads closed (cut off
// by COOP; while it reads open, another window broadcast it); a popup that was cut off a
// moment ago may still read open, so the result waits for that, `retries` times 100 ms at
// most, while the flow lasts.
function overChannel(face, internals, flow, data, retries) {
  if (internals.flow !== flow) return;
  if (!flow.popup.closed && retries > 0) {
    flow.timers.push(setTimeout(() => overChannel(face, internals, flow, data, retries - 1), 100));
    return;
  }
  receive(face, internals, data, '', false, true);
}

// Ends the open flow: its connect() Promise settles (rejected with `error`, or resolved with
// `value`), and everything it holds is released.
function endFlow(internals, error, closePopup, value) {
  const flow = internals.flow;
  if (!flow) return;
  internals.flow = undefined;
  for (const timer of flow.timers) clearTimeout(timer);
  flow.stop.abort();
  flow.channel?.close();
  if (closePopup) flow.popup.close();
  flow.settle(error, value);
}

// `handleRedirect`'s work on `url`, thrown errors and all.
function handleRedirectHere(face, internals, url) {
  const here = new URL(url === undefined ? location.href : url, location.href);
  const params = here.searchParams;
  const readRecord = (key) => {
    try {
      return sessionStorage.getItem(key);
    } catch {
      return null; // Unreadable storage holds no flow.
    }
  };
  const outcome = unbox(guarded(() => internals.core.redirectOutcome(params, readRecord, Date.now(), !!opener)));
  if (!outcome) return null;
  const [kind, message, a, b, connectParams, key] = outcome;
  // Connect's parameters leave the address bar (and so the history and any Referer) when
  // the URL is this page's own; its other parameters and its fragment stay as they were.
  if (here.href.split('#')[0] === location.href.split('#')[0]) {
    history.replaceState(history.state, '', withoutParams(location.href, connectParams.trim().split(' ')));
  }
  if (kind === DELIVER) {
    try {
      sessionStorage.setItem(key, b);
    } catch {
      // Storage refused the write: the address bar no longer holds the result either.
    }
    try {
      if (face.onComplete) face.onComplete(...a);
    } catch (error) {
      report(error);
    }
    if (a[0]) throw a[0];
    return connectResult(a);
  }
  // Not a flow of this tab: the page is the redirect URI of a popup flow, and hands the
  // result on as the redirect page does.
  handOn(kind, message, a);
  if (b) throw b;
  return null;
}

// `href` without its query parameters named in `names`, the others written as they were
// (URLSearchParams would rewrite them: `a%20b` as `a+b`, `flag` as `flag=`), its fragment kept.
function withoutParams(href, names) {
  const url = new URL(href);
  const kept = url.search.slice(1).split('&').filter((pair) => pair === '' || !names.includes([...new URLSearchParams(pair).keys()][0]));
  url.search = kept.join('&');
  return url.href;
}

// A key only a polluted page puts on the class's prototype is not read as the instance's own
// option (`connectUrl`: src/bindings/read.rs).
sharedPrototypes.add(Smartcar.prototype);

// In the reference's order, then this package's own.
Object.assign(Smartcar, {
  AccessDenied, VehicleIncompatible, InvalidSubscription, PopupBlocked, PopupClosed, Timeout, InteractionInProgress, InvalidState,
});

export { Smartcar };
