//! One room per feature: each owns its API endpoints and its pages, behind one
//! `routes()`. Rooms never use each other; what they share lives in `http` and `web`
//! below them, or in `proost-app`.

pub mod audit;
pub mod backups;
pub mod browse;
pub mod connections;
pub mod dashboards;
pub mod instance;
pub mod inventory;
pub mod people;
pub mod permissions;
pub mod preferences;
pub mod privacy;
pub mod query;
pub mod questions;
pub mod records;
pub mod replicas;
pub mod session;
pub mod sharing;
pub mod usage;
