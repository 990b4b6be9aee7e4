// Acting in the Connect simulator's pages, as a person does: a brand, a sign-in, Allow or
// Deny. `where` is any adapter handle (a popup, or the page itself in the redirect flow). Each
// click is deferred (setTimeout) so the evaluation returns before the page navigates away; the
// next step then waits for the next screen.

/** Waits until `selector` exists in `where`, then clicks it. */
export async function clickIn(where, selector, what = selector) {
  await where.waitFor((s) => {
    const el = document.querySelector(s);
    if (!el) return false;
    setTimeout(() => el.click(), 0);
    return true;
  }, selector, { timeout: 8000 }).catch((e) => { throw new Error(`in Connect: ${what}: ${e.message}`); });
}

/** Signs in on the login screen as `user`, with any password. */
export async function signIn(where, user) {
  await where.waitFor((u) => {
    const button = document.querySelector('#sign-in');
    if (!button) return false;
    document.querySelector('#username').value = u;
    document.querySelector('#password').value = 'any password';
    setTimeout(() => button.click(), 0);
    return true;
  }, user, { timeout: 8000 });
}

/**
 * Goes through Connect in `where`: `make`'s brand (none: skipped), sign-in as `user`, then
 * `decision` ('allow', 'deny', 'back' for an error screen's "Back to the app", or null to stop
 * at the permission screen, after `onPermissions`).
 */
export async function goThroughConnect(where, { make = 'TESLA', user, decision = 'allow', onPermissions } = {}) {
  if (make) await clickIn(where, `a.brand[data-make="${make}"]`, `brand ${make}`);
  await signIn(where, user);
  if (decision === 'back') {
    await clickIn(where, '#back-to-app', 'Back to the app');
    return;
  }
  await where.waitFor(() => !!document.querySelector('#allow'), undefined, { timeout: 8000 });
  if (onPermissions) await onPermissions(where);
  if (decision) await clickIn(where, `#${decision}`, decision);
}
