//! The document every stage reads and extends: the input, and one typed layer per kind
//! of annotation, absent until the stage that assigns it has run.
//!
//! Positions are byte offsets into the body text (cheap slicing); they become code
//! points or UTF-16 units only when the [`Annotation`](super::output::Annotation) is
//! rendered. Layers are plain vectors of small structs that refer to each other by index,
//! never by reference, so that a stage can add its layer without fighting the borrow
//! checker and the whole document can be dropped at once.
//!
//! The layers are private: a stage reads one with its accessor (`doc.tokens()?`), which
//! fails with [`MissingLayer`] when no stage has added it (an absent layer never passes
//! for an empty one), and adds its own with the setter (`doc.set_tokens(..)`). Only the
//! stage that [`assigns`](super::Stage::assigns) a layer calls its setter; the registry
//! checks that after every run.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::alignment::Alignment;
use super::layer::{Layer, LayerSet};
use super::stage::MissingLayer;
use super::Input;

pub use super::output::{EntityType, QuoteKind, RemovalReason, Warning};

/// A byte range of the body text (or of the title, see [`Region`]).
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

/// Where a span lies: in the body text, or in the title (which is not part of the body).
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

/// What cleaning found besides the text (layer [`Layer::Metadata`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    pub byline: Vec<String>,
    pub published: Option<String>,
    pub dateline: Option<String>,
    /// What the answer should tell the client about cleaning (see [`Warning`]).
    pub warnings: Vec<Warning>,
}

/// The language of the text (layer [`Layer::Language`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Language {
    /// ISO 639-1 code, e.g. `en`.
    pub code: String,
    /// The detector's confidence in `code`, 0 to 1.
    pub confidence: f32,
    /// Whether `code` is the detector's reliable judgement (false: too short or mixed
    /// to tell, and taken as English).
    pub reliable: bool,
    /// The text is in another language and is annotated as English because the request
    /// forced it.
    pub forced: bool,
}

/// A removed stretch of input (byte range of [`Document::input`]).
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

/// A sentence: its span and the range of the token layer it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    pub tokens: Range<usize>,
}

/// One occurrence of a name in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub span: Span,
    pub region: Region,
    pub label: EntityType,
    /// Index into the entity layer, set when mentions are clustered.
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
    /// Indices into the mention layer, in text order.
    pub mentions: Vec<usize>,
    /// Titles found beside the name ("Secretary of State", "Prime Minister").
    pub roles: Vec<String>,
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
    /// Index into the entity layer: who the speaker is.
    pub speaker_entity: Option<usize>,
    /// 0..=1.
    pub confidence: f32,
}

/// The body text with its map back to the input (layer [`Layer::Text`]).
#[derive(Debug, Clone)]
struct Body {
    text: String,
    alignment: Alignment,
}

/// The article being annotated and every layer added to it so far.
#[derive(Debug, Clone)]
pub struct Document {
    input: String,
    input_kind: InputKind,
    body: Option<Body>,
    title: Option<Option<Title>>,
    metadata: Option<Metadata>,
    removed: Option<Vec<Removed>>,
    language: Option<Language>,
    paragraphs: Option<Vec<Span>>,
    tokens: Option<Vec<Token>>,
    title_tokens: Option<Vec<Token>>,
    sentences: Option<Vec<Sentence>>,
    mentions: Option<Vec<Mention>>,
    entities: Option<Vec<Entity>>,
    quotes: Option<Vec<Quote>>,
}

/// The layer, or the error naming it.
fn get<T>(layer: &Option<T>, name: Layer) -> Result<&T, MissingLayer> {
    layer.as_ref().ok_or(MissingLayer(name))
}

impl Document {
    /// A document holding only the request's input: no layer yet.
    pub fn new(input: Input) -> Self {
        let input_kind = input.kind();
        Document {
            input: input.into_string(),
            input_kind,
            body: None,
            title: None,
            metadata: None,
            removed: None,
            language: None,
            paragraphs: None,
            tokens: None,
            title_tokens: None,
            sentences: None,
            mentions: None,
            entities: None,
            quotes: None,
        }
    }

