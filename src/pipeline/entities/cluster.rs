//! Mentions to entities: one entity per thing the document names.
//!
//! A mention joins an earlier entity when it repeats its name, or is the last word of a
//! person's name ("Kerry" after "John Kerry"); otherwise it starts a new entity. The
//! entity's type is the majority of its mentions' types, its name the longest mention,
//! and its salience grows with mentions and an early first mention.

use std::collections::HashMap;

use crate::pipeline::document::{Document, Entity, EntityType};

pub fn cluster(doc: &mut Document) {
    doc.entities.clear();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut votes: Vec<[usize; 4]> = Vec::new();
    for mi in 0..doc.mentions.len() {
        let m = &doc.mentions[mi];
        let text = doc.slice(m.span, m.region).to_string();
        let key = text.to_lowercase();
        let last = key.split_whitespace().last().unwrap_or("").to_string();
        let found = by_key.get(&key).or_else(|| by_key.get(&last)).copied();
        let e = match found {
            Some(e) => e,
            None => {
                doc.entities.push(Entity {
                    label: m.label,
                    name: text.clone(),
                    salience: 0.0,
                    mentions: Vec::new(),
                    roles: Vec::new(),
                });
                votes.push([0; 4]);
                doc.entities.len() - 1
            }
        };
        by_key.insert(key.clone(), e);
        if m.label == EntityType::Person && key.contains(' ') {
            by_key.entry(last).or_insert(e);
        }
        votes[e][m.label as usize] += 1;
        if text.chars().count() > doc.entities[e].name.chars().count() {
            doc.entities[e].name = text;
        }
        doc.entities[e].mentions.push(mi);
        doc.mentions[mi].entity = e;
    }
    let text_len = doc.text.len().max(1) as f32;
    let max_mentions = doc
        .entities
        .iter()
        .map(|e| e.mentions.len())
        .max()
        .unwrap_or(1) as f32;
    for (e, v) in doc.entities.iter_mut().zip(&votes) {
        let best = (0..4)
            .max_by_key(|&t| (v[t], std::cmp::Reverse(t)))
            .unwrap_or(0);
        e.label = EntityType::ALL[best];
        let first = doc.mentions[e.mentions[0]].span.start as f32 / text_len;
        e.salience =
            (0.7 * e.mentions.len() as f32 / max_mentions + 0.3 * (1.0 - first)).clamp(0.0, 1.0);
    }
}
