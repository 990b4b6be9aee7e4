// Handing a Connect result on from a redirect URI's page, as protocol/src/delivery.rs decided:
// shared by the redirect page (js/redirect.js) and the SDK's handleRedirect on a popup flow's
// redirect URI. The numbers are the protocol crate's (`REFUSED`, `POST`, `BROADCAST`).

export const REFUSED = 0;
export const POST = 1;
export const BROADCAST = 2;

/**
 * Posts `message` to the opener at origin `target` (POST), or on the channel named `target`
 * (BROADCAST), then closes the popup; does nothing when the result was refused.
 */
export function handOn(kind, message, target) {
  if (kind === POST) {
    opener.postMessage(message, target);
  } else if (kind === BROADCAST) {
    try {
      const channel = new BroadcastChannel(target);
      channel.postMessage(message);
      channel.close();
    } catch {
      // An opaque origin (a sandboxed page) has no channels: the status says what to do.
    }
  }
  if (kind !== REFUSED) close();
}
