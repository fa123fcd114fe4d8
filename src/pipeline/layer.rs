//! The names of a document's layers, and small sets of them.
//!
//! A stage says which layers it reads ([`Stage::requires`](super::Stage::requires)) and
//! which it adds ([`Stage::assigns`](super::Stage::assigns)); a request says which layers
//! the answer reports ([`Options::layers`](super::Options::layers)). The pipeline runs the
//! stages that assign the requested layers and, transitively, the layers those stages
//! require. Naming layers by an enum (rather than by type) keeps that planning a few
//! bit operations, done per request.

use std::fmt;

/// One layer of a [`Document`](super::Document). The input is not a layer: every
/// document has it from the start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Layer {
    /// The cleaned body text and its alignment to the input.
    Text,
    /// The headline, kept apart from the body (it may be `None`: no headline found).
    Title,
    /// Byline, publication date, dateline.
    Metadata,
    /// The stretches of input that are not in the text, with the reason.
    Removed,
    /// The language of the text.
    Language,
    /// Paragraphs of the body.
    Paragraphs,
    /// Tokens of the body.
    Tokens,
    /// Tokens of the headline (spans index the title's text).
    TitleTokens,
    /// Sentences of the body, as token ranges.
    Sentences,
    /// Names found in the body and the title.
    Mentions,
    /// Mentions grouped into the things they name.
    Entities,
    /// Quotations with their cue and speaker.
    Quotes,
}

impl Layer {
    /// Every layer, in the order the answer lists them.
    pub const ALL: [Layer; 12] = [
        Layer::Text,
        Layer::Title,
        Layer::Metadata,
        Layer::Removed,
        Layer::Language,
        Layer::Paragraphs,
        Layer::Tokens,
        Layer::TitleTokens,
        Layer::Sentences,
        Layer::Mentions,
        Layer::Entities,
        Layer::Quotes,
    ];

    /// A short lower-case name, for errors and logs.
    pub fn name(self) -> &'static str {
        match self {
            Layer::Text => "text",
            Layer::Title => "title",
            Layer::Metadata => "metadata",
            Layer::Removed => "removed",
            Layer::Language => "language",
            Layer::Paragraphs => "paragraphs",
            Layer::Tokens => "tokens",
            Layer::TitleTokens => "title tokens",
            Layer::Sentences => "sentences",
            Layer::Mentions => "mentions",
            Layer::Entities => "entities",
            Layer::Quotes => "quotes",
        }
    }

    fn bit(self) -> u32 {
        1 << self as u32
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of layers (a bit set: copying and comparing are free).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct LayerSet(u32);

impl LayerSet {
    /// No layer.
    pub const EMPTY: LayerSet = LayerSet(0);

    pub fn of(layers: &[Layer]) -> Self {
        layers.iter().fold(LayerSet::EMPTY, |s, &l| s.with(l))
    }

    #[must_use]
    pub fn with(self, layer: Layer) -> Self {
        LayerSet(self.0 | layer.bit())
    }

    pub fn insert(&mut self, layer: Layer) {
        self.0 |= layer.bit();
    }

    pub fn remove(&mut self, layer: Layer) {
        self.0 &= !layer.bit();
    }

    pub fn contains(self, layer: Layer) -> bool {
        self.0 & layer.bit() != 0
    }

    #[must_use]
    pub fn union(self, other: LayerSet) -> Self {
        LayerSet(self.0 | other.0)
    }

    pub fn intersects(self, other: LayerSet) -> bool {
        self.0 & other.0 != 0
    }

    pub fn is_subset(self, other: LayerSet) -> bool {
        self.0 & !other.0 == 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The layers of the set, in [`Layer::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Layer> {
        Layer::ALL.into_iter().filter(move |&l| self.contains(l))
    }
}

impl FromIterator<Layer> for LayerSet {
    fn from_iter<I: IntoIterator<Item = Layer>>(iter: I) -> Self {
        iter.into_iter().fold(LayerSet::EMPTY, |s, l| s.with(l))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_lists_every_layer_once_in_declaration_order() {
        for (i, l) in Layer::ALL.iter().enumerate() {
            assert_eq!(*l as usize, i, "{l} is out of place in Layer::ALL");
        }
        let all: LayerSet = Layer::ALL.into_iter().collect();
        assert_eq!(all.iter().count(), Layer::ALL.len());
    }

    #[test]
    fn set_operations() {
        let s = LayerSet::of(&[Layer::Tokens, Layer::Sentences]);
        assert!(s.contains(Layer::Tokens) && !s.contains(Layer::Text));
        assert!(LayerSet::of(&[Layer::Tokens]).is_subset(s));
        assert!(!s.is_subset(LayerSet::of(&[Layer::Tokens])));
        assert!(s.intersects(LayerSet::of(&[Layer::Sentences, Layer::Quotes])));
        let mut t = s.union(LayerSet::of(&[Layer::Text]));
        t.remove(Layer::Tokens);
        assert_eq!(
            t.iter().collect::<Vec<_>>(),
            [Layer::Text, Layer::Sentences]
        );
    }
}
