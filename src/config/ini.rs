//! Python's configparser dialect, as `logging.config.fileConfig` reads it:
//! `ConfigParser()` with its defaults — `=` and `:` delimiters, full-line
//! comments with `#` or `;` (no inline comments), indented continuation
//! lines (blank lines inside a value kept), option names case-folded,
//! section names case-sensitive, a `[DEFAULT]` section whose options every
//! section sees, strict mode (a repeated section or option is an error) and
//! BasicInterpolation (`%(name)s`, `%%`) on reads that are not raw.
//!
//! Written here rather than taken from a crate: the INI crates we looked at
//! differ from configparser in ways fileConfig files depend on (continuation
//! by indentation, blank lines inside values, case-sensitive sections,
//! strict duplicates, `%(x)s` interpolation). Checked against python3's
//! configparser by tests/ini_differential.rs.
//!
//! Bounded: the text (`MAX_TEXT`) and an interpolated value (`MAX_VALUE`);
//! interpolation nests at most 10 deep, as in Python.

use std::fmt;

/// Largest text accepted (bytes).
pub(crate) const MAX_TEXT: usize = 1024 * 1024;
/// Largest value interpolation may build (bytes): a few references nested
/// ten deep could otherwise multiply a value past any memory.
pub(crate) const MAX_VALUE: usize = 1024 * 1024;
/// configparser's MAX_INTERPOLATION_DEPTH.
pub(crate) const MAX_DEPTH: usize = 10;

/// The name of the section every other one falls back on.
pub(crate) const DEFAULT_SECTION: &str = "DEFAULT";

/// Why a text could not be read, or a value not interpolated. The variants
/// are configparser's exceptions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IniError {
    /// The text is larger than `MAX_TEXT`.
    TooLarge,
    /// An option line before any section header (line number, line).
    MissingSectionHeader(usize, String),
    /// A section header seen twice (name, line number).
    DuplicateSection(String, usize),
    /// An option seen twice in one section (section, option, line number).
    DuplicateOption(String, String, usize),
    /// Lines that are neither a header nor an option (line numbers and lines).
    Parsing(Vec<(usize, String)>),
    /// `cp[section]` of a section that is not there.
    NoSection(String),
    /// A `%` not followed by `%` or `(name)s` (section, option).
    InterpolationSyntax(String, String, String),
    /// `%(name)s` naming no option (section, option, name).
    InterpolationMissingOption(String, String, String),
    /// References nested deeper than `MAX_DEPTH` (section, option).
    InterpolationDepth(String, String),
    /// An interpolated value past `MAX_VALUE` (section, option).
    InterpolationTooLarge(String, String),
}

impl IniError {
    /// configparser's exception name for this error.
    pub fn kind(&self) -> &'static str {
        match self {
            IniError::TooLarge => "TooLarge",
            IniError::MissingSectionHeader(..) => "MissingSectionHeaderError",
            IniError::DuplicateSection(..) => "DuplicateSectionError",
            IniError::DuplicateOption(..) => "DuplicateOptionError",
            IniError::Parsing(..) => "ParsingError",
            IniError::NoSection(..) => "NoSectionError",
            IniError::InterpolationSyntax(..) => "InterpolationSyntaxError",
            IniError::InterpolationMissingOption(..) => "InterpolationMissingOptionError",
            IniError::InterpolationDepth(..) => "InterpolationDepthError",
            IniError::InterpolationTooLarge(..) => "InterpolationTooLarge",
        }
    }
}

impl fmt::Display for IniError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IniError::TooLarge => write!(f, "INI text larger than {MAX_TEXT} bytes"),
            IniError::MissingSectionHeader(n, line) => {
                write!(f, "line {n}: no section header before {line:?}")
            }
            IniError::DuplicateSection(s, n) => write!(f, "line {n}: section [{s}] already exists"),
            IniError::DuplicateOption(s, o, n) => {
                write!(f, "line {n}: option '{o}' in section [{s}] already exists")
            }
            IniError::Parsing(lines) => {
                f.write_str("lines that are neither a [section] nor an option")?;
                for (n, line) in lines.iter().take(5) {
                    write!(f, "; line {n}: {line:?}")?;
                }
                Ok(())
            }
            IniError::NoSection(s) => write!(f, "no section [{s}]"),
            IniError::InterpolationSyntax(s, o, why) => {
                write!(f, "section [{s}], option '{o}': bad interpolation: {why}")
            }
            IniError::InterpolationMissingOption(s, o, name) => write!(
                f,
                "section [{s}], option '{o}': %({name})s names no option of the section or [DEFAULT]"
            ),
            IniError::InterpolationDepth(s, o) => write!(
                f,
                "section [{s}], option '{o}': interpolation nested deeper than {MAX_DEPTH}"
            ),
            IniError::InterpolationTooLarge(s, o) => write!(
                f,
                "section [{s}], option '{o}': interpolated value larger than {MAX_VALUE} bytes"
            ),
        }
    }
}

