//! What a quote's `confidence` means: the share of quotes like it that were right on
//! PolNeAR dev.
//!
//! Each way the stage attributes a quote (a quotation before `said` with a name, a
//! clause after `according to`, a paragraph continuing the last speaker, …) starts
//! with its own fixed score; quotes whose cue the learned model admitted or doubted
//! are kept apart by [`Calibration::key`]. `src/bin/train-quotes.rs` runs the stage
//! over PolNeAR dev, matches every quote to the gold attributions as
//! `score_quotes.py` does (content words overlapping with Jaccard >= 0.5, the speaker's
//! words equal to the gold source's), and writes, per key, the share that was right
//! end to end, smoothed towards the overall share (`models/quotes/calibration.tsv`).
//! The stage reports that share. A CMS hiding quotes below 0.5 therefore hides the
//! kinds of quote that were wrong more often than right.

use crate::text::hash::FxHashMap;

const TABLE: &str = include_str!("../../../../models/quotes/calibration.tsv");

/// How strongly a key's share is pulled towards the overall share (in quotes).
pub const PRIOR_WEIGHT: f64 = 5.0;

/// Raw score and cue-model band -> calibrated confidence.
#[derive(Debug, Clone, Default)]
pub struct Calibration {
    table: FxHashMap<u32, f32>,
    overall: f32,
}

impl Calibration {
    /// The key of a raw score (a multiple of 0.05) and the cue's margin band.
    pub fn key(raw: f32, band: u8) -> u32 {
        ((raw * 20.0).round() as u32) * 4 + u32::from(band.min(3))
    }

    /// The band of a cue-model margin: 0 for no cue, 1 doubted, 2 plain, 3 sure.
    pub fn band(margin: Option<f32>) -> u8 {
        match margin {
            None => 0,
            Some(m) if m < 0.0 => 1,
            Some(m) if m < 10.0 => 2,
            Some(_) => 3,
        }
    }

    /// The table embedded in the binary.
    pub fn embedded() -> Result<Self, String> {
        Calibration::parse(TABLE)
    }

    /// `key<TAB>confidence<TAB>quotes` lines; `#` comments; the key `overall` is the
    /// share for keys not in the table.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut c = Calibration::default();
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut f = line.split('\t');
            let (Some(k), Some(v)) = (f.next(), f.next()) else {
                return Err(format!("calibration line {}: two fields expected", n + 1));
            };
            let v: f32 = v
                .parse()
                .map_err(|e| format!("calibration line {}: {e}", n + 1))?;
            if k == "overall" {
                c.overall = v;
            } else {
                let k: u32 = k
                    .parse()
                    .map_err(|e| format!("calibration line {}: {e}", n + 1))?;
                c.table.insert(k, v);
            }
        }
        Ok(c)
    }

    /// The calibrated confidence of a raw score and band.
    pub fn confidence(&self, raw: f32, band: u8) -> f32 {
        self.table
            .get(&Calibration::key(raw, band))
            .copied()
            .unwrap_or(self.overall)
    }

    /// Writes the table from `(key, right, total)` counts.
    pub fn write(counts: &[(u32, usize, usize)]) -> String {
        let right: usize = counts.iter().map(|c| c.1).sum();
        let total: usize = counts.iter().map(|c| c.2).sum();
        let overall = right as f64 / total.max(1) as f64;
        let mut out = String::from(
            "# key = round(raw * 20) * 4 + cue band; confidence = share right end to end on\n\
             # PolNeAR dev, smoothed towards the overall share; quotes (src/bin/train-quotes.rs)\n",
        );
        out.push_str(&format!("overall\t{overall:.3}\t{total}\n"));
        let mut sorted = counts.to_vec();
        sorted.sort();
        for (k, r, t) in sorted {
            let share = (r as f64 + PRIOR_WEIGHT * overall) / (t as f64 + PRIOR_WEIGHT);
            out.push_str(&format!("{k}\t{share:.3}\t{t}\n"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_table_reads_back() {
        let k = Calibration::key(0.75, 2);
        let text = Calibration::write(&[(k, 9, 10), (Calibration::key(0.4, 0), 1, 10)]);
        let c = Calibration::parse(&text).unwrap();
        assert!(c.confidence(0.75, 2) > 0.7 && c.confidence(0.4, 0) < 0.3);
        assert!((c.confidence(0.9, 3) - 0.5).abs() < 1e-3);
        assert!(Calibration::embedded().is_ok());
        assert!(Calibration::parse("1\tx\n").is_err());
    }
}
