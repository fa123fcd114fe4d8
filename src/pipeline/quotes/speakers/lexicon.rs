//! The word lists the speaker resolver reads, parsed once: gendered first names
//! (`resources/words/first_name_genders.txt`), its own words
//! (`resources/words/speaker_words.txt`) and the role titles of the one titles list
//! (`resources/words/titles.txt`, through [`crate::text::titles::roles`]).

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use crate::text::titles;
use crate::text::words::{WordSet, FIRST_NAME_GENDERS, SPEAKER_WORDS};

/// What a person's words say about them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
    Unknown,
}

pub struct Lexicon {
    male_names: WordSet,
    female_names: WordSet,
    male_words: WordSet,
    female_words: WordSet,
    masculine_pronouns: WordSet,
    feminine_pronouns: WordSet,
    pub indefinite: WordSet,
    pub organisation: WordSet,
    /// Heads naming a text ("the complaint", "the report").
    pub document: WordSet,
    /// US presidents as (first name, last name), lower case.
    us_presidents: Vec<(String, String)>,
    /// Role titles ("secretary", "sen."), matched in lower case.
    pub roles: WordSet,
    /// "sen" -> "senator": short forms of titles, without their period.
    abbreviations: FxHashMap<&'static str, &'static str>,
}

pub static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::load);

impl Lexicon {
    fn load() -> Self {
        let names = FIRST_NAME_GENDERS.load();
        let words = SPEAKER_WORDS.load();
        let set = |list: &crate::text::words::WordList, kind: &str| WordSet::new(list.kind(kind));
        let abbreviations = words
            .entries()
            .iter()
            .filter(|e| e.kind == "abbreviation")
            .filter_map(|e| Some((e.text, e.tags().next()?)))
            .collect();
        Lexicon {
            male_names: set(&names, "male"),
            female_names: set(&names, "female"),
            male_words: set(&words, "male"),
            female_words: set(&words, "female"),
            masculine_pronouns: set(&words, "masculine_pronoun"),
            feminine_pronouns: set(&words, "feminine_pronoun"),
            indefinite: set(&words, "indefinite"),
            organisation: set(&words, "organisation"),
            document: set(&words, "document"),
            us_presidents: words
                .kind("us_president")
                .filter_map(|n| {
                    let (first, last) = n.split_once(' ')?;
                    Some((first.to_lowercase(), last.to_lowercase()))
                })
                .collect(),
            roles: titles::roles(),
            abbreviations,
        }
    }

    /// The gender a first name tells, if it tells one.
    pub fn first_name(&self, w: &str) -> Gender {
        if self.male_names.contains(w) {
            Gender::Male
        } else if self.female_names.contains(w) {
            Gender::Female
        } else {
            Gender::Unknown
        }
    }

    /// The gender an honorific or a noun for a person tells ("Mrs.", "spokesman").
    pub fn word(&self, w: &str) -> Gender {
        if self.male_words.contains(w) {
            Gender::Male
        } else if self.female_words.contains(w) {
            Gender::Female
        } else {
            Gender::Unknown
        }
    }

    /// The gender of a third-person pronoun (`None` for any other word).
    pub fn pronoun(&self, w: &str) -> Option<Gender> {
        if self.masculine_pronouns.contains(w) {
            Some(Gender::Male)
        } else if self.feminine_pronouns.contains(w) {
            Some(Gender::Female)
        } else {
            None
        }
    }

    /// Is this name ("Obama", "Barack Obama") a US president's?
    pub fn us_president(&self, name: &str) -> bool {
        let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
        let (Some(last), first) = (words.last(), words.first().filter(|_| words.len() > 1)) else {
            return false;
        };
        self.us_presidents
            .iter()
            .any(|(f, l)| l == last && first.is_none_or(|x| x == f))
    }

    /// A role word in one form: lower case, no final period, short forms spelled out
    /// ("Sen." -> "senator"), so that a title before a name and a role noun compare.
    pub fn role_key(&self, w: &str) -> String {
        let lower = w.to_lowercase();
        let bare = lower.strip_suffix('.').unwrap_or(&lower);
        self.abbreviations
            .get(bare)
            .map_or_else(|| bare.to_string(), |full| (*full).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_say_gender_and_roles() {
        let lx = &*LEXICON;
        assert_eq!(lx.first_name("Carolyn"), Gender::Female);
        assert_eq!(lx.first_name("John"), Gender::Male);
        assert_eq!(lx.first_name("Xyzzy"), Gender::Unknown);
        assert_eq!(lx.word("Ms."), Gender::Female);
        assert_eq!(lx.word("spokesman"), Gender::Male);
        assert_eq!(lx.pronoun("She"), Some(Gender::Female));
        assert_eq!(lx.pronoun("they"), None);
        assert_eq!(lx.role_key("Sen."), "senator");
        assert!(lx.us_president("Obama") && lx.us_president("Barack Obama"));
        assert!(!lx.us_president("Michelle Obama") && !lx.us_president("John Kerry"));
        assert_eq!(lx.role_key("Minister"), "minister");
        assert!(lx.roles.contains("Secretary") && lx.indefinite.contains("officials"));
    }
}
