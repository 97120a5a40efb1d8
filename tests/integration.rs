//! Proost's behaviour tests, one module per capability, in one test binary (as meilisearch
//! does): DataFusion is linked once, not once per file. They talk to real PostgreSQL,
//! MariaDB, an SMTP sink, an OpenID provider, an LDAP server and headless Chromium; see
//! `scripts/test`.

mod common;
mod exploration;

mod audit;
mod backups;
mod classification;
mod first_run;
mod keys;
mod licence;
mod mail;
mod operations;
mod permissions;
mod preferences;
mod privacy;
mod read_only;
mod records;
mod replicas;
mod security;
mod sources;
mod sso;
mod tpch;
mod usage;
mod web_ui;
