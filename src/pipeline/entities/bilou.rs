//! BILOU labels: a name is Unit (one token) or Begin, Inside…, Last.
//!
//! Ratinov & Roth (2009) found BILOU clearly better than BIO for a greedy tagger: the
//! model learns where names end as well as where they start, and single-token names
//! (most of them in news) get a label of their own. A label is a byte: 0 is Outside,
//! `1 + 4 * type + position` the rest, with types in [`EntityType::ALL`] order.

use crate::pipeline::document::EntityType;

/// Outside, plus Begin/Inside/Last/Unit for each of the four types.
pub const N_LABELS: usize = 17;
pub const OUTSIDE: u8 = 0;
/// Stands for "before the sentence" in the previous-label features; never predicted.
pub const START: u8 = N_LABELS as u8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    Begin = 0,
    Inside = 1,
    Last = 2,
    Unit = 3,
}

pub fn label(ty: usize, pos: Position) -> u8 {
    1 + 4 * ty as u8 + pos as u8
}

/// The type index and position of a label, `None` for Outside (and START).
pub fn parts(label: u8) -> Option<(usize, Position)> {
    if label == OUTSIDE || label >= START {
        return None;
    }
    let l = label - 1;
    let pos = match l % 4 {
        0 => Position::Begin,
        1 => Position::Inside,
        2 => Position::Last,
        _ => Position::Unit,
    };
    Some(((l / 4) as usize, pos))
}

/// The entity type of a label (ignoring its position).
pub fn type_of(label: u8) -> Option<EntityType> {
    parts(label).map(|(t, _)| EntityType::ALL[t])
}

/// Can `next` follow `prev` (START at a sentence's first token)?
pub fn allowed(prev: u8, next: u8) -> bool {
    let open = matches!(
        parts(prev),
        Some((_, Position::Begin)) | Some((_, Position::Inside))
    );
    match parts(next) {
        None | Some((_, Position::Begin)) | Some((_, Position::Unit)) => !open,
        Some((t, Position::Inside)) | Some((t, Position::Last)) => {
            open && parts(prev).map(|(pt, _)| pt) == Some(t)
        }
    }
}

/// Labels for `n` tokens holding the names `spans` (token ranges `start..end`, type index).
pub fn encode(spans: &[(usize, usize, usize)], n: usize) -> Vec<u8> {
    let mut labels = vec![OUTSIDE; n];
    for &(start, end, ty) in spans {
        if end - start == 1 {
            labels[start] = label(ty, Position::Unit);
            continue;
        }
        labels[start] = label(ty, Position::Begin);
        for l in &mut labels[start + 1..end - 1] {
            *l = label(ty, Position::Inside);
        }
        labels[end - 1] = label(ty, Position::Last);
    }
    labels
}

/// The names in a label sequence, as token ranges with a type index.
///
/// Lenient, as a greedy decoder can end a sentence inside a name: an open name closes at
/// Outside, at a change of type, at a new Begin or Unit, and at the end.
pub fn decode(labels: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    for (i, &l) in labels.iter().enumerate() {
        match parts(l) {
            None => {
                if let Some((s, t)) = open.take() {
                    out.push((s, i, t));
                }
            }
            Some((t, pos)) => {
                let continues = matches!(pos, Position::Inside | Position::Last)
                    && open.is_some_and(|(_, ot)| ot == t);
                if !continues {
                    if let Some((s, ot)) = open.take() {
                        out.push((s, i, ot));
                    }
                    open = Some((i, t));
                }
                if matches!(pos, Position::Last | Position::Unit) {
                    let (s, t) = open.take().unwrap_or((i, t));
                    out.push((s, i + 1, t));
                }
            }
        }
    }
    if let Some((s, t)) = open {
        out.push((s, labels.len(), t));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_and_decode_round_trip() {
        let spans = vec![(0, 1, 2), (2, 5, 0), (5, 7, 1)];
        let labels = encode(&spans, 8);
        assert_eq!(labels[0], label(2, Position::Unit));
        assert_eq!(labels[1], OUTSIDE);
        assert_eq!(labels[3], label(0, Position::Inside));
        assert_eq!(decode(&labels), spans);
    }

    #[test]
    fn transitions_follow_bilou() {
        let b_per = label(0, Position::Begin);
        let l_per = label(0, Position::Last);
        let l_org = label(1, Position::Last);
        assert!(allowed(START, b_per));
        assert!(!allowed(START, l_per));
        assert!(allowed(b_per, l_per));
        assert!(!allowed(b_per, l_org));
        assert!(!allowed(b_per, OUTSIDE));
        assert!(allowed(l_per, OUTSIDE));
    }

    #[test]
    fn decoding_is_lenient_about_broken_sequences() {
        let b_per = label(0, Position::Begin);
        let i_org = label(1, Position::Inside);
        // A name left open at the end, and an Inside of another type.
        assert_eq!(decode(&[b_per, i_org]), vec![(0, 1, 0), (1, 2, 1)]);
        assert_eq!(decode(&[OUTSIDE, b_per]), vec![(1, 2, 0)]);
    }
}
