//! The config file (`--config proost.toml`) under the flags and the environment: flags >
//! environment > file > defaults. Every setting of `proost serve` has a key: its flag's
//! name with `_` for `-` (`--query-timeout-secs` is `query_timeout_secs`). The file's values
//! become flags where neither a flag nor the environment set one, so clap checks them like any
//! flag; an unknown key, a wrong type or a bad value is an error naming the key. Other
//! commands (`backup now`, `users reset-password`, …) take the settings they share with
//! `serve`, so an operator's commands see the same data dir and backup destination.
//! `proost config show` prints the effective settings, secrets redacted.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::PathBuf;

use clap::parser::ValueSource;
use clap::{ArgAction, ArgMatches, CommandFactory};

/// Where a setting's value came from, for `config show`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Flag,
    Env,
    File,
    Default,
}

/// The command line with the file's settings added, and which settings the file gave.
pub(crate) struct Layered {
    pub argv: Vec<OsString>,
    /// The settings the file gave, by clap id: where, to name them in errors.
    pub from_file: BTreeMap<String, Origin>,
    pub file: Option<PathBuf>,
}

/// Where in the file a setting was given: `file:line` and its key and flag.
pub(crate) struct Origin {
    at: String,
    key: String,
    long: String,
}

/// The subcommands that take `proost serve`'s settings.
fn serve_settings(matches: &ArgMatches) -> Option<&ArgMatches> {
    match matches.subcommand() {
        Some(("serve", m)) => Some(m),
        Some(("config", m)) => m.subcommand().map(|(_, m)| m),
        _ => None,
    }
}

/// The command run, where the file's settings go: `serve` and `config` take them all, the
/// others (`backup now`, `sync`, …) those they share with `serve` (`data_dir`,
/// `backup_to`, …). Not `backup restore`: its `--data-dir` names a new directory.
fn invoked(matches: &ArgMatches) -> Option<(&ArgMatches, clap::Command)> {
    let mut command = crate::Cli::command();
    command.build();
    let (mut at, mut path) = (matches, Vec::new());
    while let Some((name, sub)) = at.subcommand() {
        command = command.find_subcommand(name)?.clone();
        path.push(name);
        at = sub;
    }
    match path.as_slice() {
        [] | ["backup", "restore"] => None,
        _ => Some((at, command)),
    }
}

fn serve_command() -> clap::Command {
    let mut cli = crate::Cli::command();
    cli.build();
    cli.find_subcommand("serve")
        .cloned()
        .unwrap_or_else(|| clap::Command::new("serve"))
}

/// One setting of `proost serve`: its clap id, its key in the file (the long flag with `_`
/// for `-`) and its flag.
struct Setting {
    id: String,
    key: String,
    long: String,
    list: bool,
    switch: bool,
    secret: bool,
}

fn settings() -> Vec<Setting> {
    serve_command()
        .get_arguments()
        .filter_map(|a| {
            let long = a.get_long()?;
            if matches!(long, "help" | "version" | "config") {
                return None;
            }
            Some(Setting {
                id: a.get_id().to_string(),
                key: long.replace('-', "_"),
                long: long.to_owned(),
                list: matches!(a.get_action(), ArgAction::Append),
                switch: matches!(a.get_action(), ArgAction::SetTrue),
                // The settings whose environment values clap hides are the secrets.
                secret: a.is_hide_env_values_set(),
            })
        })
        .collect()
}

fn line_of(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| {
            let l = l.trim_start();
            l.starts_with(key) && l[key.len()..].trim_start().starts_with(['=', '.'])
        })
        .map_or(0, |n| n + 1)
}

fn scalar(value: &toml::Value) -> Option<String> {
    match value {
        toml::Value::String(s) => Some(s.clone()),
        toml::Value::Integer(i) => Some(i.to_string()),
        toml::Value::Float(f) => Some(f.to_string()),
        toml::Value::Boolean(b) => Some(b.to_string()),
        toml::Value::Datetime(d) => Some(d.to_string()),
        toml::Value::Array(_) | toml::Value::Table(_) => None,
    }
}

