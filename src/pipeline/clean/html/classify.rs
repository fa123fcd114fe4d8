//! The block classifier: whether a block of an HTML page is article text, from
//! trafilatura's choice, the line classifier's probabilities for the block's lines, and
//! where the block sits in the page (its element, links, lists, furniture classes, the
//! page's article marker), with the same evidence for its neighbours.
//!
//! One logistic regression, learnt by `src/bin/train-html.rs` from the training half of
//! the pasted-page benchmark and shipped as `models/html/blocks.model`:
//!
//! ```text
//! version html-blocks-…
//! weights <N_BLOCK weights>
//! threshold <probability above which a block is article text>
//! ```

use super::super::model::{dot, numbers, records, sigmoid};

/// What is known of one candidate block before it is classified.
#[derive(Debug, Clone, Default)]
pub struct BlockView {
    /// Share of its word trigrams trafilatura selected.
    pub coverage: f32,
    /// Mean line-classifier probability of its lines.
    pub line_p: f32,
    /// Share of its lines the line classifier keeps (with its main-block rule).
    pub line_keep: f32,
    pub rule_keep: bool,
    pub furniture: bool,
    pub in_scope: bool,
    pub h1: bool,
    /// Bytes in links over bytes of text.
    pub link_density: f32,
    pub element: &'static str,
    pub in_header: bool,
    pub in_list: bool,
    pub in_table: bool,
    pub in_figure: bool,
    pub in_quote: bool,
    pub words: usize,
    pub depth: usize,
    /// For the block's container and its parent: how many elements share its
    /// template, and the share of the page's words it holds.
    pub template_count: [usize; 2],
    pub container_share: [f32; 2],
    /// Facts of its first line (see `features::LineFacts`).
    pub prose: bool,
    pub lexicon: bool,
    pub strong_lexicon: bool,
    pub byline: bool,
    pub datelike: bool,
    pub repeated: bool,
}

/// What is known of the page as a whole.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageView {
    /// Trafilatura ran and found content.
    pub has_signal: bool,
    /// The page marks its article (`<article>`, `articleBody`, a body class).
    pub has_marker: bool,
}

/// The number of features of a block.
pub const N_BLOCK: usize = 48;

fn b(x: bool) -> f32 {
    x as u8 as f32
}

/// The feature vector of every block (in page order).
pub fn block_features(page: PageView, blocks: &[BlockView]) -> Vec<[f32; N_BLOCK]> {
    let n = blocks.len();
    let window_cov = |i: usize| -> f32 {
        let lo = i.saturating_sub(3);
        let hi = (i + 4).min(n);
        blocks[lo..hi].iter().map(|v| v.coverage).sum::<f32>() / (hi - lo) as f32
    };
    let get = |i: Option<usize>| i.and_then(|i| blocks.get(i));
    (0..n)
        .map(|i| {
            let v = &blocks[i];
            let prev = get(i.checked_sub(1));
            let next = get(Some(i + 1));
            let el = v.element;
            let heading = matches!(el, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
            let sig = b(page.has_signal);
            [
                1.0,
                sig,
                v.coverage,
                b(v.coverage >= 0.5),
                b(v.coverage >= 0.9),
                v.line_p,
                v.line_keep,
                b(v.rule_keep),
                b(v.furniture),
                b(v.in_scope && page.has_marker),
                b(page.has_marker),
                b(v.h1),
                v.link_density,
                b(heading),
                b(el == "p"),
                b(el == "li"),
                b(matches!(el, "td" | "th")),
                b(matches!(el, "div" | "section" | "article" | "main")),
                b(v.in_quote || el == "blockquote"),
                b(v.in_figure || el == "figcaption"),
                b(v.in_header),
                b(v.in_list),
                b(v.in_table),
                (1.0 + v.words as f32).ln(),
                b(v.words <= 3),
                b(v.prose),
                b(v.lexicon),
                b(v.strong_lexicon),
                b(v.byline),
                b(v.datelike),
                b(v.repeated),
                (v.depth as f32 / 32.0).min(2.0),
                i as f32 / n.max(1) as f32,
                prev.map_or(0.0, |p| p.coverage),
                next.map_or(0.0, |p| p.coverage),
                prev.map_or(0.0, |p| p.line_p),
                next.map_or(0.0, |p| p.line_p),
                v.coverage * v.line_p,
                v.coverage * v.link_density,
                (1.0 - sig) * v.line_keep,
                window_cov(i),
                b(el == "p") * v.coverage,
                (1.0 + v.template_count[0] as f32).ln(),
                (1.0 + v.template_count[1] as f32).ln(),
                v.container_share[0],
                v.container_share[1],
                v.container_share[0] * v.coverage,
                b(v.template_count[0] >= 3) * v.coverage,
            ]
        })
        .collect()
}

/// The block classifier's weights.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockModel {
    pub version: String,
    pub weights: Vec<f32>,
    pub threshold: f32,
}

impl BlockModel {
    pub fn parse(s: &str) -> Result<BlockModel, String> {
        let mut m = BlockModel {
            version: String::new(),
            weights: Vec::new(),
            threshold: 0.5,
        };
        for (key, rest) in records(s) {
            let nums = || numbers(key, rest);
            match key {
                "version" => m.version = rest.trim().to_string(),
                "weights" => m.weights = nums()?,
                "threshold" => m.threshold = nums()?.first().copied().ok_or("threshold")?,
                _ => return Err(format!("unknown record {key:?}")),
            }
        }
        if m.weights.len() != N_BLOCK {
            return Err(format!(
                "expected {N_BLOCK} weights, got {}",
                m.weights.len()
            ));
        }
        Ok(m)
    }

    pub fn render(&self) -> String {
        let w: Vec<String> = self.weights.iter().map(|x| format!("{x:.6}")).collect();
        format!(
            "version {}\nweights {}\nthreshold {:.3}\n",
            self.version,
            w.join(" "),
            self.threshold
        )
    }

    /// The probability that each block is article text.
    pub fn predict(&self, features: &[[f32; N_BLOCK]]) -> Vec<f32> {
        features
            .iter()
            .map(|x| sigmoid(dot(&self.weights, x)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_and_parse_round_trip() {
        let m = BlockModel {
            version: "t".into(),
            weights: vec![0.25; N_BLOCK],
            threshold: 0.4,
        };
        assert_eq!(BlockModel::parse(&m.render()).unwrap(), m);
        assert!(BlockModel::parse("weights 1 2").is_err());
    }

    #[test]
    fn neighbours_are_features() {
        let blocks = vec![
            BlockView {
                coverage: 1.0,
                ..BlockView::default()
            },
            BlockView::default(),
        ];
        let f = block_features(PageView::default(), &blocks);
        assert_eq!(f[1][33], 1.0, "the previous block's coverage");
        assert_eq!(f[0][34], 0.0, "the next block's coverage");
    }
}
