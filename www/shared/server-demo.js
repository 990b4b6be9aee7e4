// The server-rendered demo's front end: the backend route that Connect redirects to receives
// the code in its query string and exchanges it itself; the page only learns from
// `smartcar.connect()` whether Connect worked, then shows the server's vehicle page.
import { describeError, statusLine } from './connect-ui.js';

// `state` is this session's own random value: the backend route exchanges a code only when it
// comes back with it (a CSRF check; Connect returns the state as it was sent).
const { applicationId, redirectUri, connectUrl, state } = window.DEMO_CONFIG;
const message = document.getElementById('message');
const show = statusLine(message);

// No onComplete: connect()'s Promise is the single path for the result (the SDK would also
// pass it to an onComplete, and handling it twice would be wrong).
const smartcar = new window.Smartcar({
  applicationId,
  redirectUri,
  scope: ['read_vehicle_info'],
  mode: 'test',
  connectUrl,
});
document.getElementById('connect').addEventListener('click', () => {
  message.hidden = true;
  // connect() opens the popup synchronously, inside the click, so popup blockers let it through.
  smartcar.connect({ forcePrompt: true, state }).then(
    () => {
      // The backend already has the code (from the redirect's query string) and exchanged it.
      show('Connected. Loading your vehicle…', 'ok');
      window.location.assign('/server/vehicle');
    },
    (err) => show(describeError(err), 'error'),
  );
});
