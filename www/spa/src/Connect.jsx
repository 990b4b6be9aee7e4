// The button stays enabled while Connect is open: clicking it again brings the Connect window
// to the front (connect() rejects that second call with InteractionInProgress).
export default function Connect({ onClick, busy }) {
  return (
    <button type="button" className="connect" id="connect" onClick={onClick} aria-busy={busy}>
      {busy ? 'Connecting…' : 'Connect your car'}
    </button>
  );
}