impl std::error::Error for IniError {}

/// Options in the order the text gave them (name already case-folded).
type Options = Vec<(String, String)>;

/// Options while reading: each value as its list of lines.
type RawOptions = Vec<(String, Vec<String>)>;

/// A parsed INI text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ini {
    defaults: Options,
    sections: Vec<(String, Options)>,
}

/// Python's str.isspace (Rust's is_whitespace lacks U+001C..U+001F).
fn py_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

fn py_strip(s: &str) -> &str {
    s.trim_matches(py_space)
}

/// configparser's optionxform: str.lower().
fn fold(name: &str) -> String {
    name.to_lowercase()
}

fn find<'a>(options: &'a Options, name: &str) -> Option<&'a str> {
    options
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

impl Ini {
    /// Reads a text as configparser's `read_file` does from a file opened
    /// in text mode (`\r\n` and `\r` read as `\n`).
    pub fn parse(text: &str) -> Result<Ini, IniError> {
        if text.len() > MAX_TEXT {
            return Err(IniError::TooLarge);
        }
        let text = if text.contains('\r') {
            std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
        } else {
            std::borrow::Cow::Borrowed(text)
        };
        // Values collect as lists of lines, joined at the end.
        let mut defaults: RawOptions = Vec::new();
        let mut sections: Vec<(String, RawOptions)> = Vec::new();
        // Where options go: None before any header, Some(None) for DEFAULT.
        let mut current: Option<Option<usize>> = None;
        let mut current_name = String::new();
        let mut seen_sections: Vec<String> = Vec::new();
        let mut seen_options: Vec<(String, String)> = Vec::new();
        let mut option: Option<usize> = None; // index in the current section
        let mut option_named = false;
        let mut indent_level = 0usize;
        let mut bad_lines: Vec<(usize, String)> = Vec::new();

        let lines = text.split_inclusive('\n');
        for (index, raw) in lines.enumerate() {
            let lineno = index + 1;
            let stripped = py_strip(raw);
            let comment = stripped.starts_with('#') || stripped.starts_with(';');
            let value = if comment { "" } else { stripped };
            if value.is_empty() {
                if !comment && option_named {
                    if let (Some(sect), Some(i)) = (current, option) {
                        let opts = match sect {
                            None => &mut defaults,
                            Some(s) => &mut sections[s].1,
                        };
                        opts[i].1.push(String::new());
                    }
                }
                continue;
            }
            let indent = raw.chars().take_while(|&c| py_space(c)).count();
            if current.is_some() && option_named && indent > indent_level {
                if let (Some(sect), Some(i)) = (current, option) {
                    let opts = match sect {
                        None => &mut defaults,
                        Some(s) => &mut sections[s].1,
                    };
                    opts[i].1.push(value.to_string());
                }
                continue;
            }
            indent_level = indent;
            // A section header: '[' name ']' up to the last ']' (anything may follow).
            if let Some(close) = value
                .rfind(']')
                .filter(|&c| value.starts_with('[') && c >= 2)
            {
                let name = &value[1..close];
                if let Some(i) = sections.iter().position(|(n, _)| n == name) {
                    if seen_sections.iter().any(|n| n == name) {
                        return Err(IniError::DuplicateSection(name.to_string(), lineno));
                    }
                    current = Some(Some(i));
                } else if name == DEFAULT_SECTION {
                    current = Some(None);
                } else {
                    sections.push((name.to_string(), Vec::new()));
                    seen_sections.push(name.to_string());
                    current = Some(Some(sections.len() - 1));
                }
                current_name = name.to_string();
                option = None;
                option_named = false;
                continue;
            }
            let Some(sect) = current else {
                return Err(IniError::MissingSectionHeader(
                    lineno,
                    raw.trim_end_matches('\n').to_string(),
                ));
            };
            let Some(delim) = value.find(['=', ':']) else {
                bad_lines.push((lineno, raw.trim_end_matches('\n').to_string()));
                continue;
            };
            let name = fold(value[..delim].trim_end_matches(py_space));
            if name.is_empty() {
                bad_lines.push((lineno, raw.trim_end_matches('\n').to_string()));
            }
            let key = (current_name.clone(), name.clone());
            if seen_options.contains(&key) {
                return Err(IniError::DuplicateOption(key.0, key.1, lineno));
            }
            seen_options.push(key);
            let val = py_strip(&value[delim + 1..]).to_string();
            let opts = match sect {
                None => &mut defaults,
                Some(s) => &mut sections[s].1,
            };
            option_named = !name.is_empty();
            match opts.iter().position(|(n, _)| *n == name) {
                Some(i) => {
                    opts[i].1 = vec![val];
                    option = Some(i);
                }
                None => {
                    opts.push((name, vec![val]));
                    option = Some(opts.len() - 1);
                }
            }
        }
        if !bad_lines.is_empty() {
            return Err(IniError::Parsing(bad_lines));
        }
        let join = |opts: RawOptions| -> Options {
            opts.into_iter()
                .map(|(n, lines)| (n, lines.join("\n").trim_end_matches(py_space).to_string()))
                .collect()
        };
        Ok(Ini {
            defaults: join(defaults),
            sections: sections.into_iter().map(|(n, o)| (n, join(o))).collect(),
        })
    }

