// Two SDK instances on one page, one per application, sharing the redirect page: each
// instance's connect() must settle only with the result of its own popup.
import { describeError, escapeHtml } from './connect-ui.js';

const { apps, redirectUri, connectUrl } = window.DEMO_CONFIG;
window.__results = { a: [], b: [] };

for (const [key, applicationId] of [['a', apps[0]], ['b', apps[1]]]) {
  const out = document.getElementById(`result-${key}`);
  // No onComplete: connect()'s Promise is the single path for the result (the SDK would also
  // pass it to an onComplete, and handling it twice would be wrong).
  const smartcar = new window.Smartcar({
    applicationId,
    redirectUri,
    scope: ['read_vehicle_info'],
    mode: 'test',
    connectUrl,
  });
  document.getElementById(`connect-${key}`).addEventListener('click', () => {
    smartcar.connect({ state: `instance-${key}`, forcePrompt: true }).then(
      ({ code, state }) => {
        window.__results[key].push({ error: null, code: code ?? null, state });
        out.className = 'status ok';
        out.innerHTML = `Connected. Authorization code <code>${escapeHtml(code)}</code>, state <code>${escapeHtml(state)}</code>.`;
      },
      (err) => {
        // A second click while this instance's popup is open only brings it to the front.
        if (err.name !== 'InteractionInProgress') window.__results[key].push({ error: err.name, code: null, state: null });
        out.className = 'status error';
        out.textContent = describeError(err);
      },
    );
  });
}
