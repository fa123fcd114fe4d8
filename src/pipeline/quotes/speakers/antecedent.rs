//! The antecedent of a speaker pronoun ("she said", "he added", "it said").
//!
//! Each entity seen before the pronoun is a candidate, scored by what news writing
//! makes likely:
//! - recency: a point off for every sentence back to its last mention (mentions inside
//!   quotations count little: in `"I called John," she said` John is not "she");
//! - grammatical role: the subject of its sentence (its first name, near the start)
//!   and the speaker of a quote are what a later pronoun refers to;
//! - the last speaker: a run of quotes by one person is written "she said" again and
//!   again;
//! - salience, as a tie-break between equally recent names.
//!
//! Gender and number must agree: "he"/"she" go to a person whose gender is not known
//! to be the other one (an unknown gender costs a little), "it" and "they" to an
//! organisation.

use super::lexicon::Gender;
use super::profile::Profile;
use crate::pipeline::document::EntityType;

/// How far back a pronoun looks, in sentences.
const HORIZON: usize = 12;
const SUBJECT: f32 = 0.6;
const LAST_SPEAKER: f32 = 1.2;
const EARLIER_SPEAKER: f32 = 0.3;
const UNKNOWN_GENDER: f32 = 0.8;
/// A candidate known only from inside quotations.
const QUOTED_ONLY: f32 = 2.5;
const SALIENCE: f32 = 1.0;

/// Where an entity was last seen before the current speaker.
#[derive(Debug, Clone, Copy, Default)]
pub struct Seen {
    /// Sentence of its last mention outside quotations, with whether it was a subject
    /// (or a speaker).
    pub outside: Option<(usize, bool)>,
    /// Sentence of its last mention inside a quotation.
    pub quoted: Option<usize>,
    /// Has it spoken already?
    pub spoke: bool,
}

/// What the pronoun asks for.
pub struct Wanted {
    pub label: EntityType,
    /// `Some` for "he"/"she".
    pub gender: Option<Gender>,
    /// The pronoun's sentence.
    pub sentence: usize,
}

/// The best candidate, if any is close enough.
pub fn pick(
    want: &Wanted,
    labels: &[EntityType],
    salience: &[f32],
    profiles: &[Profile],
    seen: &[Seen],
    last_speaker: Option<usize>,
) -> Option<usize> {
    let mut best: Option<(f32, usize)> = None;
    for (e, s) in seen.iter().enumerate() {
        if labels[e] != want.label {
            continue;
        }
        let gender = profiles[e].gender;
        let mut score = match want.gender {
            Some(g) if gender != Gender::Unknown && gender != g => continue,
            Some(_) if gender == Gender::Unknown => -UNKNOWN_GENDER,
            _ => 0.0,
        };
        let back = |sentence: usize| want.sentence.saturating_sub(sentence) as f32;
        match (s.outside, s.quoted) {
            (Some((sentence, subject)), _) => {
                if want.sentence.saturating_sub(sentence) > HORIZON {
                    continue;
                }
                score -= back(sentence);
                if subject {
                    score += SUBJECT;
                }
            }
            (None, Some(sentence)) => {
                if want.sentence.saturating_sub(sentence) > HORIZON {
                    continue;
                }
                score -= back(sentence) + QUOTED_ONLY;
            }
            (None, None) => continue,
        }
        if last_speaker == Some(e) {
            score += LAST_SPEAKER;
        } else if s.spoke {
            score += EARLIER_SPEAKER;
        }
        score += SALIENCE * salience[e];
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, e));
        }
    }
    best.map(|(_, e)| e)
}