    /// The sections in the text's order, DEFAULT not included.
    pub fn sections(&self) -> impl Iterator<Item = &str> {
        self.sections.iter().map(|(n, _)| n.as_str())
    }

    /// `section in cp`: DEFAULT is always there.
    pub fn has_section(&self, section: &str) -> bool {
        section == DEFAULT_SECTION || self.section(section).is_some()
    }

    fn section(&self, section: &str) -> Option<&Options> {
        self.sections
            .iter()
            .find(|(n, _)| n == section)
            .map(|(_, o)| o)
    }

    /// `cp.options(section)`: the section's own names, then DEFAULT's that it
    /// does not have (for DEFAULT itself, its names).
    pub fn options(&self, section: &str) -> Result<Vec<&str>, IniError> {
        let own: &[(String, String)] = if section == DEFAULT_SECTION {
            &[]
        } else {
            self.section(section)
                .ok_or_else(|| IniError::NoSection(section.to_string()))?
        };
        let mut names: Vec<&str> = own.iter().map(|(n, _)| n.as_str()).collect();
        for (n, _) in &self.defaults {
            if !names.contains(&n.as_str()) {
                names.push(n);
            }
        }
        Ok(names)
    }

    /// The section's own option names (DEFAULT's not included); none for a
    /// section that is not there.
    pub fn own_options(&self, section: &str) -> Vec<&str> {
        let own = if section == DEFAULT_SECTION {
            Some(&self.defaults)
        } else {
            self.section(section)
        };
        own.map(|o| o.iter().map(|(n, _)| n.as_str()).collect())
            .unwrap_or_default()
    }

    /// `cp.get(section, option, raw=True)`: the value as written, from the
    /// section or DEFAULT; None when neither has it (or no such section).
    pub fn get_raw(&self, section: &str, option: &str) -> Option<&str> {
        let option = fold(option);
        if section != DEFAULT_SECTION {
            if let Some(v) = find(self.section(section)?, &option) {
                return Some(v);
            }
        }
        find(&self.defaults, &option)
    }

    /// `cp.has_option(section, option)`.
    pub fn has_option(&self, section: &str, option: &str) -> bool {
        self.get_raw(section, option).is_some()
    }

    /// `cp.get(section, option)` with BasicInterpolation; Ok(None) when the
    /// option is not there.
    pub fn get(&self, section: &str, option: &str) -> Result<Option<String>, IniError> {
        let Some(raw) = self.get_raw(section, option) else {
            if !self.has_section(section) {
                return Err(IniError::NoSection(section.to_string()));
            }
            return Ok(None);
        };
        let option = fold(option);
        let mut out = String::new();
        self.interpolate(section, &option, raw, &mut out, 1)?;
        Ok(Some(out))
    }

