//! The document every stage reads and extends: the input, the cleaned text with its
//! alignment, and one layer of stand-off annotations per stage.
//!
//! Positions are byte offsets into [`Document::text`] (cheap slicing); they become code
//! points or UTF-16 units only when the [`Annotation`](super::annotation::Annotation) is
//! rendered. Layers are plain vectors of small structs that refer to each other by index,
//! never by reference, so that a stage can add its layer without fighting the borrow
//! checker and the whole document can be dropped at once.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::alignment::Alignment;

/// A byte range of [`Document::text`] (or of the title, see [`Region`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Span { start, end }
    }

    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

/// Where a span lies: in the body text, or in the title (which is not part of `text`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Region {
    #[default]
    Body,
    Title,
}

/// What the request carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    Text,
    Html,
}

/// The headline, kept apart from the body with its own alignment into the same input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    pub text: String,
    pub alignment: Alignment,
}

/// Why a stretch of input is not in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RemovalReason {
    /// Menus, "Skip to content", section lists.
    Navigation,
    /// The headline repeated (the first copy becomes the title).
    DuplicateTitle,
    /// The headline itself, moved to `title`.
    Title,
    Byline,
    Dateline,
    Caption,
    Share,
    Related,
    Newsletter,
    Comments,
    Footer,
    Advertisement,
    Cookies,
    /// Markup, scripts and styles of an HTML page.
    Markup,
    /// Control and zero-width characters.
    Control,
    /// Anything else judged not to be article text.
    Boilerplate,
}

/// A removed stretch of input (byte range of `Document::input`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub input: Range<usize>,
    pub reason: RemovalReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// Letters, possibly with inner apostrophes, hyphens or periods (`U.S.`, `don't`).
    Word,
    /// Digits with separators and an optional sign or currency (`3,000`, `4.5`, `$6.5`).
    Number,
    /// Any quotation mark, straight or curly, single or double, guillemets.
    Quote,
    /// Hyphen used as a dash, en dash, em dash.
    Dash,
    Url,
    Email,
    /// Sentence and clause punctuation: `. , ; : ! ? …` and brackets.
    Punct,
    /// Anything else (symbols, emoji).
    Symbol,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
}

/// A sentence: its span and the range of `Document::tokens` it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    pub tokens: Range<usize>,
}

/// The four CoNLL types, and the rule-based extras the CoNLL scorer ignores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum EntityType {
    Person,
    Org,
    Loc,
    Misc,
}

impl EntityType {
    pub const ALL: [EntityType; 4] = [
        EntityType::Person,
        EntityType::Org,
        EntityType::Loc,
        EntityType::Misc,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::Org => "ORG",
            EntityType::Loc => "LOC",
            EntityType::Misc => "MISC",
        }
    }
}

/// One occurrence of a name in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub span: Span,
    pub region: Region,
    pub label: EntityType,
    /// Index into `Document::entities`, set when mentions are clustered.
    pub entity: usize,
}

/// One thing the document talks about: a cluster of mentions.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub label: EntityType,
    /// The fullest proper name among the mentions.
    pub name: String,
    /// 0..=1: how central the entity is to the document.
    pub salience: f32,
    /// Indices into `Document::mentions`, in text order.
    pub mentions: Vec<usize>,
    /// Titles found beside the name ("Secretary of State", "Prime Minister").
    pub roles: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// Words inside quotation marks.
    Direct,
    /// Reported speech without quotation marks.
    Indirect,
    /// Reported speech with quoted fragments inside it.
    Mixed,
}

/// An attribution: what was said, the reporting words, and who said it.
#[derive(Debug, Clone, PartialEq)]
pub struct Quote {
    pub kind: QuoteKind,
    /// One span, or several when the attribution splits the quote.
    pub content: Vec<Span>,
    pub cue: Option<Span>,
    /// The words naming the speaker where the quote is ("He", "The Secretary").
    pub speaker: Option<Span>,
    /// Index into `Document::entities`: who the speaker is.
    pub speaker_entity: Option<usize>,
    /// 0..=1.
    pub confidence: f32,
}

/// The article being annotated and every layer added to it so far.
#[derive(Debug, Clone)]
pub struct Document {
    /// The request's text (or HTML source) exactly as received.
    pub input: String,
    pub input_kind: InputKind,
    /// The cleaned body; every span below indexes it.
    pub text: String,
    /// Maps `text` back to `input`.
    pub alignment: Alignment,
    pub title: Option<Title>,
    pub byline: Vec<String>,
    pub published: Option<String>,
    pub dateline: Option<String>,
    pub removed: Vec<Removed>,
    /// Paragraphs of `text` (separated by blank lines).
    pub paragraphs: Vec<Span>,
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    pub mentions: Vec<Mention>,
    pub entities: Vec<Entity>,
    pub quotes: Vec<Quote>,
}

impl Document {
    /// A document whose text is its input, unchanged (cleaning switched off).
    pub fn verbatim(input: String, input_kind: InputKind) -> Self {
        let alignment = Alignment::identity(input.len());
        Document::from_parts(input.clone(), input_kind, input, alignment)
    }

    /// A document from a cleaned text and its alignment into `input`.
    pub fn from_parts(
        input: String,
        input_kind: InputKind,
        text: String,
        alignment: Alignment,
    ) -> Self {
        debug_assert_eq!(alignment.text_len(), text.len());
        Document {
            input,
            input_kind,
            text,
            alignment,
            title: None,
            byline: Vec::new(),
            published: None,
            dateline: None,
            removed: Vec::new(),
            paragraphs: Vec::new(),
            tokens: Vec::new(),
            sentences: Vec::new(),
            mentions: Vec::new(),
            entities: Vec::new(),
            quotes: Vec::new(),
        }
    }

    /// The text a span covers, in the body or the title.
    pub fn slice(&self, span: Span, region: Region) -> &str {
        match region {
            Region::Body => &self.text[span.range()],
            Region::Title => self
                .title
                .as_ref()
                .map(|t| &t.text[span.range()])
                .unwrap_or(""),
        }
    }

    /// The body text of a span.
    pub fn span_text(&self, span: Span) -> &str {
        &self.text[span.range()]
    }

    /// The input byte range a span came from.
    pub fn input_range(&self, span: Span, region: Region) -> Range<usize> {
        match region {
            Region::Body => self.alignment.to_input(span.range()),
            Region::Title => self
                .title
                .as_ref()
                .map(|t| t.alignment.to_input(span.range()))
                .unwrap_or(0..0),
        }
    }

    /// The text of token `i`.
    pub fn token_text(&self, i: usize) -> &str {
        self.span_text(self.tokens[i].span)
    }
}
