//! Size rotation decides as CPython 3.11 does: file bytes plus the record's
//! characters. The same records (many non-ASCII, so bytes and characters
//! differ) go through sawmill and through python3's RotatingFileHandler;
//! every resulting file must be identical.

use std::path::Path;
use std::process::Command;

use sawmill::handler::{self, FileOptions, Rotation};

const MAX_BYTES: u64 = 200;
const BACKUPS: u32 = 100;

fn records() -> Vec<String> {
    (0..300)
        .map(|i| match i % 4 {
            0 => format!("{i} plain ascii record"),
            1 => format!("{i} {}", "é".repeat(i % 23)),
            2 => format!("{i} {}", "✓".repeat(i % 17)),
            _ => format!("{i} mixed ü{}z", "ß".repeat(i % 11)),
        })
        .collect()
}

/// Every file in `dir`, by name, with its contents.
fn files(dir: &Path) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| {
            let path = e.expect("entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).expect("file"))
        })
        .collect();
    all.sort();
    all
}

#[test]
fn rolls_where_cpython_rolls() {
    let base = std::env::temp_dir().join(format!("sawmill-rotchars-{}", std::process::id()));
    let (ours, theirs) = (base.join("sawmill"), base.join("cpython"));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&ours).expect("dir");
    std::fs::create_dir_all(&theirs).expect("dir");
    let records = records();

    let logger = sawmill::get_logger("rotchars");
    logger.set_level(sawmill::DEBUG);
    logger.set_propagate(false);
    let mut options = FileOptions::new(ours.join("r.log"));
    options.rotation = Rotation::Size {
        max_bytes: MAX_BYTES,
        backup_count: BACKUPS,
    };
    let h = handler::file_handler(options).expect("handler");
    logger.add_handler(h.clone());
    for r in &records {
        logger.log(sawmill::INFO, None, 0, None, r);
    }
    logger.remove_handler(&h);
    h.close().expect("close");

    let input = base.join("records.txt");
    std::fs::write(&input, records.join("\n")).expect("records");
    let script = format!(
        r#"
import logging, logging.handlers, sys
h = logging.handlers.RotatingFileHandler(sys.argv[1] + "/r.log", maxBytes={MAX_BYTES},
                                         backupCount={BACKUPS}, encoding="utf-8")
log = logging.getLogger("rotchars")
log.addHandler(h)
log.setLevel(logging.DEBUG)
for line in open(sys.argv[2], encoding="utf-8").read().split("\n"):
    log.info(line)
h.close()
"#
    );
    let status = Command::new("python3")
        .args(["-c", &script])
        .arg(&theirs)
        .arg(&input)
        .status()
        .expect("python3");
    assert!(status.success(), "python3 ran");

    let (a, b) = (files(&ours), files(&theirs));
    assert!(a.len() > 10, "rolled over many times ({} files)", a.len());
    let names = |f: &[(String, String)]| f.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "the same files");
    for ((name, ours), (_, theirs)) in a.iter().zip(&b) {
        assert_eq!(ours, theirs, "{name} as CPython writes it");
    }
    std::fs::remove_dir_all(&base).expect("cleanup");
}