    fn interpolate(
        &self,
        section: &str,
        option: &str,
        mut rest: &str,
        out: &mut String,
        depth: usize,
    ) -> Result<(), IniError> {
        if depth > MAX_DEPTH {
            return Err(IniError::InterpolationDepth(
                section.to_string(),
                option.to_string(),
            ));
        }
        let err_syntax = |why: String| {
            IniError::InterpolationSyntax(section.to_string(), option.to_string(), why)
        };
        while !rest.is_empty() {
            let Some(p) = rest.find('%') else {
                out.push_str(rest);
                break;
            };
            out.push_str(&rest[..p]);
            rest = &rest[p..];
            if out.len() > MAX_VALUE {
                break;
            }
            if rest[1..].starts_with('%') {
                out.push('%');
                rest = &rest[2..];
            } else if rest[1..].starts_with('(') {
                // %\(([^)]+)\)s
                let close = rest
                    .find(')')
                    .filter(|&c| c > 2 && rest[c + 1..].starts_with('s'));
                let Some(close) = close else {
                    return Err(err_syntax(format!(
                        "bad interpolation variable reference {rest:?}"
                    )));
                };
                let name = fold(&rest[2..close]);
                rest = &rest[close + 2..];
                let value = self.get_raw(section, &name).ok_or_else(|| {
                    IniError::InterpolationMissingOption(
                        section.to_string(),
                        option.to_string(),
                        name.clone(),
                    )
                })?;
                if value.contains('%') {
                    self.interpolate(section, option, value, out, depth + 1)?;
                } else {
                    out.push_str(value);
                }
            } else {
                return Err(err_syntax(format!(
                    "'%' must be followed by '%' or '(', found: {rest:?}"
                )));
            }
            if out.len() > MAX_VALUE {
                break;
            }
        }
        if out.len() > MAX_VALUE {
            return Err(IniError::InterpolationTooLarge(
                section.to_string(),
                option.to_string(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_dialect() {
        let ini = Ini::parse(
            "[DEFAULT]\nbase = /var/log\n[Handler_A]\nArgs = ('%(base)s/a.log',\n   'a')\n\n  # c\n   x\nformat: %%(message)s\n",
        )
        .unwrap();
        assert_eq!(ini.sections().collect::<Vec<_>>(), ["Handler_A"]);
        assert_eq!(
            ini.get("Handler_A", "ARGS").unwrap().unwrap(),
            "('/var/log/a.log',\n'a')\n\nx"
        );
        assert_eq!(
            ini.get("Handler_A", "format").unwrap().unwrap(),
            "%(message)s"
        );
        assert_eq!(ini.get_raw("Handler_A", "format").unwrap(), "%%(message)s");
        assert_eq!(
            ini.options("Handler_A").unwrap(),
            ["args", "format", "base"]
        );
        assert!(matches!(
            Ini::parse("[a]\nx=1\n[a]\n"),
            Err(IniError::DuplicateSection(..))
        ));
        assert!(matches!(
            Ini::parse("[a]\nx=1\nX=2\n"),
            Err(IniError::DuplicateOption(..))
        ));
        assert!(matches!(
            Ini::parse("x=1\n"),
            Err(IniError::MissingSectionHeader(..))
        ));
        assert!(matches!(
            Ini::parse("[a]\njunk\n"),
            Err(IniError::Parsing(..))
        ));
    }

    #[test]
    fn interpolation_is_bounded() {
        let mut text = String::from(
            "[s]\nv0 = xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx%%\n",
        );
        for i in 1..10 {
            let r = format!("%(v{})s", i - 1);
            text.push_str(&format!("v{i} = {}\n", r.repeat(16)));
        }
        let ini = Ini::parse(&text).unwrap();
        assert!(matches!(
            ini.get("s", "v9"),
            Err(IniError::InterpolationTooLarge(..))
        ));
        let ini = Ini::parse("[s]\na = %(b)s\nb = %(a)s\n").unwrap();
        assert!(matches!(
            ini.get("s", "a"),
            Err(IniError::InterpolationDepth(..))
        ));
    }
}
