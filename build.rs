//! The commit `proost --version` names: `PROOST_COMMIT` when the build sets it (a container
//! build without `.git`), else `git rev-parse`, else "unknown".

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=PROOST_COMMIT");
    // Only files that exist: a missing one would rerun this (and rebuild the crate) always.
    let mut watched = vec![".git/HEAD".to_owned(), ".git/packed-refs".to_owned()];
    if let Ok(head) = std::fs::read_to_string(".git/HEAD")
        && let Some(branch) = head.trim().strip_prefix("ref: ")
    {
        watched.push(format!(".git/{branch}"));
    }
    for file in watched.iter().filter(|f| std::path::Path::new(f).exists()) {
        println!("cargo:rerun-if-changed={file}");
    }
    let commit = std::env::var("PROOST_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| {
            let out = Command::new("git")
                .args(["rev-parse", "--short=12", "HEAD"])
                .output()
                .ok()?;
            out.status
                .success()
                .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=PROOST_COMMIT={commit}");
}
