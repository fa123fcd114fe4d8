//! The entity stage: finds names (mentions) and groups them into entities.
//!
//! Mentions come from a statistical tagger (averaged perceptron over hashed features,
//! BILOU labels, greedy decoding; see [`tagger`]) trained on CoNLL-2003 by
//! `src/bin/train-ner.rs`, whose weights are embedded in the binary. [`cluster`] then
//! groups the mentions of one thing into an entity.

mod acronyms;
pub mod bilou;
mod cluster;
pub mod embedding_clusters;
pub mod features;
pub mod gazetteer;
pub mod gazetteer_index;
pub mod hashing;
pub mod lexicon;
mod name_pieces;
pub mod perceptron;
pub mod tagger;
pub mod training;

use std::ops::Range;

use super::document::{Document, Mention, Region, Span, Token};
use super::layer::Layer;
use super::stage::{RunContext, Stage, StageError};
use super::ModelError;

pub use cluster::cluster;

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
        &[
            Layer::Text,
            Layer::Title,
            Layer::Tokens,
            Layer::TitleTokens,
            Layer::Sentences,
        ]
    }

    fn assigns(&self) -> &[Layer] {
        &[Layer::Mentions, Layer::Entities]
    }

    fn version(&self) -> Option<String> {
        Some(self.model_version())
    }

    fn run(&self, doc: &mut Document, cx: &RunContext) -> Result<(), StageError> {
        let mentions = find_mentions(&self.tagger, doc, cx)?;
        cx.checkpoint()?;
        let (mentions, entities) = cluster(doc, mentions, cx)?;
        doc.set_mentions(mentions);
        doc.set_entities(entities);
        Ok(())
    }
}

/// Every name the tagger finds in the headline and the body, as mentions (clustered
/// later): the headline's first (region `Title`, spans in the title's text), then the
/// body's, each in text order.
fn find_mentions(
    tagger: &Tagger,
    doc: &Document,
    cx: &RunContext,
) -> Result<Vec<Mention>, StageError> {
    let tokens = doc.tokens()?;
    let title_tokens = doc.title_tokens()?;
    let title = doc.title()?.map(|t| (t.text.as_str(), title_tokens));
    let (in_title, in_body) =
        tagger.tag_with_title(doc.text()?, tokens, doc.sentences()?, title, cx)?;
    let mention = |toks: &[Token], found: Range<usize>, label, region| Mention {
        span: Span::new(toks[found.start].span.start, toks[found.end - 1].span.end),
        region,
        label,
        entity: 0,
    };
    Ok(in_title
        .into_iter()
        .map(|(r, label)| mention(title_tokens, r, label, Region::Title))
        .chain(
            in_body
                .into_iter()
                .map(|(r, label)| mention(tokens, r, label, Region::Body)),
        )
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
        find_mentions(stage.tagger(), &doc, &RunContext::default())
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
    fn the_headline_is_tagged_and_its_names_join_the_body() {
        use crate::pipeline::alignment::Alignment;
        use crate::pipeline::document::Title;
        use crate::pipeline::segment::Segmenter;
        let title = "Kerry Says US Will Work With Iran on Iraq";
        let body = "Secretary of State John Kerry said on Monday that the United States \
                    would talk to Iran about the crisis in Iraq. Kerry spoke in Brussels.";
        let mut doc = Document::verbatim(body.to_string());
        doc.set_title(Some(Title {
            text: title.to_string(),
            alignment: Alignment::identity(title.len()),
        }));
        let cx = RunContext::default();
        Segmenter::new().run(&mut doc, &cx).unwrap();
        EntityStage::new().unwrap().run(&mut doc, &cx).unwrap();
        let in_title: Vec<(&str, EntityType)> = doc
            .mentions()
            .unwrap()
            .iter()
            .filter(|m| m.region == Region::Title)
            .map(|m| (doc.slice(m.span, m.region).unwrap(), m.label))
            .collect();
        for want in ["Kerry", "US", "Iran", "Iraq"] {
            assert!(
                in_title.iter().any(|(t, _)| *t == want),
                "{want} not in {in_title:?}"
            );
        }
        let entities = doc.entities().unwrap();
        let kerry = entities.iter().find(|e| e.name == "John Kerry").unwrap();
        let regions: Vec<Region> = kerry
            .mentions
            .iter()
            .map(|&i| doc.mentions().unwrap()[i].region)
            .collect();
        assert_eq!(
            regions[0],
            Region::Title,
            "the headline's Kerry joins John Kerry"
        );
        assert_eq!(kerry.label, EntityType::Person);
    }

    #[test]
    fn a_cancelled_run_stops() {
        let doc = testing::segmented("Kerry met Lavrov in Geneva.\n".repeat(200).as_str());
        let token = crate::pipeline::stage::CancelToken::new();
        token.cancel();
        let cx = RunContext::new(Default::default(), token);
        let stage = EntityStage::new().unwrap();
        assert!(find_mentions(stage.tagger(), &doc, &cx).is_err());
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
