//! Saved questions, dashboards, shares and comments through the API: a shared question runs
//! with the viewer's grants, masks and row policies, never the author's.
