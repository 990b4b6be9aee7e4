//! `smartcar-connect-simulator [--config FILE] [--port N] [--host 127.0.0.1] [--quiet]`
//!
//! Serves the simulator over HTTP. The port comes from `--port`, else `CONNECT_PORT`, else
//! the config's `port` (default 8002); 0 picks a free port. The first line on stdout is
//! `Connect simulator listening on http://localhost:<port>`.

use std::io::Read;
use std::sync::Arc;

use smartcar_connect_simulator::{random, sim, Config, Request, Response, Simulator};

/// Request bodies larger than this get 413.
const MAX_BODY: u64 = 64 * 1024;
const WORKERS: usize = 8;

struct Args {
    config: Option<String>,
    port: Option<u16>,
    host: String,
    quiet: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        config: std::env::var("CONNECT_CONFIG").ok().filter(|s| !s.is_empty()),
        port: None,
        host: "127.0.0.1".to_string(),
        quiet: std::env::var("CONNECT_LOG").is_ok_and(|v| v == "0"),
    };
    if let Ok(p) = std::env::var("CONNECT_PORT") {
        if !p.is_empty() {
            args.port = Some(p.parse().map_err(|_| format!("CONNECT_PORT={p} is not a port number"))?);
        }
    }
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--config" => args.config = Some(it.next().ok_or("--config needs a file")?),
            "--port" => {
                let p = it.next().ok_or("--port needs a number")?;
                args.port = Some(p.parse().map_err(|_| format!("--port {p} is not a port number"))?);
            }
            "--host" => args.host = it.next().ok_or("--host needs an address")?,
            "--quiet" => args.quiet = true,
            "-h" | "--help" => {
                println!("usage: smartcar-connect-simulator [--config FILE] [--port N] [--host ADDR] [--quiet]");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other} (try --help)")),
        }
    }
    Ok(args)
}

fn load(args: &Args) -> Result<Config, String> {
    match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
            Config::from_json(&text, &|n| std::env::var(n).ok()).map_err(|e| format!("{path}: {e}"))
        }
        None => Config::builtin().map_err(|e| format!("built-in config: {e}")),
    }
}

fn to_request(rq: &mut tiny_http::Request) -> Result<Request, Response> {
    let mut req = Request::new(rq.method().as_str(), rq.url());
    req.headers = rq.headers().iter().map(|h| (h.field.as_str().as_str().to_string(), h.value.as_str().to_string())).collect();
    let mut body = Vec::new();
    if rq.as_reader().take(MAX_BODY + 1).read_to_end(&mut body).is_err() {
        return Err(Response::text(400, "could not read the request body"));
    }
    if body.len() as u64 > MAX_BODY {
        return Err(Response::text(413, "request body too large"));
    }
    req.body = body;
    Ok(req)
}

fn serve_one(simulator: &Simulator, mut rq: tiny_http::Request, quiet: bool) {
    let (resp, line) = match to_request(&mut rq) {
        Ok(req) => {
            let line = sim::describe(&req);
            // The handler does not panic by design (clippy denies unwrap/expect/indexing);
            // this is a last line of defence that keeps the server up and answers 500.
            let resp = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| simulator.handle(&req)))
                .unwrap_or_else(|_| Response::text(500, "internal error"));
            (resp, line)
        }
        Err(resp) => (resp, format!("{} {}", rq.method(), rq.url().split('?').next().unwrap_or(""))),
    };
    if !quiet {
        eprintln!("[connect] {line} -> {}", resp.status);
    }
    let mut out = tiny_http::Response::from_data(resp.body).with_status_code(resp.status);
    for (k, v) in &resp.headers {
        if let Ok(h) = tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()) {
            out.add_header(h);
        }
    }
    let _ = rq.respond(out);
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("smartcar-connect-simulator: {e}");
            std::process::exit(2);
        }
    };
    let config = match load(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("smartcar-connect-simulator: {e}");
            std::process::exit(2);
        }
    };
    // Codes and tokens come from the OS random number generator, with no fallback.
    if let Err(e) = random::check() {
        eprintln!("smartcar-connect-simulator: cannot make codes and tokens: {e}");
        std::process::exit(1);
    }
    let port = args.port.unwrap_or(config.port);
    let server = match tiny_http::Server::http((args.host.as_str(), port)) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("smartcar-connect-simulator: cannot listen on {}:{port}: {e}", args.host);
            std::process::exit(1);
        }
    };
    let actual = server.server_addr().to_ip().map(|a| a.port()).unwrap_or(port);
    println!("Connect simulator listening on http://localhost:{actual}");
    let simulator = Arc::new(Simulator::new(config));
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let server = Arc::clone(&server);
            let simulator = Arc::clone(&simulator);
            let quiet = args.quiet;
            std::thread::spawn(move || {
                while let Ok(rq) = server.recv() {
                    serve_one(&simulator, rq, quiet);
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
}
