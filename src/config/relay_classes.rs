//! Configuration classes of the handlers that pass records on rather than
//! write them: `logging.handlers.MemoryHandler` (its `target` names another
//! handler), `logging.handlers.QueueHandler` (Python 3.12's `handlers`,
//! `respect_handler_level`, `queue`, `listener`, plus sawmill's `overflow`,
//! `timeout_ms` and `sync_level`) and `sawmill.CommandHandler`, which runs
//! programs and so may never be built from a configuration that came over
//! the network.

use std::time::Duration;

use serde_json::Value as Json;

use super::classes::{
    as_bool, as_opt_str, as_str, as_u32, as_u64, kind_of, level, Class, Key, Refs, Remote,
};
use crate::handler::command::{self, CommandOptions};
use crate::handler::memory::{self, MemoryOptions};
use crate::handler::queue::{self, Overflow, QueueOptions};
use crate::handler::{self};

static MEMORY_KEYS: &[Key<MemoryOptions>] = &[
    Key {
        name: "capacity",
        python: true,
        refs: Refs::None,
        doc: "int: records buffered before a flush (the buffer never holds more)",
        set: |o, v, _| {
            o.capacity = usize::try_from(as_u64(v)?).map_err(|e| e.to_string())?;
            Ok(())
        },
    },
    Key {
        name: "flushLevel",
        python: true,
        refs: Refs::None,
        doc: "level: a record at or above it flushes the buffer (default ERROR)",
        set: |o, v, _| {
            o.flush_level = level(v)?;
            Ok(())
        },
    },
    Key {
        name: "target",
        python: true,
        refs: Refs::One,
        doc: "the name of the handler flushed records go to (built first; a cycle is refused)",
        set: |o, v, ctx| {
            o.target = match v {
                Json::Null => None,
                _ => Some(ctx.handler(as_str(v)?)?),
            };
            Ok(())
        },
    },
    Key {
        name: "flushOnClose",
        python: true,
        refs: Refs::None,
        doc: "bool: closing flushes the buffer (default true)",
        set: |o, v, _| {
            o.flush_on_close = as_bool(v)?;
            Ok(())
        },
    },
];

pub static MEMORY_HANDLER: Class<MemoryOptions> = Class {
    name: "logging.handlers.MemoryHandler",
    aliases: &["MemoryHandler"],
    doc: "Python's MemoryHandler: buffers records and hands them to its target when full, \
          at flushLevel, on flush and on close.",
    remote: Remote::Allowed,
    required: &["capacity"],
    new: MemoryOptions::default,
    keys: &[MEMORY_KEYS],
    build: |o, ctx| {
        if ctx.check_only {
            return Ok(handler::null_handler());
        }
        Ok(memory::memory_handler(o))
    },
};

/// `queue`: Python 3.12 takes a queue object or the config of one; sawmill
/// builds its own ring and reads its size.
fn queue_size(o: &mut QueueOptions, v: &Json) -> Result<(), String> {
    let Json::Object(map) = v else {
        return Err(format!(
            "expected {{\"maxsize\": n}} (sawmill builds its own bounded queue), got {}",
            kind_of(v)
        ));
    };
    for (key, value) in map {
        match key.as_str() {
            "maxsize" => o.maxsize = usize::try_from(as_u64(value)?).map_err(|e| e.to_string())?,
            "()" if matches!(as_str(value)?, "queue.Queue" | "ext://queue.Queue") => {}
            other => {
                return Err(format!(
                    "queue: unsupported key '{other}' (only maxsize, and '()': queue.Queue)"
                ))
            }
        }
    }
    Ok(())
}

