//! Helpers for the stages' unit tests: documents as earlier stages leave them.

use super::document::{Document, Entity, EntityType, Mention, Region, Span};
use super::segment::Segmenter;
use super::stage::{RunContext, Stage};

/// `text` as the clean stage leaves it with `clean: false`, then segmented.
pub(crate) fn segmented(text: &str) -> Document {
    let mut doc = Document::verbatim(text.to_string());
    Segmenter::new()
        .run(&mut doc, &RunContext::default())
        .expect("a verbatim document has every layer the segment stage reads");
    doc
}

/// `text` segmented, with every occurrence of each `(name, entity, label)` marked as a
/// body mention of that entity (longest names first, never overlapping) and the
/// entities listed, each with its longest name and its `(entity, role)`s: a document as
/// the entity stage would leave it, given by hand so that a later stage's tests check
/// that stage alone, whatever the entity stage finds.
pub(crate) fn with_entities(
    text: &str,
    people: &[(&str, usize, EntityType)],
    roles: &[(usize, &str)],
) -> Document {
    let mut doc = segmented(text);
    let count = people.iter().map(|p| p.1 + 1).max().unwrap_or(0);
    let mut entities: Vec<Entity> = (0..count)
        .map(|e| {
            let of = people.iter().filter(|p| p.1 == e);
            Entity {
                label: of.clone().map(|p| p.2).next().unwrap_or(EntityType::Person),
                name: of
                    .map(|p| p.0)
                    .max_by_key(|n| n.len())
                    .unwrap_or("")
                    .to_string(),
                salience: 0.5,
                mentions: Vec::new(),
                roles: roles
                    .iter()
                    .filter(|r| r.0 == e)
                    .map(|r| r.1.to_string())
                    .collect(),
            }
        })
        .collect();
    let mut sorted: Vec<&(&str, usize, EntityType)> = people.iter().collect();
    sorted.sort_by_key(|p| std::cmp::Reverse(p.0.len()));
    let mut taken: Vec<Span> = Vec::new();
    let mut mentions = Vec::new();
    for &&(name, e, label) in &sorted {
        for (at, _) in text.match_indices(name) {
            let span = Span::new(at, at + name.len());
            if taken.iter().any(|t| t.overlaps(span)) {
                continue;
            }
            taken.push(span);
            mentions.push(Mention {
                span,
                region: Region::Body,
                label,
                entity: e,
            });
        }
    }
    mentions.sort_by_key(|m| m.span.start);
    for (i, m) in mentions.iter().enumerate() {
        entities[m.entity].mentions.push(i);
    }
    doc.set_mentions(mentions);
    doc.set_entities(entities);
    doc
}
