//! The entity stage: finds names (mentions) and groups them into entities.
//!
//! Mentions come from a statistical tagger (averaged perceptron over hashed features,
//! BILOU labels, greedy decoding; see [`tagger`]) trained on CoNLL-2003 by
//! `src/bin/train-ner.rs`, whose weights are embedded in the binary. [`cluster`] then
//! groups the mentions of one thing into an entity.

pub mod bilou;
mod cluster;
pub mod embedding_clusters;
pub mod features;
pub mod gazetteer;
pub mod gazetteer_index;
pub mod hashing;
pub mod lexicon;
pub mod perceptron;
pub mod tagger;
pub mod training;

use super::document::{Document, Mention, Region, Span};
use super::layer::Layer;
use super::stage::{MissingLayer, RunContext, Stage, StageError};
use super::ModelError;

pub use cluster::{cluster, resolve_role};

use lexicon::Lexicon;
pub use tagger::Tagger;

/// The tagger's weights, trained by `src/bin/train-ner.rs` (see `models/ner/MODEL_CARD.md`).
const MODEL: &[u8] = include_bytes!("../../../models/ner/ner.bin");

pub struct EntityStage {
    tagger: Tagger,
}

impl EntityStage {
    pub fn new() -> Result<Self, ModelError> {
        let invalid = |reason| ModelError::Invalid {
            name: "ner",
            reason,
        };
        let tagger =
            Tagger::from_bytes(MODEL, Lexicon::embedded().map_err(invalid)?).map_err(invalid)?;
        // Parse the gazetteers now (clustering reads their titles) so that the first
        // document does not pay for it.
        gazetteer::Gazetteers::embedded();
        Ok(EntityStage { tagger })
    }

    /// The tagger alone (for benchmarks and tools).
    pub fn tagger(&self) -> &Tagger {
        &self.tagger
    }

    pub fn model_version(&self) -> String {
        "ner-perceptron-2pass-2".to_string()
    }
}

impl Stage for EntityStage {
    fn name(&self) -> &'static str {
        "entities"
    }

    fn requires(&self) -> &[Layer] {
        &[Layer::Text, Layer::Title, Layer::Tokens, Layer::Sentences]
    }

    fn assigns(&self) -> &[Layer] {
        &[Layer::Mentions, Layer::Entities]
    }

    fn version(&self) -> Option<String> {
        Some(self.model_version())
    }

    fn run(&self, doc: &mut Document, cx: &RunContext) -> Result<(), StageError> {
        let mentions = find_mentions(&self.tagger, doc)?;
        cx.checkpoint()?;
        let (mentions, entities) = cluster(doc, mentions)?;
        doc.set_mentions(mentions);
        doc.set_entities(entities);
        Ok(())
    }
}

/// Every name the tagger finds in the body, as a mention (clustered later).
fn find_mentions(tagger: &Tagger, doc: &Document) -> Result<Vec<Mention>, MissingLayer> {
    let tokens = doc.tokens()?;
    Ok(tagger
        .tag(doc.text()?, tokens, doc.sentences()?)
        .into_iter()
        .map(|(found, label)| Mention {
            span: Span::new(
                tokens[found.start].span.start,
                tokens[found.end - 1].span.end,
            ),
            region: Region::Body,
            label,
            entity: 0,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::document::EntityType;
    use crate::pipeline::testing;

    fn mentions(text: &str) -> Vec<(String, EntityType)> {
        let doc = testing::segmented(text);
        let stage = EntityStage::new().expect("the embedded model loads");
        find_mentions(stage.tagger(), &doc)
            .unwrap()
            .iter()
            .map(|m| (doc.slice(m.span, m.region).unwrap().to_string(), m.label))
            .collect()
    }

    #[test]
    fn the_shipped_model_finds_news_names() {
        let found = mentions(
            "Secretary of State John Kerry said the United States is interested in \
             sharing key information with Tehran over the crisis in Iraq.",
        );
        for want in [
            ("John Kerry", EntityType::Person),
            ("United States", EntityType::Loc),
            ("Tehran", EntityType::Loc),
            ("Iraq", EntityType::Loc),
        ] {
            assert!(
                found.contains(&(want.0.to_string(), want.1)),
                "{want:?} not in {found:?}"
            );
        }
        assert!(
            !found
                .iter()
                .any(|(t, _)| t == "State" || t.contains("Secretary")),
            "{found:?}"
        );
    }

    #[test]
    fn all_caps_headlines_are_tagged_too() {
        let found = mentions("EU REJECTS GERMAN CALL TO BOYCOTT BRITISH LAMB .\n");
        assert!(
            found.contains(&("EU".to_string(), EntityType::Org)),
            "{found:?}"
        );
        assert!(
            found.contains(&("GERMAN".to_string(), EntityType::Misc)),
            "{found:?}"
        );
    }

    #[test]
    fn names_never_begin_or_end_with_a_quotation_mark() {
        let found = mentions(
            "“I’m glad,” Mickelson said. “It was fun,” Mickelson added. \
             “We won,” Phil Mickelson told reporters.",
        );
        assert!(
            found
                .iter()
                .all(|(t, _)| !t.starts_with(['“', '”', '"', '’']) && !t.ends_with(['“', '”', '"'])),
            "{found:?}"
        );
    }

    #[test]
    fn a_corrupt_model_is_an_error_not_a_panic() {
        assert!(Tagger::from_bytes(b"NERTWO01\x05\0\0\0abc", Lexicon::default()).is_err());
        assert!(Tagger::from_bytes(&MODEL[..MODEL.len() - 1], Lexicon::default()).is_err());
    }
}
