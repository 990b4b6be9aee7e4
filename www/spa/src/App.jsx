// Smartcar's React getting-started tutorial, on this SDK: the Connect button opens Connect in a
// popup; Smartcar's redirect page (here: this project's redirect.html, on its own origin, with
// app_origin) hands the code back, and `smartcar.connect()` resolves with it; the code goes to
// the backend, which exchanges it with the client secret and returns the vehicle's attributes.
import { useEffect, useRef, useState } from 'react';
import Smartcar from '@smartcar-rs/auth';
import { describeError } from '../../shared/connect-ui.js';
import Connect from './Connect.jsx';
import Vehicle from './Vehicle.jsx';

const config = window.DEMO_CONFIG;

// `posted`, when given, is POSTed as JSON: the backend takes its exchange route only as a POST
// from this app's origin, so no other site can make it with the user's cookie.
async function getJson(url, posted) {
  const res = await fetch(url, posted === undefined ? { credentials: 'same-origin' }
    : { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(posted) });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body.message || `The demo backend answered ${res.status}.`);
  return body;
}

export default function App() {
  const [vehicle, setVehicle] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const smartcar = useRef(null);

  useEffect(() => {
    // The tutorial passes an onComplete here; this demo leaves it out because connect()'s
    // Promise is the single path for the result (the SDK would call both, and handling the
    // code twice would exchange it twice).
    smartcar.current = new Smartcar({
      applicationId: config.applicationId,
      redirectUri: config.redirectUri,
      scope: ['required:read_vehicle_info'],
      mode: 'test',
      connectUrl: config.connectUrl,
    });
    // Unmounting closes an open popup; its connect() then rejects with an AbortError.
    return () => smartcar.current.unmount();
  }, []);

  // connect() opens the popup synchronously, so it is called first, before any await: popup
  // blockers let it through because it is still inside the click.
  const authorize = async () => {
    const flow = smartcar.current.connect({ forcePrompt: true });
    setError(null);
    setBusy(true);
    let code;
    try {
      ({ code } = await flow);
    } catch (err) {
      // Clicking again while Connect is open only brings its window to the front: that flow
      // goes on, so the page stays busy.
      if (err.name !== 'InteractionInProgress') setBusy(false);
      setError(describeError(err));
      return;
    }
    try {
      await getJson('/spa/api/exchange', { code });
      setVehicle(await getJson('/spa/api/vehicle'));
      setError(null);
    } catch (e) {
      setError(e.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main>
      <h1>Smartcar demo: React</h1>
      <p className="lead">A single-page app built with Vite. Connect a (simulated) car to see its details.</p>
      {vehicle ? <Vehicle info={vehicle} /> : <Connect onClick={authorize} busy={busy} />}
      {error && <p className="status error" id="message" role="alert">{error}</p>}
      <p><a href="/">All demos</a></p>
    </main>
  );
}
