// Shared by the demos: what to tell the user when `smartcar.connect()` does not end with a
// vehicle. The SDK itself reports a blocked or closed popup (its Promise rejects with
// `PopupBlocked` / `PopupClosed`), so the demos need no watch of their own on `window.open`.

/** A sentence for the user, for any error `smartcar.connect()` rejects with. */
export function describeError(err) {
  switch (err && err.name) {
    case 'AccessDenied':
      return 'You chose not to share your vehicle with this app. Click "Connect your car" to try again.';
    case 'VehicleIncompatible': {
      const v = err.vehicleInfo;
      if (!v) return 'Your vehicle is not compatible with this app yet.';
      const name = [v.year, v.make, v.model].filter(Boolean).join(' ');
      return `Your ${name} (VIN ${v.vin}) is not compatible with this app yet.`;
    }
    case 'InvalidSubscription':
      return "Your car's connected services subscription is not active. Activate it with your car maker (in their app or website), then try again.";
    case 'PopupBlocked':
      return 'Your browser blocked the Connect window. Allow pop-ups for this site, then click "Connect your car" again.';
    case 'PopupClosed':
      return 'The Connect window was closed before you finished. Click "Connect your car" to start again.';
    case 'Timeout':
      return 'Connect took too long, so its window was closed. Click "Connect your car" to start again.';
    case 'InteractionInProgress':
      return 'Connect is already open in another window (brought to the front now): finish there first.';
    case 'AbortError':
      return 'Connect was cancelled. Click "Connect your car" to start again.';
    case 'InvalidState':
      return `This page was given a Connect result it did not ask for, so it ignored it. ${err.message}`;
    default:
      return `Connect could not finish: ${(err && err.message) || err}`;
  }
}

/** A function that shows `text` in `element` as a status line of `kind` (`ok` or `error`). */
export function statusLine(element) {
  return (text, kind) => {
    element.textContent = text;
    element.className = `status ${kind}`;
    element.hidden = false;
  };
}

/** Escapes text for HTML. */
export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
