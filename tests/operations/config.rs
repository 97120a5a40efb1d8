//! The config file: flags > environment > file > defaults, errors naming the key, `config
//! check` and `config show` (secrets redacted), `--version` naming the commit.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::temp_dir;

fn proost(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_proost"));
    command.args(args);
    for var in [
        "PROOST_MASTER_KEY",
        "PROOST_REGION",
        "PROOST_CONFIG",
        "PROOST_LISTEN",
        "PROOST_DATA_DIR",
    ] {
        command.env_remove(var);
    }
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("run proost")
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(dir: &Path, name: &str, body: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, body).expect("write config");
    path.to_string_lossy().into_owned()
}

/// The line of `show`'s output for `key`.
fn line<'a>(shown: &'a str, key: &str) -> &'a str {
    shown
        .lines()
        .find(|l| l.starts_with(&format!("{key} = ")))
        .unwrap_or_else(|| panic!("no `{key}` in\n{shown}"))
}

const SECRET: &str = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTMyYg==";

#[test]
fn file_settings_sit_under_flags_and_environment_and_show_redacts_secrets() {
    let dir = temp_dir("config-layers");
    let file = write(
        &dir,
        "proost.toml",
        &format!(
            "# Proost\nlisten = \"127.0.0.1:9999\"\nquery_timeout_secs = 5\nregion = \"eu-west-1\"\n\
             sqlite_root = [\"/srv/a\", \"/srv/b\"]\nno_demo = true\nmaster_key = \"{SECRET}\"\n\
             smtp_url = \"smtp://mailer:hunter2@mail.example.com:587\"\nmask_threshold = 0.9\n"
        ),
    );
    let out = proost(
        &[
            "config",
            "show",
            "--config",
            &file,
            "--query-timeout-secs",
            "7",
        ],
        &[("PROOST_REGION", "env-region")],
    );
    let (shown, err) = text(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(
        line(&shown, "listen"),
        "listen = \"127.0.0.1:9999\"  # config file"
    );
    assert_eq!(
        line(&shown, "query_timeout_secs"),
        "query_timeout_secs = 7  # flag"
    );
    assert_eq!(
        line(&shown, "region"),
        "region = \"env-region\"  # environment"
    );
    assert_eq!(
        line(&shown, "sqlite_root"),
        "sqlite_root = [\"/srv/a\", \"/srv/b\"]  # config file"
    );
    assert_eq!(line(&shown, "no_demo"), "no_demo = true  # config file");
    assert_eq!(
        line(&shown, "mask_threshold"),
        "mask_threshold = 0.9  # config file"
    );
    assert_eq!(line(&shown, "max_rows"), "max_rows = 100000  # default");
    for secret in ["master_key", "smtp_url"] {
        let redacted = format!("# {secret} = (redacted)  # config file");
        assert!(shown.lines().any(|l| l == redacted), "{shown}");
    }
    assert!(
        !shown.contains(SECRET) && !shown.contains("hunter2"),
        "a secret was printed:\n{shown}"
    );
    assert!(shown.contains("# tls_cert = (not set)"), "{shown}");

    // What `show` prints is itself a valid config file.
    let round = write(&dir, "shown.toml", &shown);
    let out = proost(&["config", "check", "--config", &round], &[]);
    let (said, err) = text(&out);
    assert!(out.status.success(), "{err}");
    assert!(said.contains("is valid"), "{said}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn config_errors_name_the_file_the_line_and_the_key() {
    let dir = temp_dir("config-errors");
    let cases: [(&str, &[&str]); 6] = [
        (
            "listen = \"127.0.0.1:1\"\nlisten_adress = \"0.0.0.0:80\"\n",
            &[":2:", "unknown key `listen_adress`"],
        ),
        (
            "query_timeout_secs = \"soon\"\n",
            &[":1:", "`query_timeout_secs`", "soon"],
        ),
        (
            "\n\nno_demo = \"yes\"\n",
            &[":3:", "`no_demo` is true or false"],
        ),
        (
            "listen = [\"a\", \"b\"]\n",
            &[":1:", "`listen` takes a single value"],
        ),
        (
            "mask_threshold = 3.5\n",
            &[":1:", "`mask_threshold`", "between 0 and 1"],
        ),
        ("listen = \n", &["not valid TOML"]),
    ];
    for (i, (body, expected)) in cases.iter().enumerate() {
        let file = write(&dir, &format!("bad{i}.toml"), body);
        let out = proost(&["config", "check", "--config", &file], &[]);
        let (_, err) = text(&out);
        assert!(!out.status.success(), "{body:?} was accepted");
        assert!(err.contains(&format!("bad{i}.toml")), "{body:?}: {err}");
        for needle in *expected {
            assert!(err.contains(needle), "{body:?}: no {needle:?} in {err}");
        }
        assert!(!err.contains("panicked"), "{err}");
    }
    // The same errors stop `serve` before it opens anything.
    let file = write(
        &dir,
        "serve.toml",
        "data_dir = \"x\"\nquery_timout_secs = 3\n",
    );
    let out = proost(&["serve", "--config", &file], &[]);
    let (_, err) = text(&out);
    assert!(!out.status.success());
    assert!(err.contains("unknown key `query_timout_secs`"), "{err}");
    let out = proost(
        &["config", "check", "--config", "/nonexistent/proost.toml"],
        &[],
    );
    let (_, err) = text(&out);
    assert!(!out.status.success());
    assert!(err.contains("cannot read the config file"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_config_file_is_found_through_the_environment_and_a_flag_still_wins() {
    let dir = temp_dir("config-env");
    let file = write(
        &dir,
        "proost.toml",
        "region = \"from-file\"\ncache_mb = 64\n",
    );
    let out = proost(
        &["config", "show", "--cache-mb", "32"],
        &[("PROOST_CONFIG", &file)],
    );
    let (shown, err) = text(&out);
    assert!(out.status.success(), "{err}");
    assert_eq!(
        line(&shown, "region"),
        "region = \"from-file\"  # config file"
    );
    assert_eq!(line(&shown, "cache_mb"), "cache_mb = 32  # flag");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn other_commands_take_the_settings_they_share_with_serve() {
    let dir = temp_dir("config-shared");
    let data = dir.join("instance");
    let file = write(
        &dir,
        "proost.toml",
        &format!(
            "data_dir = \"{}\"\nbackup_keep = \"last=3\"\nquery_timeout_secs = 9\n",
            data.display()
        ),
    );
    // `backup list` reads data_dir from the file (query_timeout_secs is not its business).
    let out = proost(&["backup", "list", "--config", &file], &[]);
    let (said, err) = text(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        said.contains(&format!("No backups in {}", data.join("backups").display())),
        "{said}"
    );
    // `backup restore` never takes the live data dir from the file as its target.
    let out = proost(&["backup", "restore", "--config", &file, "x.age"], &[]);
    let (_, err) = text(&out);
    assert!(!out.status.success());
    assert!(err.contains("--data-dir"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn version_names_the_commit() {
    let out = proost(&["--version"], &[]);
    let (said, _) = text(&out);
    assert!(out.status.success());
    let commit = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    match commit {
        Some(commit) => assert!(said.contains(&format!("({commit})")), "{said}"),
        None => assert!(said.contains('('), "{said}"),
    }
}
