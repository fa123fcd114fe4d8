//! The one titles list (`resources/words/titles.txt`) and the views its users take of
//! it: each entry says which uses it serves (see the file's header), so that every
//! stage reads the same list without changing what it matched before.

use super::words::{WordList, WordSet, TITLES};

/// The parsed list.
pub fn list() -> WordList {
    TITLES.load()
}

/// Titles of the entity stage's gazetteer, as written ("Secretary of State", "Sen.").
pub fn gazetteer() -> Vec<&'static str> {
    list().tagged("gazetteer").collect()
}

/// Role words a speaker phrase may name, for [`WordSet::contains`] on a token: each in
/// lower case, and an abbreviation also without its period ("sen." and "sen").
pub fn roles() -> WordSet {
    let list = list();
    let forms = list
        .tagged("role")
        .flat_map(|t| [Some(t), t.strip_suffix('.')])
        .flatten();
    WordSet::new(forms)
}

/// Courtesy titles that are never part of a name, as written and without their period
/// ("Mr.", "Mr", "Miss").
pub fn honorifics() -> Vec<&'static str> {
    list()
        .tagged("honorific")
        .flat_map(|t| [Some(t), t.strip_suffix('.')])
        .flatten()
        .collect()
}

/// Abbreviated titles before a name, without their period ("mr", "sen", "st").
pub fn abbreviations() -> WordSet {
    let list = list();
    WordSet::new(
        list.tagged("abbreviation")
            .map(|t| t.strip_suffix('.').unwrap_or(t)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_user_sees_its_part() {
        let gaz = gazetteer();
        assert!(gaz.contains(&"Secretary of State") && gaz.contains(&"Sen."));
        assert!(
            !gaz.contains(&"Candidate"),
            "a role only, not a gazetteer title"
        );
        let roles = roles();
        assert!(roles.contains("Secretary") && roles.contains("sen.") && roles.contains("Sen"));
        assert!(roles.contains("spokesman") && !roles.contains("Mr."));
        let abbr = abbreviations();
        assert!(abbr.contains("mr") && abbr.contains("St") && abbr.contains("sen"));
        assert!(!abbr.contains("senator"));
    }
}
