//! The web UI's shared parts: the page shell and who views it, formatters, the embedded
//! assets. Pages are server-rendered (maud escapes every interpolated value) and call the
//! same services as the API, so they can never show more than the API would.

pub mod assets;
pub mod content;
pub mod fmt;
pub mod shell;