static QUEUE_KEYS: &[Key<QueueOptions>] = &[
    Key {
        name: "handlers",
        python: true,
        refs: Refs::Many,
        doc: "list of handler names the listener thread runs (built first)",
        set: |o, v, ctx| {
            let Json::Array(names) = v else {
                return Err(format!(
                    "expected a list of handler names, got {}",
                    kind_of(v)
                ));
            };
            for name in names {
                o.handlers.push(ctx.handler(as_str(name)?)?);
            }
            Ok(())
        },
    },
    Key {
        name: "respect_handler_level",
        python: true,
        refs: Refs::None,
        doc: "bool: the listener checks each handler's level (default false, as in Python)",
        set: |o, v, _| {
            o.respect_handler_level = as_bool(v)?;
            Ok(())
        },
    },
    Key {
        name: "queue",
        python: true,
        refs: Refs::None,
        doc: "{\"maxsize\": n}: the ring's size (0 or absent: 8192; never unbounded)",
        set: |o, v, _| queue_size(o, v),
    },
    Key {
        name: "listener",
        python: true,
        refs: Refs::None,
        doc: "only logging.handlers.QueueListener (sawmill's own listener thread)",
        set: |_, v, _| match as_opt_str(v)? {
            None
            | Some("logging.handlers.QueueListener")
            | Some("ext://logging.handlers.QueueListener") => Ok(()),
            Some(other) => Err(format!(
                "unsupported listener '{other}' (only logging.handlers.QueueListener)"
            )),
        },
    },
    Key {
        name: "overflow",
        python: false,
        refs: Refs::None,
        doc: "\"block\" (default: wait, nothing lost), \"drop_newest\", \"drop_oldest\", \
              \"timeout\" (wait timeout_ms, then drop); drops are counted",
        set: |o, v, _| {
            o.overflow = Overflow::parse(as_str(v)?)?;
            Ok(())
        },
    },
    Key {
        name: "timeout_ms",
        python: false,
        refs: Refs::None,
        doc: "int: how long overflow \"timeout\" waits for room",
        set: |o, v, _| {
            o.timeout = Duration::from_millis(as_u64(v)?);
            Ok(())
        },
    },
    Key {
        name: "sync_level",
        python: false,
        refs: Refs::None,
        doc: "level: records at or above it are handled on the logging thread, after the queue",
        set: |o, v, _| {
            o.sync_level = Some(level(v)?);
            Ok(())
        },
    },
];

pub static QUEUE_HANDLER: Class<QueueOptions> = Class {
    name: "logging.handlers.QueueHandler",
    aliases: &["QueueHandler"],
    doc: "Python 3.12's QueueHandler with its QueueListener: a bounded queue in front of \
          a listener thread that runs the named handlers.",
    remote: Remote::Allowed,
    required: &[],
    new: QueueOptions::default,
    keys: &[QUEUE_KEYS],
    build: |o, ctx| {
        if ctx.check_only {
            return Ok(handler::null_handler());
        }
        Ok(queue::queue_handler(o))
    },
};

static COMMAND_KEYS: &[Key<CommandOptions>] = &[
    Key {
        name: "argv",
        python: false,
        refs: Refs::None,
        doc: "list of strings: the program and its arguments with {message}, {path}, {seq} \
              and {record attribute} placeholders; never run through a shell",
        set: |o, v, _| {
            let Json::Array(items) = v else {
                return Err(format!("expected a list of strings, got {}", kind_of(v)));
            };
            o.argv = items
                .iter()
                .map(|item| as_str(item).map(str::to_owned))
                .collect::<Result<_, _>>()?;
            Ok(())
        },
    },
    Key {
        name: "path",
        python: false,
        refs: Refs::None,
        doc: "string: the template {path} expands to (e.g. \"/tmp/say-{seq}.wav\")",
        set: |o, v, _| {
            o.path = as_opt_str(v)?.map(str::to_owned);
            Ok(())
        },
    },
    Key {
        name: "message_on_stdin",
        python: false,
        refs: Refs::None,
        doc: "bool: also write the message and a newline to the program's stdin",
        set: |o, v, _| {
            o.message_on_stdin = as_bool(v)?;
            Ok(())
        },
    },
    Key {
        name: "wait",
        python: false,
        refs: Refs::None,
        doc: "bool: each record waits for its program (default true, recipe 16's way)",
        set: |o, v, _| {
            o.wait = as_bool(v)?;
            Ok(())
        },
    },
    Key {
        name: "timeout_ms",
        python: false,
        refs: Refs::None,
        doc: "int: a program still running after this long is killed (0: never)",
        set: |o, v, _| {
            let ms = as_u64(v)?;
            o.timeout = (ms > 0).then(|| Duration::from_millis(ms));
            Ok(())
        },
    },
    Key {
        name: "max_concurrent",
        python: false,
        refs: Refs::None,
        doc: "int: programs running at once when not waiting (default 1)",
        set: |o, v, _| {
            o.max_concurrent = as_u32(v)? as usize;
            Ok(())
        },
    },
];

pub static COMMAND_HANDLER: Class<CommandOptions> = Class {
    name: "sawmill.CommandHandler",
    aliases: &["CommandHandler"],
    doc: "Runs a program per record (cookbook recipe 16). Never built from a configuration \
          received by the config listener.",
    remote: Remote::LocalOnly,
    required: &["argv"],
    new: || CommandOptions {
        wait: true,
        max_concurrent: 1,
        ..CommandOptions::default()
    },
    keys: &[COMMAND_KEYS],
    build: |o, ctx| {
        if ctx.check_only {
            // Validates the templates; starts nothing.
            command::CommandSink::new(o)?;
            return Ok(handler::null_handler());
        }
        command::command_handler(o)
    },
};
