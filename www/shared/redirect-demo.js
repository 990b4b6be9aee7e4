// The redirect demo's front end. The page is its own redirect URI: on every load it asks the
// SDK whether it is coming back from Connect (handleRedirect resolves with null when not),
// and its buttons leave for Connect by redirect, or try a popup and fall back to a redirect.
import { describeError, escapeHtml, statusLine } from './connect-ui.js';

const { applicationId, redirectUri, connectUrl } = window.DEMO_CONFIG;
const message = document.getElementById('message');
const result = document.getElementById('result');
const show = statusLine(message);

// No onComplete: handleRedirect()'s and connect()'s Promises carry the result.
const smartcar = new window.Smartcar({ applicationId, redirectUri, scope: ['read_vehicle_info'], mode: 'test', connectUrl });

async function showVehicle(code) {
  show('Connected. Reading your vehicle…', 'ok');
  // A POST (not the code in a URL, which logs keep), which the backend takes from this page's
  // origin only.
  const res = await fetch('/redirect-flow/api/exchange', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code }) });
  const body = await res.json();
  if (!res.ok) return show(body.message, 'error');
  show('Your vehicle is connected.', 'ok');
  result.innerHTML = `<table id="vehicle"><tbody>${['make', 'model', 'year', 'id'].map((k) => `<tr><th>${k}</th><td>${escapeHtml(body[k])}</td></tr>`).join('')}</tbody></table>`;
}

// Coming back from Connect? (Also the page Connect returns to in a popup: there the SDK hands
// the result to the window that opened it, and closes the popup.)
smartcar.handleRedirect().then(
  (connected) => connected && showVehicle(connected.code),
  (err) => show(describeError(err), 'error'),
);

document.getElementById('connect').addEventListener('click', () => {
  // The app's own state comes back with the result: here, where to take the user next.
  smartcar.redirectToConnect({ state: { next: '/redirect-flow/' } });
});

document.getElementById('connect-popup').addEventListener('click', () => {
  message.hidden = true;
  smartcar.connect({ fallback: 'redirect' }).then(({ code }) => showVehicle(code), (err) => show(describeError(err), 'error'));
});
