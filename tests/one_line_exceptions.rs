//! Recipe 15's one-line exception style (`one_line_exceptions`, set through
//! dictConfig) against CPython running the recipe's
//! `OneLineExceptionFormatter` on the same records. CPython's
//! `formatException` text is the record's `exc_text` given to sawmill (the
//! oracle's base class returns it, trailing newline dropped as the stdlib does).
mod common;

use std::borrow::Cow;

use sawmill::record::Record;

const ORACLE: &str = r#"
import json, logging, sys

class Given(logging.Formatter):
    def formatException(self, exc_info):
        s = exc_info[0]
        return s[:-1] if s[-1:] == "\n" else s

class OneLineExceptionFormatter(Given):
    def formatException(self, exc_info):
        result = super(OneLineExceptionFormatter, self).formatException(exc_info)
        return repr(result)

    def format(self, record):
        s = super(OneLineExceptionFormatter, self).format(record)
        if record.exc_text:
            s = s.replace('\n', ' ') + '|'
        return s

f = OneLineExceptionFormatter('%(levelname)s|%(message)s|')
out = []
for msg, exc, stack in json.load(sys.stdin):
    r = logging.makeLogRecord({"msg": msg, "levelname": "ERROR", "levelno": 40})
    r.exc_info = (exc,) if exc else None
    r.stack_info = stack
    out.append(f.format(r))
json.dump(out, sys.stdout)
"#;

fn cases() -> Vec<(String, Option<String>, Option<String>)> {
    let texts = [
        "Traceback (most recent call last):\n  File \"a.c\", line 3, in main\nZeroDivisionError: division by zero\n",
        "it's",
        "both ' and \"",
        "back\\slash\ttab\r\n",
        "caf\u{e9} \u{2603} \u{1f600} \u{7f}\u{85}\u{a0}\u{200b}",
        "\n",
        "two\n\n",
    ];
    let mut cases = Vec::new();
    for (i, exc) in texts.iter().enumerate() {
        let msg = if i % 2 == 0 { "plain" } else { "multi\nline" };
        let stack = (i % 3 == 0).then(|| "Stack (most recent call last):\n  x\n".to_owned());
        cases.push((msg.to_owned(), Some((*exc).to_owned()), stack));
    }
    cases.push(("no exception\nkept".into(), None, Some("Stack\nx".into())));
    cases.push(("nothing".into(), None, None));
    cases
}

#[test]
fn one_line_exceptions_match_cpython() {
    sawmill::config::dict::dict_config_json(
        r#"{"version": 1,
            "formatters": {"one": {"format": "%(levelname)s|%(message)s|",
                                   "one_line_exceptions": true}},
            "handlers": {"h": {"class": "logging.NullHandler", "formatter": "one"}}}"#,
    )
    .expect("config accepted");
    let formatter = sawmill::config::dict::handler_by_name("h")
        .and_then(|h| h.formatter())
        .expect("handler h has the formatter");
    let cases = cases();
    let input = serde_json::to_string(&cases).expect("json");
    let out = common::python_with_stdin(&["-c", ORACLE], input.into_bytes());
    let want: Vec<String> = serde_json::from_slice(&out).expect("python json");
    for ((msg, exc, stack), want) in cases.iter().zip(&want) {
        let mut record = Record::new("root", 40, None, 0, None, Cow::Borrowed(msg.as_str()));
        record.exc_text = exc.as_deref().map(Cow::Borrowed);
        record.stack_info = stack.as_deref().map(Cow::Borrowed);
        let got = formatter.format_to_string(&record).expect("formats");
        assert_eq!(&got, want, "msg {msg:?} exc {exc:?} stack {stack:?}");
    }
    assert_eq!(want.len(), cases.len());
}
