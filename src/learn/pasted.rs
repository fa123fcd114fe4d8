//! The pasted-page benchmark as the cleaning trainers read it (`train-clean`,
//! `train-html`): one JSON record a line, with `id`, `raw` (the pasted text), `body`
//! (the hand-made article text) and `html` (its page, gzipped, beside the file), and
//! one rule for which pages are the training half.

use std::path::PathBuf;

use serde_json::Value;

use crate::text::hash::stable;

/// One page of the benchmark.
pub struct Record {
    pub id: String,
    fields: Value,
    dir: PathBuf,
}

/// Every record of the JSON-lines file at `path`.
pub fn read(path: &str) -> Result<Vec<Record>, String> {
    let dir = std::path::Path::new(path)
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .to_path_buf();
    let data = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    data.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(n, line)| {
            let fields: Value =
                serde_json::from_str(line).map_err(|e| format!("{path}:{}: {e}", n + 1))?;
            let id = fields["id"]
                .as_str()
                .ok_or_else(|| format!("{path}:{}: no id", n + 1))?
                .to_string();
            Ok(Record {
                id,
                fields,
                dir: dir.clone(),
            })
        })
        .collect()
}

impl Record {
    /// A text field (`raw`, `body`); empty when the record has none.
    pub fn text(&self, field: &str) -> &str {
        self.fields[field].as_str().unwrap_or("")
    }

    /// The page's HTML, ungzipped by `gzip -dc` (invalid UTF-8 replaced).
    pub fn html(&self) -> Result<String, String> {
        let file = self.dir.join(self.text("html"));
        let out = std::process::Command::new("gzip")
            .arg("-dc")
            .arg(&file)
            .output()
            .map_err(|e| format!("gzip: {e}"))?;
        if !out.status.success() {
            return Err(format!("gzip -dc {}: {}", file.display(), out.status));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Whether the page is in the training half: its id's FNV-1a hash is even. The
    /// others are held out, so that the figure a trainer prints for them is honest.
    pub fn in_training_half(&self) -> bool {
        stable::hash_bytes(self.id.as_bytes()).is_multiple_of(2)
    }
}
