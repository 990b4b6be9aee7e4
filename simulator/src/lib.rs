//! A local stand-in for Smartcar Connect, for the demo apps (`npm start`) and the end-to-end
//! tests: the authorize pages (brand, login, permissions), the token endpoint and a small
//! vehicle API, configured by one JSON file (`connect.json`), with all state in memory.

pub mod config;
pub mod http;
pub mod pages;
pub mod random;
pub mod sim;

pub use config::Config;
pub use http::{Request, Response};
pub use sim::Simulator;
