//! Python's `RotatingFileHandler` renaming: `base` → `base.1` → … →
//! `base.N`, the oldest dropped. Only backups that exist are touched, so a
//! huge backup count costs nothing.

use std::io;
use std::path::{Path, PathBuf};

fn backup_path(base: &Path, index: u64) -> PathBuf {
    PathBuf::from(format!("{}.{index}", base.display()))
}

/// Indices of the existing `base.N` backups with 1 <= N <= backup_count.
fn existing_backups(base: &Path, backup_count: u32) -> io::Result<Vec<u64>> {
    let (Some(dir), Some(name)) = (base.parent(), base.file_name().and_then(|n| n.to_str())) else {
        return Ok(Vec::new());
    };
    let prefix = format!("{name}.");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let Ok(file_name) = entry.file_name().into_string() else {
            continue;
        };
        let Some(digits) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        if digits.is_empty()
            || !digits.bytes().all(|b| b.is_ascii_digit())
            || digits.starts_with('0')
        {
            continue;
        }
        if let Ok(index) = digits.parse::<u64>() {
            if (1..=u64::from(backup_count)).contains(&index) {
                found.push(index);
            }
        }
    }
    found.sort_unstable();
    Ok(found)
}

/// Shifts the backups up by one (the one numbered `backup_count` is
/// replaced by its younger neighbour, as in Python) and renames `base` to
/// `base.1` if it exists.
pub fn shift_backups(base: &Path, backup_count: u32) -> io::Result<()> {
    for index in existing_backups(base, backup_count)?.into_iter().rev() {
        if index < u64::from(backup_count) {
            std::fs::rename(backup_path(base, index), backup_path(base, index + 1))?;
        }
    }
    // As Python: a base deleted externally is simply not there to move.
    if base.exists() {
        std::fs::rename(base, backup_path(base, 1))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifts_and_drops_the_oldest() {
        let dir = std::env::temp_dir().join(format!("sawmill-shift-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let base = dir.join("app.log");
        for round in 0..5 {
            std::fs::write(&base, format!("round {round}\n")).unwrap();
            shift_backups(&base, 3).unwrap();
        }
        let read = |i| std::fs::read_to_string(backup_path(&base, i)).unwrap();
        assert_eq!(
            (read(1), read(2), read(3)),
            ("round 4\n".into(), "round 3\n".into(), "round 2\n".into())
        );
        assert!(!backup_path(&base, 4).exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
