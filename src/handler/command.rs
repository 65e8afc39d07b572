//! `sawmill.CommandHandler` (cookbook recipe 16, speaking messages): runs an
//! external program per record from an argv template — never through a
//! shell. Placeholders in the arguments and the path template: `{message}`
//! (the formatted record), `{path}` (the expanded path template), `{seq}`
//! (1, 2, … per handler) and any record attribute by name (`{levelname}`,
//! `{name}`, `{lineno}`, an extra); `{{` and `}}` are literal braces. The
//! message may also go to the program's standard input. The handler waits
//! for each program (the recipe's way) or not; a program running past the
//! timeout is killed; at most `max_concurrent` run at once (a new record
//! waits for a slot). An exit status other than 0, a kill, or a program
//! that cannot be started is a handler error, also counted in `failed`.
//! Put a QueueHandler in front to keep a slow program off the caller.

use std::io::{self, Write};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{EmitError, ErrorKind, Sink};
use crate::record::{AttrRef, Record};

/// Everything a CommandHandler is built from.
#[derive(Clone, Debug, Default)]
pub struct CommandOptions {
    /// The program and its arguments, with placeholders; not empty.
    pub argv: Vec<String>,
    /// The template `{path}` expands to (e.g. "/tmp/say-{seq}.wav").
    pub path: Option<String>,
    /// Also write the message and a newline to the program's stdin.
    pub message_on_stdin: bool,
    /// Wait for each program before the next record (the recipe's way).
    pub wait: bool,
    /// Kill a program still running after this long (None: never).
    pub timeout: Option<Duration>,
    /// Programs running at once when not waiting (0 → 1).
    pub max_concurrent: usize,
}

#[derive(Clone, Debug, PartialEq)]
enum Piece {
    Text(String),
    Field(String),
}

/// A template cut into text and placeholders once.
#[derive(Clone, Debug)]
struct Template(Vec<Piece>);

impl Template {
    fn parse(text: &str) -> Result<Template, String> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(c) if c.is_alphanumeric() || c == '_' => name.push(c),
                            _ => return Err(format!("bad placeholder in '{text}'")),
                        }
                    }
                    if name.is_empty() {
                        return Err(format!("empty placeholder in '{text}'"));
                    }
                    if !literal.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut literal)));
                    }
                    pieces.push(Piece::Field(name));
                }
                '}' => return Err(format!("single '}}' in '{text}'")),
                c => literal.push(c),
            }
        }
        if !literal.is_empty() {
            pieces.push(Piece::Text(literal));
        }
        Ok(Template(pieces))
    }

    fn uses(&self, field: &str) -> bool {
        self.0.iter().any(|p| *p == Piece::Field(field.to_owned()))
    }

    fn expand(&self, values: &Values<'_>) -> Result<String, String> {
        let mut out = String::new();
        for piece in &self.0 {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Field(name) => values.write(name, &mut out)?,
            }
        }
        Ok(out)
    }
}

/// What placeholders expand to for one record.
struct Values<'r> {
    record: &'r Record<'r>,
    message: &'r str,
    path: &'r str,
    seq: u64,
}

impl Values<'_> {
    fn write(&self, name: &str, out: &mut String) -> Result<(), String> {
        use std::fmt::Write as _;
        match name {
            "message" => out.push_str(self.message),
            "path" => out.push_str(self.path),
            "seq" => {
                let _ = write!(out, "{}", self.seq);
            }
            _ => match self.record.lookup(name) {
                Some(AttrRef::Str(s)) => out.push_str(s),
                Some(AttrRef::Int(i)) => {
                    let _ = write!(out, "{i}");
                }
                Some(AttrRef::Float(f)) => {
                    let _ = write!(out, "{f}");
                }
                Some(AttrRef::Bool(b)) => out.push_str(if b { "True" } else { "False" }),
                Some(AttrRef::None) => out.push_str("None"),
                Some(AttrRef::EmptyTuple) => out.push_str("()"),
                None => return Err(format!("the record has no attribute '{name}'")),
            },
        }
        Ok(())
    }
}

struct Running {
    child: Child,
    started: Instant,
    what: String,
}

pub struct CommandSink {
    argv: Vec<Template>,
    path: Option<Template>,
    options: CommandOptions,
    seq: u64,
    running: Vec<Running>,
    failed: Arc<AtomicU64>,
}

