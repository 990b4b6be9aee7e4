export default function Vehicle({ info }) {
  return (
    <div className="card" id="vehicle">
      <p className="status ok">Connected. Here is your vehicle:</p>
      <table>
        <thead>
          <tr><th>Make</th><th>Model</th><th>Year</th><th>Id</th></tr>
        </thead>
        <tbody>
          <tr><td>{info.make}</td><td>{info.model}</td><td>{info.year}</td><td><code>{info.id}</code></td></tr>
        </tbody>
      </table>
    </div>
  );
}