/// Reads the config file named by `--config` / `PROOST_CONFIG` and adds its settings to
/// `argv` where a flag or the environment did not set them.
pub(crate) fn layer(argv: Vec<OsString>) -> Result<Layered, clap::Error> {
    let matches = crate::Cli::command().try_get_matches_from(&argv)?;
    let file = matches.get_one::<PathBuf>("config").cloned();
    let (Some(path), Some((run, command))) = (file.clone(), invoked(&matches)) else {
        return Ok(Layered {
            argv,
            from_file: BTreeMap::new(),
            file,
        });
    };
    let fail = |message: String| {
        crate::Cli::command().error(clap::error::ErrorKind::InvalidValue, message)
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        fail(format!(
            "cannot read the config file {}: {e}",
            path.display()
        ))
    })?;
    let table: toml::Table = text
        .parse()
        .map_err(|e| fail(format!("{}: not valid TOML: {e}", path.display())))?;
    let known = settings();
    let mut argv = argv;
    let mut from_file = BTreeMap::new();
    for (key, value) in &table {
        let at = format!("{}:{}", path.display(), line_of(&text, key));
        let Some(setting) = known.iter().find(|s| &s.key == key) else {
            let hint = known
                .iter()
                .map(|s| &s.key)
                .find(|k| k.contains(key.as_str()) || key.contains(k.as_str()))
                .map(|k| format!(" (did you mean `{k}`?)"))
                .unwrap_or_default();
            return Err(fail(format!(
                "{at}: unknown key `{key}`{hint}; the keys are the flags of `proost serve` \
                 with _ for - (see `proost config show`)"
            )));
        };
        let takes_it = command
            .get_arguments()
            .any(|a| a.get_id() == setting.id.as_str());
        let set_elsewhere = !takes_it
            || matches!(
                run.value_source(&setting.id),
                Some(ValueSource::CommandLine | ValueSource::EnvVariable)
            );
        let (long, switch) = (&setting.long, setting.switch);
        let values: Vec<String> =
            match (value, setting.list, switch) {
                (toml::Value::Boolean(on), _, true) => match on {
                    true => vec![],
                    false => continue,
                },
                (_, _, true) => return Err(fail(format!("{at}: `{key}` is true or false"))),
                (toml::Value::Array(items), true, _) => {
                    let mut out = Vec::new();
                    for item in items {
                        out.push(scalar(item).ok_or_else(|| {
                            fail(format!("{at}: `{key}` is a list of plain values"))
                        })?);
                    }
                    out
                }
                (v, _, _) => vec![scalar(v).ok_or_else(|| {
                    fail(format!(
                        "{at}: `{key}` takes a single value, not a list or a table"
                    ))
                })?],
            };
        if set_elsewhere {
            continue;
        }
        from_file.insert(
            setting.id.clone(),
            Origin {
                at: at.clone(),
                key: key.clone(),
                long: long.clone(),
            },
        );
        if switch {
            argv.push(format!("--{long}").into());
        }
        for v in values {
            argv.push(format!("--{long}={v}").into());
        }
    }
    Ok(Layered {
        argv,
        from_file,
        file: Some(path),
    })
}

/// The file's setting an error message is about (it names the setting's flag).
fn origin_of<'a>(message: &str, layered: &'a Layered) -> Option<&'a Origin> {
    layered
        .from_file
        .values()
        .find(|o| message.contains(&format!("--{}", o.long)))
}

/// A clap error about a value the file gave names the file, the line and the key.
pub(crate) fn explain(error: clap::Error, layered: &Layered) -> clap::Error {
    let rendered = error.to_string();
    match origin_of(&rendered, layered) {
        Some(o) => crate::Cli::command().error(
            error.kind(),
            format!(
                "{}: `{}`: {}",
                o.at,
                o.key,
                rendered.trim_start_matches("error: ").trim_end()
            ),
        ),
        None => error,
    }
}

/// A start-up error about a setting the file gave (`--mask-threshold is …`) also names the
/// file, the line and the key.
pub(crate) fn attribute(message: String, layered: &Layered) -> String {
    match origin_of(&message, layered) {
        Some(o) => format!("{}: `{}`: {message}", o.at, o.key),
        None => message,
    }
}

fn source(matches: &ArgMatches, id: &str, layered: &Layered) -> Source {
    if layered.from_file.contains_key(id) {
        return Source::File;
    }
    match matches.value_source(id) {
        Some(ValueSource::CommandLine) => Source::Flag,
        Some(ValueSource::EnvVariable) => Source::Env,
        _ => Source::Default,
    }
}

fn toml_value(raw: &str, switch: bool) -> String {
    if switch || raw.parse::<i64>().is_ok() || (raw.parse::<f64>().is_ok() && raw.contains('.')) {
        return raw.to_owned();
    }
    toml::Value::String(raw.to_owned()).to_string()
}

/// The effective settings of `proost serve` as a config file, with each value's source;
/// secrets (the settings whose environment values clap hides) are redacted.
pub(crate) fn show(matches: &ArgMatches, layered: &Layered) -> String {
    let Some(serve) = serve_settings(matches) else {
        return String::new();
    };
    let mut out = String::from(
        "# The effective settings of `proost serve`: flags > environment > config file > defaults.\n",
    );
    if let Some(file) = &layered.file {
        let _ = writeln!(out, "# Config file: {}", file.display());
    }
    for setting in settings() {
        let Setting {
            id,
            key,
            list,
            switch,
            secret,
            ..
        } = setting;
        let raw: Vec<String> = serve
            .get_raw(&id)
            .map(|vs| vs.map(|v| v.to_string_lossy().into_owned()).collect())
            .unwrap_or_default();
        let from = match source(serve, &id, layered) {
            Source::Flag => "flag",
            Source::Env => "environment",
            Source::File => "config file",
            Source::Default => "default",
        };
        let value = match (raw.is_empty(), secret, list) {
            (true, _, false) => {
                let _ = writeln!(out, "# {key} = (not set)");
                continue;
            }
            // A comment, so what is printed stays a usable config file.
            (_, true, _) => {
                let _ = writeln!(out, "# {key} = (redacted)  # {from}");
                continue;
            }
            (_, false, true) => format!(
                "[{}]",
                raw.iter()
                    .map(|v| toml_value(v, false))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            (false, false, false) => toml_value(&raw[0], switch),
        };
        let _ = writeln!(out, "{key} = {value}  # {from}");
    }
    out
}

/// What `config check` read.
pub(crate) fn describe(layered: &Layered) -> String {
    match &layered.file {
        Some(f) => format!("{} with the flags and environment", f.display()),
        None => "the flags and environment (no config file)".to_owned(),
    }
}