impl CommandSink {
    pub fn new(options: CommandOptions) -> Result<CommandSink, String> {
        if options.argv.is_empty() || options.argv[0].is_empty() {
            return Err("the command's argv must name a program".into());
        }
        let argv = options
            .argv
            .iter()
            .map(|a| Template::parse(a))
            .collect::<Result<Vec<_>, _>>()?;
        if argv[0].uses("message") {
            return Err("the program's name cannot be a placeholder for the message".into());
        }
        let path = options.path.as_deref().map(Template::parse).transpose()?;
        if let Some(p) = &path {
            if p.uses("path") || p.uses("message") {
                return Err("the path template may not use {path} or {message}".into());
            }
        }
        Ok(CommandSink {
            argv,
            path,
            options,
            seq: 0,
            running: Vec::new(),
            failed: Arc::default(),
        })
    }

    /// Commands that failed (exit status ≠ 0, killed, or not started).
    pub fn failed_counter(&self) -> Arc<AtomicU64> {
        self.failed.clone()
    }

    fn fail(&self, detail: String) -> EmitError {
        self.failed.fetch_add(1, Ordering::Relaxed);
        EmitError {
            kind: ErrorKind::Callback,
            detail,
        }
    }

    /// Checks one running program: Some(result) when it has ended (or was
    /// killed for running too long); `block` waits for it.
    fn poll(&self, run: &mut Running, block: bool) -> Option<Result<(), EmitError>> {
        loop {
            match run.child.try_wait() {
                Ok(Some(status)) if status.success() => return Some(Ok(())),
                Ok(Some(status)) => {
                    return Some(Err(self.fail(format!("{} ended with {status}", run.what))))
                }
                Ok(None) => {}
                Err(e) => return Some(Err(self.fail(format!("{}: {e}", run.what)))),
            }
            if let Some(limit) = self.options.timeout {
                if run.started.elapsed() >= limit {
                    let _ = run.child.kill();
                    let _ = run.child.wait();
                    return Some(Err(self.fail(format!(
                        "{} killed after its timeout of {limit:?}",
                        run.what
                    ))));
                }
            }
            if !block {
                return None;
            }
            std::thread::sleep(Duration::from_micros(500));
        }
    }

    /// Reaps ended programs; with `until` > 0, waits until fewer than
    /// `until` run. The first failure seen is returned.
    fn reap(&mut self, until: Option<usize>) -> Result<(), EmitError> {
        let mut first = Ok(());
        loop {
            let mut i = 0;
            while i < self.running.len() {
                let mut run = self.running.swap_remove(i);
                match self.poll(&mut run, false) {
                    Some(result) => {
                        if first.is_ok() {
                            first = result;
                        }
                    }
                    None => {
                        self.running.push(run);
                        let last = self.running.len() - 1;
                        self.running.swap(i, last);
                        i += 1;
                    }
                }
            }
            match until {
                Some(limit) if self.running.len() >= limit.max(1) => {
                    std::thread::sleep(Duration::from_micros(500))
                }
                _ => return first,
            }
        }
    }

    fn start(&mut self, record: &Record<'_>, message: &str) -> Result<Running, EmitError> {
        self.seq += 1;
        let path = match &self.path {
            Some(template) => {
                let values = Values {
                    record,
                    message,
                    path: "",
                    seq: self.seq,
                };
                template.expand(&values).map_err(|e| self.fail(e))?
            }
            None => String::new(),
        };
        let values = Values {
            record,
            message,
            path: &path,
            seq: self.seq,
        };
        let args = self
            .argv
            .iter()
            .map(|t| t.expand(&values))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.fail(e))?;
        let mut command = Command::new(&args[0]);
        command
            .args(&args[1..])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .stdin(if self.options.message_on_stdin {
                Stdio::piped()
            } else {
                Stdio::null()
            });
        let mut child = command
            .spawn()
            .map_err(|e| self.fail(format!("cannot run {}: {e}", args[0])))?;
        if let Some(mut stdin) = child.stdin.take() {
            // A program that exits without reading is not an error here;
            // its exit status tells.
            let _ = stdin.write_all(message.as_bytes());
            let _ = stdin.write_all(b"\n");
        }
        Ok(Running {
            child,
            started: Instant::now(),
            what: args[0].clone(),
        })
    }
}