    /// A document whose text layers are its input, unchanged: what the clean stage
    /// makes of a text input with `clean: false` (for tools and tests that start from
    /// text, such as the NER trainer).
    pub fn verbatim(text: String) -> Self {
        let mut doc = Document::new(Input::Text(text));
        doc.set_text(doc.input.clone(), Alignment::identity(doc.input.len()));
        doc.set_title(None);
        doc.set_metadata(Metadata::default());
        doc.set_removed(Vec::new());
        doc
    }

    /// The request's text (or HTML source) exactly as received.
    pub fn input(&self) -> &str {
        &self.input
    }

    pub fn input_kind(&self) -> InputKind {
        self.input_kind
    }

    /// Whether `layer` has been added.
    pub fn has(&self, layer: Layer) -> bool {
        match layer {
            Layer::Text => self.body.is_some(),
            Layer::Title => self.title.is_some(),
            Layer::Metadata => self.metadata.is_some(),
            Layer::Removed => self.removed.is_some(),
            Layer::Language => self.language.is_some(),
            Layer::Paragraphs => self.paragraphs.is_some(),
            Layer::Tokens => self.tokens.is_some(),
            Layer::TitleTokens => self.title_tokens.is_some(),
            Layer::Sentences => self.sentences.is_some(),
            Layer::Mentions => self.mentions.is_some(),
            Layer::Entities => self.entities.is_some(),
            Layer::Quotes => self.quotes.is_some(),
        }
    }

    /// Every layer added so far.
    pub fn layers(&self) -> LayerSet {
        Layer::ALL.into_iter().filter(|&l| self.has(l)).collect()
    }

    // Layer `Text`.

    /// The cleaned body; every body span indexes it.
    pub fn text(&self) -> Result<&str, MissingLayer> {
        get(&self.body, Layer::Text).map(|b| b.text.as_str())
    }

    /// Maps the body text back to the input.
    pub fn alignment(&self) -> Result<&Alignment, MissingLayer> {
        get(&self.body, Layer::Text).map(|b| &b.alignment)
    }

    pub fn set_text(&mut self, text: String, alignment: Alignment) {
        debug_assert_eq!(alignment.text_len(), text.len());
        self.body = Some(Body { text, alignment });
    }

    // Layer `Title`.

    /// The headline, `None` when cleaning found none.
    pub fn title(&self) -> Result<Option<&Title>, MissingLayer> {
        get(&self.title, Layer::Title).map(Option::as_ref)
    }

    pub fn set_title(&mut self, title: Option<Title>) {
        self.title = Some(title);
    }

    // Layer `Metadata`.

    pub fn metadata(&self) -> Result<&Metadata, MissingLayer> {
        get(&self.metadata, Layer::Metadata)
    }

    pub fn set_metadata(&mut self, metadata: Metadata) {
        self.metadata = Some(metadata);
    }

    // Layer `Removed`.

    /// Stretches of input not in the text, sorted by input position.
    pub fn removed(&self) -> Result<&[Removed], MissingLayer> {
        get(&self.removed, Layer::Removed).map(Vec::as_slice)
    }

    pub fn set_removed(&mut self, removed: Vec<Removed>) {
        self.removed = Some(removed);
    }

    // Layer `Language`.

    pub fn language(&self) -> Result<&Language, MissingLayer> {
        get(&self.language, Layer::Language)
    }

    pub fn set_language(&mut self, language: Language) {
        self.language = Some(language);
    }

    // Layer `Paragraphs`.

    /// Paragraphs of the body (separated by blank lines).
    pub fn paragraphs(&self) -> Result<&[Span], MissingLayer> {
        get(&self.paragraphs, Layer::Paragraphs).map(Vec::as_slice)
    }

    pub fn set_paragraphs(&mut self, paragraphs: Vec<Span>) {
        self.paragraphs = Some(paragraphs);
    }

    // Layer `Tokens`.

    pub fn tokens(&self) -> Result<&[Token], MissingLayer> {
        get(&self.tokens, Layer::Tokens).map(Vec::as_slice)
    }

