//! Abbreviations that keep their period: the tokenizer attaches the period to the word,
//! and the sentence splitter knows which of them may still end a sentence.

/// Lower-cased, without the final period.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "lt", "col", "maj", "capt",
    "cmdr", "adm", "sgt", "cpl", "pvt", "pres", "supt", "rev", "fr", "sr", "hon", "amb", "atty",
    "insp", "messrs", "mme", "mlle", "st", "ste", "mt", "ft", "sec", "secy",
];

const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
];

/// May end a sentence when the next word begins one ("... a unit of Acme Inc. The deal").
const TERMINAL: &[&str] = &[
    "inc", "corp", "co", "ltd", "llc", "plc", "jr", "bros", "etc", "dept", "univ", "assn", "ave",
    "blvd", "rd", "no", "vs", "ca", "approx", "est", "al", "cf", "ie", "eg", "mln", "bln", "pct",
    "p.m", "a.m", "ph.d", "u.s", "u.k", "u.n", "e.u",
];

/// Other abbreviations that keep their period.
const OTHER: &[&str] = &[
    "ala", "ariz", "ark", "calif", "colo", "conn", "del", "fla", "ga", "ill", "ind", "kan", "kans",
    "ky", "la", "md", "mass", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla", "ore",
    "pa", "penn", "tenn", "tex", "va", "vt", "wash", "wis", "wyo", "fig", "vol", "op", "ed", "eds",
    "gov't", "yr", "yrs", "min", "max", "mins", "hrs", "sq", "km", "lb", "lbs", "oz", "p", "pp",
    "para", "art", "ch", "sec", "viz", "esp", "incl", "corp", "div", "intl", "natl", "govt",
];

/// Is `word` (without its period) an abbreviation that takes a period?
pub fn is_abbreviation(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    let w = w.as_str();
    TITLES.contains(&w) || MONTHS.contains(&w) || TERMINAL.contains(&w) || OTHER.contains(&w)
}

/// Titles before a name ("Mr.", "Sen."): a sentence never ends after one.
pub fn is_title(word: &str) -> bool {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    TITLES.contains(&w.as_str())
}

/// Month abbreviations ("Sept."): no sentence end when a number follows.
pub fn is_month(word: &str) -> bool {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    MONTHS.contains(&w.as_str())
}

/// Abbreviations that often end a sentence ("Inc.", "U.S.", "Jr.").
pub fn may_end_sentence(word: &str) -> bool {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    TERMINAL.contains(&w.as_str()) || is_initialism(word)
}

/// Dotted initialisms: "U.S.", "J.R.R.", "a.m.".
pub fn is_initialism(word: &str) -> bool {
    let mut letters = 0;
    let mut expect_letter = true;
    for c in word.chars() {
        if expect_letter {
            if !c.is_alphabetic() {
                return false;
            }
            letters += 1;
            expect_letter = false;
        } else {
            if c != '.' {
                return false;
            }
            expect_letter = true;
        }
    }
    expect_letter && letters >= 2
}

/// Words that usually open a sentence; after an ambiguous abbreviation they tip the
/// balance toward a boundary ("... in the U.S. The company said").
pub fn is_sentence_opener(word: &str) -> bool {
    const OPENERS: &[&str] = &[
        "The",
        "A",
        "An",
        "He",
        "She",
        "It",
        "They",
        "We",
        "I",
        "You",
        "This",
        "That",
        "These",
        "Those",
        "But",
        "And",
        "In",
        "On",
        "At",
        "For",
        "If",
        "When",
        "While",
        "There",
        "His",
        "Her",
        "Its",
        "Their",
        "Our",
        "As",
        "After",
        "Before",
        "Some",
        "Many",
        "Most",
        "Other",
        "Others",
        "Still",
        "Yet",
        "So",
        "Also",
        "However",
        "Now",
        "Then",
        "Meanwhile",
        "Officials",
        "What",
        "Why",
        "How",
        "Who",
        "Where",
    ];
    OPENERS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initialisms() {
        assert!(is_initialism("U.S."));
        assert!(is_initialism("J.R.R."));
        assert!(!is_initialism("U.S"));
        assert!(!is_initialism("A."));
        assert!(!is_initialism("Mr."));
    }

    #[test]
    fn classes() {
        assert!(is_title("Sen."));
        assert!(is_month("Sept."));
        assert!(may_end_sentence("Inc."));
        assert!(is_abbreviation("Calif"));
        assert!(!is_abbreviation("said"));
    }
}
