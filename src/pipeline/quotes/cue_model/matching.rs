//! `score_quotes.py`'s matching rule, for calibrating on dev inside the trainer: a
//! predicted quote matches a gold attribution when the word tokens (`\w+`) of their
//! contents overlap with Jaccard >= 0.5 (one to one, greedily by overlap), and is
//! right end to end when, besides, its speaker's words equal the gold source's (a gold
//! attribution without a source wants a quote without a speaker).

/// Spans in code points, end-exclusive.
pub type Spans = Vec<(usize, usize)>;

/// The words of `segs` in `text` (as chars): their start offsets and lower case.
fn words(text: &[char], segs: &[(usize, usize)]) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for &(s, e) in segs {
        let e = e.min(text.len());
        let mut i = s;
        while i < e {
            if text[i].is_alphanumeric() || text[i] == '_' {
                let start = i;
                while i < e && (text[i].is_alphanumeric() || text[i] == '_') {
                    i += 1;
                }
                out.push((
                    start,
                    text[start..i]
                        .iter()
                        .flat_map(|c| c.to_lowercase())
                        .collect(),
                ));
            } else {
                i += 1;
            }
        }
    }
    out
}

fn jaccard(a: &[usize], b: &[usize]) -> f64 {
    let inter = a.iter().filter(|x| b.contains(x)).count();
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// For each predicted `(content, speaker)`, whether it is right end to end against the
/// gold `(content, source)` attributions.
pub fn right_end_to_end(text: &str, gold: &[(Spans, Spans)], pred: &[(Spans, Spans)]) -> Vec<bool> {
    let chars: Vec<char> = text.chars().collect();
    let positions =
        |segs: &Spans| -> Vec<usize> { words(&chars, segs).into_iter().map(|w| w.0).collect() };
    let names =
        |segs: &Spans| -> Vec<String> { words(&chars, segs).into_iter().map(|w| w.1).collect() };
    let gw: Vec<Vec<usize>> = gold.iter().map(|g| positions(&g.0)).collect();
    let pw: Vec<Vec<usize>> = pred.iter().map(|p| positions(&p.0)).collect();
    let mut pairs = Vec::new();
    for (i, g) in gw.iter().enumerate() {
        for (j, p) in pw.iter().enumerate() {
            let s = jaccard(g, p);
            if s >= 0.5 {
                pairs.push((s, i, j));
            }
        }
    }
    // Highest overlap first, ties as the scorer breaks them (larger indices first).
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)));
    let mut used_g = vec![false; gold.len()];
    let mut right = vec![false; pred.len()];
    let mut used_p = vec![false; pred.len()];
    for (_, i, j) in pairs {
        if used_g[i] || used_p[j] {
            continue;
        }
        used_g[i] = true;
        used_p[j] = true;
        right[j] = names(&gold[i].1) == names(&pred[j].1);
    }
    right
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_must_overlap_and_the_speaker_agree() {
        let text = "Kerry said the talks were over.";
        let gold = vec![(vec![(11, 30)], vec![(0, 5)])];
        let right = vec![(vec![(11, 31)], vec![(0, 5)])];
        let wrong_speaker = vec![(vec![(11, 31)], vec![])];
        let wrong_content = vec![(vec![(0, 10)], vec![(0, 5)])];
        assert_eq!(right_end_to_end(text, &gold, &right), [true]);
        assert_eq!(right_end_to_end(text, &gold, &wrong_speaker), [false]);
        assert_eq!(right_end_to_end(text, &gold, &wrong_content), [false]);
    }
}
