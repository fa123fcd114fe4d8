//! Which entities a mention may join, found by look-up rather than by trying every
//! entity: clustering stays linear in the number of mentions however many distinct names
//! a document holds (trying every entity took 31.6 s on 1 MiB of distinct capitalised
//! names).
//!
//! Every rule of [`short_form`](super::names::short_form) needs the mention and the
//! entity's name to share a word at a known place, so entities are filed under those
//! words: the whole key (same name), the initials (acronym), the first word (an
//! organisation without its generic words) and the last word without a particle (last
//! names, "the Journal"). Candidates are then checked by the rules themselves. A bucket
//! offers only its [`BUCKET`] most recent entities: a document naming more than that
//! many different "Smith"s gives a later "Smith" to one of the recent ones.

use std::collections::HashMap;

use super::names::{acronym, strip_particle};

/// The most entities of one bucket a mention is checked against.
pub(super) const BUCKET: usize = 32;

#[derive(Default)]
pub(super) struct Candidates {
    exact: HashMap<Vec<String>, Vec<usize>>,
    initials: HashMap<String, Vec<usize>>,
    first: HashMap<String, Vec<usize>>,
    last: HashMap<String, Vec<usize>>,
}

fn file(map: &mut HashMap<String, Vec<usize>>, word: &str, e: usize) {
    let v = map.entry(word.to_string()).or_default();
    if v.last() != Some(&e) {
        v.push(e);
    }
}

fn recent(v: Option<&Vec<usize>>) -> impl Iterator<Item = usize> + '_ {
    v.into_iter()
        .flat_map(|v| v.iter().rev().take(BUCKET).copied())
}

impl Candidates {
    /// Files entity `e` under a key it now holds.
    pub(super) fn add(&mut self, key: &[String], e: usize) {
        let (Some(first), Some(last)) = (key.first(), key.last()) else {
            return;
        };
        let v = self.exact.entry(key.to_vec()).or_default();
        if v.last() != Some(&e) {
            v.push(e);
        }
        if let Some(a) = acronym(key) {
            file(&mut self.initials, &a, e);
        }
        file(&mut self.first, first, e);
        file(&mut self.last, strip_particle(last), e);
    }

    /// The entities a mention with `key` might join (each once, in no useful order).
    pub(super) fn of(&self, key: &[String], out: &mut Vec<usize>) {
        out.clear();
        let (Some(first), Some(last)) = (key.first(), key.last()) else {
            return;
        };
        out.extend(recent(self.exact.get(key)));
        if key.len() == 1 {
            out.extend(recent(self.initials.get(first)));
        }
        out.extend(recent(self.first.get(first)));
        out.extend(recent(self.last.get(strip_particle(last))));
        out.sort_unstable();
        out.dedup();
    }
}