impl Sink for CommandSink {
    fn kind(&self) -> &'static str {
        "CommandHandler"
    }

    fn emit(&mut self, record: &Record<'_>, text: &mut String) -> Result<(), EmitError> {
        let reaped = if self.options.wait {
            Ok(())
        } else {
            self.reap(Some(self.options.max_concurrent))
        };
        let mut run = self.start(record, text)?;
        if self.options.wait {
            return self.poll(&mut run, true).unwrap_or(Ok(()));
        }
        self.running.push(run);
        reaped
    }

    /// Waits for every running program (each within its timeout).
    fn flush(&mut self) -> io::Result<()> {
        self.reap(Some(1)).map_err(|e| io::Error::other(e.detail))
    }

    /// In a fork child: the running programs are the parent's to wait for.
    fn after_fork(&mut self, _interrupted: bool) {
        for run in self.running.drain(..) {
            std::mem::forget(run);
        }
    }

    fn as_command(&mut self) -> Option<&mut CommandSink> {
        Some(self)
    }
}

/// `sawmill.CommandHandler`; a bad template or an empty argv is refused.
pub fn command_handler(options: CommandOptions) -> Result<Arc<super::Handler>, String> {
    Ok(super::Handler::new(Box::new(CommandSink::new(options)?)))
}

/// Commands of a CommandHandler that failed (exit status ≠ 0, killed, not
/// started); None for other handlers.
pub fn failed_count(handler: &super::Handler) -> Option<u64> {
    handler.with_sink(|sink| sink.as_command().map(|c| c.failed.load(Ordering::Relaxed)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn record(message: &str) -> Record<'_> {
        Record::new("app", 20, Some("/x/a.c"), 7, None, Cow::Borrowed(message))
    }

    #[test]
    fn templates_expand_placeholders_and_escapes() {
        let t = Template::parse("{{{levelname}}}:{lineno}-{message}-{seq}").unwrap();
        let r = record("hi");
        let v = Values {
            record: &r,
            message: "formatted",
            path: "",
            seq: 3,
        };
        assert_eq!(t.expand(&v).unwrap(), "{INFO}:7-formatted-3");
        assert!(Template::parse("{").is_err());
        assert!(Template::parse("}").is_err());
        assert!(Template::parse("{a b}").is_err());
        assert!(Template::parse("{nope}").unwrap().expand(&v).is_err());
    }

    #[test]
    fn runs_waits_counts_failures_and_kills_on_timeout() {
        let mut ok = CommandSink::new(CommandOptions {
            argv: vec!["true".into()],
            wait: true,
            ..CommandOptions::default()
        })
        .unwrap();
        let r = record("m");
        assert!(ok.emit(&r, &mut "m".to_owned()).is_ok());
        let mut bad = CommandSink::new(CommandOptions {
            argv: vec!["false".into()],
            wait: true,
            ..CommandOptions::default()
        })
        .unwrap();
        assert!(bad.emit(&r, &mut "m".to_owned()).is_err());
        assert_eq!(bad.failed.load(Ordering::Relaxed), 1);
        let mut slow = CommandSink::new(CommandOptions {
            argv: vec!["sleep".into(), "10".into()],
            wait: false,
            timeout: Some(Duration::from_millis(50)),
            max_concurrent: 2,
            ..CommandOptions::default()
        })
        .unwrap();
        let start = Instant::now();
        assert!(slow.emit(&r, &mut "m".to_owned()).is_ok());
        assert!(start.elapsed() < Duration::from_millis(40));
        assert!(slow.flush().is_err());
        assert!(start.elapsed() < Duration::from_secs(5));
        assert_eq!(slow.failed.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn the_message_goes_to_stdin_never_through_a_shell() {
        let dir = std::env::temp_dir().join(format!("sawmill-cmd-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("out.txt");
        let mut sink = CommandSink::new(CommandOptions {
            argv: vec![
                "sh".into(),
                "-c".into(),
                "cat > \"$1\"".into(),
                "sh".into(),
                "{path}".into(),
            ],
            path: Some(format!("{}/{{name}}-{{seq}}.txt", dir.display())),
            message_on_stdin: true,
            wait: true,
            ..CommandOptions::default()
        })
        .unwrap();
        let r = record("x");
        sink.emit(&r, &mut "$(echo pwned); `id`".to_owned())
            .unwrap();
        let written = std::fs::read_to_string(dir.join("app-1.txt")).unwrap();
        assert_eq!(written, "$(echo pwned); `id`\n");
        let _ = std::fs::remove_file(out);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
