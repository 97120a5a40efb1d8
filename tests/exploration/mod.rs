//! Exploration: saved questions, the builder, dashboards, sharing, comments, exports.

mod builder;
mod public_links;
mod sharing;
