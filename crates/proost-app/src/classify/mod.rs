//! Personal-data discovery: the scan that classifies columns, and the inventory built from
//! its results and the access rules.

pub mod inventory;
pub mod scan;
