//! Word lists: data files under `resources/words/`, embedded in the binary, read by one
//! loader.
//!
//! A list file is plain text, one entry a line:
//!
//! ```text
//! # A comment line.
//! [month]              <- a section: the entries below are of kind "month"
//! jan
//! Secretary of State<TAB>gazetteer role   <- an entry with tags after a tab
//! ```
//!
//! Entries may hold spaces; blank lines and `#` lines are skipped. A file without
//! sections has one kind, `""`. Kinds partition a list (a word is of one kind: a cue
//! verb is strong or weak, not both); tags say which users take an entry (a title can
//! serve the gazetteer and the speaker resolver at once). An entry listed twice, in the
//! same kind or in two (compared without regard to ASCII case), is an error: it is the
//! mistake hand-kept lists accumulate, and [`EMBEDDED`]'s test fails on it.

use std::fmt;

use rustc_hash::FxHashSet;

/// One word-list file embedded in the binary.
#[derive(Debug, Clone, Copy)]
pub struct Embedded {
    /// The file's name under `resources/words/`, without `.txt`.
    pub name: &'static str,
    pub text: &'static str,
}

impl Embedded {
    /// The parsed list. Every embedded list is checked by this module's tests, so the
    /// error cannot reach a release; it is still reported, not unwrapped here.
    pub fn parse(&self) -> Result<WordList, WordListError> {
        WordList::parse(self.name, self.text)
    }

    /// The parsed list, for stage constructors (the tests guarantee it parses).
    pub fn load(&self) -> WordList {
        self.parse().unwrap_or_else(|e| {
            panic!("embedded word list: {e} (the text::words tests catch this)")
        })
    }
}

macro_rules! embedded {
    ($($(#[$doc:meta])* $id:ident = $name:literal;)*) => {
        $(
            $(#[$doc])*
            pub const $id: Embedded = Embedded {
                name: $name,
                text: include_str!(concat!("../../resources/words/", $name, ".txt")),
            };
        )*
        /// Every embedded list (the tests check each one).
        pub const EMBEDDED: &[Embedded] = &[$($id),*];
    };
}

// One line per file under resources/words/: the macro embeds it and adds it to
// EMBEDDED, so that no list escapes the duplicate check.
embedded! {
    /// Titles and roles written before or for a name, with the users of each (see the
    /// file's header): the one titles list of the project.
    TITLES = "titles";
    /// Abbreviations that keep their period, by kind (segment stage).
    ABBREVIATIONS = "abbreviations";
    /// Words that usually open a sentence (segment stage).
    SENTENCE_OPENERS = "sentence_openers";
    /// Top-level domains of bare host names (segment stage's tokenizer).
    DOMAINS = "domains";
    /// Function words a name never ends with (entity stage).
    FUNCTION_WORDS = "function_words";
    /// Cue words by kind, and the auxiliaries a cue takes (quote stage).
    QUOTE_CUES = "quote_cues";
    /// Function words the quote stage reads phrases with, tagged by use.
    QUOTE_PHRASES = "quote_phrases";
    /// First names that tell a person's gender, `[male]` and `[female]` (speaker
    /// resolver; built by scripts/build_name_genders.py).
    FIRST_NAME_GENDERS = "first_name_genders";
    /// Honorifics, gendered nouns and pronouns, indefinite and organisation heads
    /// (speaker resolver).
    SPEAKER_WORDS = "speaker_words";
    /// Section labels before a colon that are not speakers (quote stage).
    QUOTE_LABELS = "quote_labels";
    /// Words alone that are no name, and particles inside a person's name (entity
    /// stage's read-off).
    NAME_WORDS = "name_words";
}

/// One entry of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// As written in the file.
    pub text: &'static str,
    /// The section it is in (`""` before any section).
    pub kind: &'static str,
    /// Space-separated words after a tab.
    tags: &'static str,
}

impl Entry {
    pub fn tags(&self) -> impl Iterator<Item = &'static str> {
        self.tags.split_whitespace()
    }

    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags().any(|t| t == tag)
    }
}

/// A parsed list file.
#[derive(Debug, Clone)]
pub struct WordList {
    pub name: &'static str,
    entries: Vec<Entry>,
}

/// A list file that breaks the format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordListError {
    pub list: &'static str,
    /// 1-based line number.
    pub line: usize,
    pub problem: String,
}

impl fmt::Display for WordListError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "resources/words/{}.txt line {}: {}",
            self.list, self.line, self.problem
        )
    }
}

impl std::error::Error for WordListError {}

