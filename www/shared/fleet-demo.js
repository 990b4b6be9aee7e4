// The application-token demo's front end: Connect runs with response_type=none, so the
// redirect carries no code, only user_id; the backend reads the user's vehicles with its own
// client-credentials token and the sc-user-id header.
import { describeError, escapeHtml, statusLine } from './connect-ui.js';

const { applicationId, redirectUri, connectUrl } = window.DEMO_CONFIG;
const message = document.getElementById('message');
const result = document.getElementById('result');
const show = statusLine(message);

// No onComplete: connect()'s Promise is the single path for the result (the SDK would also
// pass it to an onComplete, and handling it twice would be wrong).
const smartcar = new window.Smartcar({
  applicationId,
  redirectUri,
  scope: ['read_vehicle_info'],
  mode: 'simulated',
  responseType: 'none',
  connectUrl,
});

async function showVehicles(userId) {
  if (!userId) return show('Connect did not say which user connected.', 'error');
  show('Connected. Reading your vehicles with the application token…', 'ok');
  try {
    const res = await fetch(`/fleet/api/vehicles?user_id=${encodeURIComponent(userId)}`);
    const body = await res.json();
    if (!res.ok) throw new Error(body.message);
    show(`Connected as user ${body.userId}.`, 'ok');
    result.innerHTML = `<table id="vehicles"><thead><tr><th>Make</th><th>Model</th><th>Year</th><th>Vehicle id</th><th>Connected at</th></tr></thead><tbody>${
      body.vehicles.map((v) => `<tr><td>${escapeHtml(v.make)}</td><td>${escapeHtml(v.model)}</td><td>${escapeHtml(v.year)}</td><td><code>${escapeHtml(v.id)}</code></td><td>${escapeHtml(v.connectedAt)}</td></tr>`).join('')
    }</tbody></table>`;
  } catch (e) {
    show(e.message, 'error');
  }
}

// connect() inside the click, before any await (it opens the popup synchronously, so popup
// blockers let it through), with single_select_vin when a VIN was typed: Connect then offers
// (and authorizes) only that vehicle.
document.getElementById('connect').addEventListener('click', () => {
  const vin = document.getElementById('vin').value.trim();
  message.hidden = true;
  smartcar.connect({ state: 'fleet-demo', ...(vin ? { singleSelect: { vin } } : {}) }).then(
    ({ userId }) => showVehicles(userId),
    (err) => show(describeError(err), 'error'),
  );
});
