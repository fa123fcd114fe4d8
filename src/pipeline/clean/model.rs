//! The line classifier: two stacked logistic regressions over [`super::features`].
//!
//! The weights are learnt by `src/bin/train-clean.rs` from the training half of the
//! pasted-page benchmark and shipped as a small text file (`models/clean/lines.model`),
//! embedded in the binary. The format is one `key value...` record a line, so that a
//! diff of two models can be read:
//!
//! ```text
//! version clean-lr-…
//! line <N_LINE weights>
//! context <N_CONTEXT weights>
//! threshold <probability above which a line is article text>
//! ```

use super::features::{context_features, LineFacts, N_CONTEXT, N_LINE};

/// The weights of both models.
#[derive(Debug, Clone, PartialEq)]
pub struct LineModel {
    pub version: String,
    pub line: Vec<f32>,
    pub context: Vec<f32>,
    pub threshold: f32,
}

pub fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

/// The records of a model file: one `key values...` per line, blank lines and `#`
/// comments skipped. Both cleaning models (lines, HTML blocks) are written this way.
pub fn records(s: &str) -> impl Iterator<Item = (&str, &str)> {
    s.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split_once(' ').unwrap_or((l, "")))
}

/// The numbers of one record's values; an error names the record.
pub fn numbers(key: &str, rest: &str) -> Result<Vec<f32>, String> {
    rest.split_whitespace()
        .map(|x| x.parse::<f32>().map_err(|e| format!("{key}: {e}")))
        .collect()
}

pub fn dot(w: &[f32], x: &[f32]) -> f32 {
    w.iter().zip(x).map(|(a, b)| a * b).sum()
}

impl LineModel {
    pub fn parse(s: &str) -> Result<LineModel, String> {
        let mut m = LineModel {
            version: String::new(),
            line: Vec::new(),
            context: Vec::new(),
            threshold: 0.5,
        };
        for (key, rest) in records(s) {
            let nums = || numbers(key, rest);
            match key {
                "version" => m.version = rest.trim().to_string(),
                "line" => m.line = nums()?,
                "context" => m.context = nums()?,
                "threshold" => m.threshold = nums()?.first().copied().ok_or("threshold")?,
                _ => return Err(format!("unknown record {key:?}")),
            }
        }
        if m.line.len() != N_LINE || m.context.len() != N_CONTEXT {
            return Err(format!(
                "expected {N_LINE} line and {N_CONTEXT} context weights, got {} and {}",
                m.line.len(),
                m.context.len()
            ));
        }
        Ok(m)
    }

    pub fn render(&self) -> String {
        let join = |w: &[f32]| {
            w.iter()
                .map(|x| format!("{x:.6}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        format!(
            "version {}\nline {}\ncontext {}\nthreshold {:.3}\n",
            self.version,
            join(&self.line),
            join(&self.context),
            self.threshold
        )
    }

    /// The first model's probabilities.
    pub fn first_pass(&self, facts: &[LineFacts]) -> Vec<f32> {
        facts
            .iter()
            .map(|f| sigmoid(dot(&self.line, f.features())))
            .collect()
    }

    /// The probability that each line is article text.
    pub fn predict(&self, facts: &[LineFacts]) -> Vec<f32> {
        let p1 = self.first_pass(facts);
        context_features(&p1)
            .iter()
            .map(|x| sigmoid(dot(&self.context, x)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_and_parse_round_trip() {
        let m = LineModel {
            version: "t".into(),
            line: vec![0.5; N_LINE],
            context: vec![-1.25; N_CONTEXT],
            threshold: 0.4,
        };
        assert_eq!(LineModel::parse(&m.render()).unwrap(), m);
        assert!(LineModel::parse("line 1 2").is_err());
    }
}