impl WordList {
    pub fn parse(name: &'static str, text: &'static str) -> Result<Self, WordListError> {
        let mut entries = Vec::new();
        let mut kind = "";
        // Lower case -> (line, kind) of the first listing, to report repeats.
        let mut seen: rustc_hash::FxHashMap<String, (usize, &str)> = Default::default();
        let mut kinds: FxHashSet<&str> = Default::default();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            let err = |problem: String| WordListError {
                list: name,
                line: i + 1,
                problem,
            };
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(k) = line.strip_prefix('[') {
                let k = k
                    .strip_suffix(']')
                    .ok_or_else(|| err(format!("unclosed section {line:?}")))?
                    .trim();
                if !kinds.insert(k) {
                    return Err(err(format!("section [{k}] opened twice")));
                }
                kind = k;
                continue;
            }
            let (word, tags) = line.split_once('\t').unwrap_or((line, ""));
            let word = word.trim();
            let key = word.to_ascii_lowercase();
            if let Some((first, first_kind)) = seen.get(&key) {
                return Err(err(if *first_kind == kind {
                    format!("{word:?} is listed twice (first on line {first})")
                } else {
                    format!(
                        "{word:?} is listed under two kinds, [{first_kind}] (line {first}) and [{kind}]"
                    )
                }));
            }
            seen.insert(key, (i + 1, kind));
            entries.push(Entry {
                text: word,
                kind,
                tags: tags.trim(),
            });
        }
        Ok(WordList { name, entries })
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entries of one kind (section), as written.
    pub fn kind<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'static str> + 'a {
        self.entries
            .iter()
            .filter(move |e| e.kind == kind)
            .map(|e| e.text)
    }

    /// The entries carrying `tag`, as written.
    pub fn tagged<'a>(&'a self, tag: &'a str) -> impl Iterator<Item = &'static str> + 'a {
        self.entries
            .iter()
            .filter(move |e| e.has_tag(tag))
            .map(|e| e.text)
    }
}

/// A set of words matched without regard to ASCII case (non-ASCII letters must match
/// exactly). A look-up lower-cases short words into a stack buffer: no allocation.
#[derive(Debug, Clone, Default)]
pub struct WordSet(FxHashSet<Box<str>>);

impl WordSet {
    pub fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Self {
        WordSet(
            words
                .into_iter()
                .map(|w| w.to_ascii_lowercase().into_boxed_str())
                .collect(),
        )
    }

    pub fn contains(&self, word: &str) -> bool {
        let mut buf = [0u8; 32];
        match ascii_lower(word, &mut buf) {
            Some(lower) => self.0.contains(lower),
            None => self.0.contains(word.to_ascii_lowercase().as_str()),
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// `w` with ASCII letters lower-cased into `buf`; `None` if it does not fit.
pub fn ascii_lower<'b>(w: &str, buf: &'b mut [u8; 32]) -> Option<&'b str> {
    let b = w.as_bytes();
    let out = buf.get_mut(..b.len())?;
    for (d, s) in out.iter_mut().zip(b) {
        *d = s.to_ascii_lowercase();
    }
    // Lower-casing ASCII bytes keeps UTF-8 valid.
    std::str::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_list_parses_without_repeats() {
        for list in EMBEDDED {
            let parsed = list.parse().unwrap_or_else(|e| panic!("{e}"));
            assert!(!parsed.entries().is_empty(), "{} is empty", list.name);
        }
    }

    #[test]
    fn a_repeat_is_an_error_in_one_kind_or_across_two() {
        let e = WordList::parse("t", "said\nSaid\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.problem.contains("listed twice"), "{e}");
        let e = WordList::parse("t", "[verb]\nexplained\n[weak]\nnoted\nexplained\n").unwrap_err();
        assert_eq!(e.line, 5);
        assert!(e.problem.contains("two kinds"), "{e}");
        assert!(WordList::parse("t", "[a]\nx\n[a]\ny\n").is_err());
        assert!(WordList::parse("t", "[a\nx\n").is_err());
    }

    #[test]
    fn kinds_tags_and_comments() {
        let l = WordList::parse(
            "t",
            "# header\n\nloose\n[month]\njan\n  feb  \n[title]\nSecretary of State\tgazetteer role\nSen.\trole\n",
        )
        .unwrap();
        assert_eq!(l.kind("").collect::<Vec<_>>(), ["loose"]);
        assert_eq!(l.kind("month").collect::<Vec<_>>(), ["jan", "feb"]);
        assert_eq!(
            l.tagged("role").collect::<Vec<_>>(),
            ["Secretary of State", "Sen."]
        );
        assert_eq!(
            l.tagged("gazetteer").collect::<Vec<_>>(),
            ["Secretary of State"]
        );
    }

    #[test]
    fn a_word_set_ignores_ascii_case_only() {
        let s = WordSet::new(["said", "Über", &"x".repeat(40)]);
        assert!(s.contains("SAID") && s.contains("Said"));
        assert!(s.contains("ÜBER") && !s.contains("über"));
        assert!(s.contains(&"X".repeat(40)));
        assert!(!s.contains("sai"));
    }
}