    pub fn set_tokens(&mut self, tokens: Vec<Token>) {
        self.tokens = Some(tokens);
    }

    // Layer `TitleTokens`.

    /// Tokens of the headline; their spans index the title's text (empty without one).
    pub fn title_tokens(&self) -> Result<&[Token], MissingLayer> {
        get(&self.title_tokens, Layer::TitleTokens).map(Vec::as_slice)
    }

    pub fn set_title_tokens(&mut self, tokens: Vec<Token>) {
        self.title_tokens = Some(tokens);
    }

    // Layer `Sentences`.

    pub fn sentences(&self) -> Result<&[Sentence], MissingLayer> {
        get(&self.sentences, Layer::Sentences).map(Vec::as_slice)
    }

    pub fn set_sentences(&mut self, sentences: Vec<Sentence>) {
        self.sentences = Some(sentences);
    }

    // Layer `Mentions`.

    pub fn mentions(&self) -> Result<&[Mention], MissingLayer> {
        get(&self.mentions, Layer::Mentions).map(Vec::as_slice)
    }

    pub fn set_mentions(&mut self, mentions: Vec<Mention>) {
        self.mentions = Some(mentions);
    }

    // Layer `Entities`.

    pub fn entities(&self) -> Result<&[Entity], MissingLayer> {
        get(&self.entities, Layer::Entities).map(Vec::as_slice)
    }

    pub fn set_entities(&mut self, entities: Vec<Entity>) {
        self.entities = Some(entities);
    }

    // Layer `Quotes`.

    pub fn quotes(&self) -> Result<&[Quote], MissingLayer> {
        get(&self.quotes, Layer::Quotes).map(Vec::as_slice)
    }

    pub fn set_quotes(&mut self, quotes: Vec<Quote>) {
        self.quotes = Some(quotes);
    }

    // Reading spans (needs `Text`, and `Title` for title spans).

    /// The text a span covers, in the body or the title.
    pub fn slice(&self, span: Span, region: Region) -> Result<&str, MissingLayer> {
        Ok(match region {
            Region::Body => &self.text()?[span.range()],
            Region::Title => self.title()?.map_or("", |t| &t.text[span.range()]),
        })
    }

    /// The input byte range a span came from.
    pub fn input_range(&self, span: Span, region: Region) -> Result<Range<usize>, MissingLayer> {
        Ok(match region {
            Region::Body => self.alignment()?.to_input(span.range()),
            Region::Title => self
                .title()?
                .map_or(0..0, |t| t.alignment.to_input(span.range())),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_layer_is_absent_until_set_and_empty_is_not_absent() {
        let mut doc = Document::new(Input::Text("Hello.".into()));
        assert_eq!(doc.layers(), LayerSet::EMPTY);
        assert_eq!(doc.tokens(), Err(MissingLayer(Layer::Tokens)));
        assert_eq!(doc.text(), Err(MissingLayer(Layer::Text)));
        doc.set_tokens(Vec::new());
        assert_eq!(doc.tokens(), Ok(&[][..]));
        assert_eq!(doc.layers(), LayerSet::of(&[Layer::Tokens]));
        doc.set_title(None);
        assert_eq!(doc.title(), Ok(None));
        assert!(doc.has(Layer::Title));
    }

    #[test]
    fn spans_read_through_the_text_and_title_layers() {
        let mut doc = Document::new(Input::Text("Hi there".into()));
        assert!(doc.slice(Span::new(0, 2), Region::Body).is_err());
        doc.set_text("Hi there".into(), Alignment::identity(8));
        doc.set_title(Some(Title {
            text: "Head".into(),
            alignment: Alignment::identity(4),
        }));
        assert_eq!(doc.slice(Span::new(3, 8), Region::Body), Ok("there"));
        assert_eq!(doc.slice(Span::new(0, 4), Region::Title), Ok("Head"));
        assert_eq!(doc.input_range(Span::new(3, 8), Region::Body), Ok(3..8));
    }
}
