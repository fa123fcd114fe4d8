//! From a finished [`Document`] to the [`Annotation`] a client receives: one function
//! per layer, each writing its part of the answer and its count in `stats`.
//!
//! The request's layers ([`Options::layers`](super::Options::layers)) are rendered, in
//! [`Layer::ALL`] order; a layer computed only because another stage needed it (the
//! entities behind the quotes' speakers, when the client did not ask for entities) is
//! not. Adding a layer to the answer is a field in [`super::output`], its part of
//! `openapi.yaml`, and one arm in [`render_layer`].

use super::document::{Document, Region, Span, Title};
use super::language::english_name;
use super::layer::{Layer, LayerSet};
use super::offsets::{OffsetIndex, OffsetUnit};
use super::output::{
    Annotation, EntityOut, QuoteOut, RemovedOut, SentenceOut, SpanOut, Stats, Version, Warning,
};
use super::stage::MissingLayer;

/// Renders spans of one document in one offset unit.
pub(crate) struct Renderer<'d> {
    doc: &'d Document,
    text: &'d str,
    title: Option<&'d Title>,
    text_index: OffsetIndex<'d>,
    input_index: OffsetIndex<'d>,
    /// The layers this answer reports.
    reported: LayerSet,
}

impl<'d> Renderer<'d> {
    pub(crate) fn new(
        doc: &'d Document,
        unit: OffsetUnit,
        reported: LayerSet,
    ) -> Result<Self, MissingLayer> {
        let text = doc.text()?;
        // A span can only lie in the title if the title layer was added.
        let title = if doc.has(Layer::Title) {
            doc.title()?
        } else {
            None
        };
        Ok(Renderer {
            doc,
            text,
            title,
            text_index: OffsetIndex::new(text, unit),
            input_index: OffsetIndex::new(doc.input(), unit),
            reported,
        })
    }

    fn span(&self, span: Span, region: Region) -> Result<SpanOut, MissingLayer> {
        let (text, input, start, end) = match region {
            Region::Body => (
                &self.text[span.range()],
                self.doc.alignment()?.to_input(span.range()),
                Some(self.text_index.units(span.start)),
                Some(self.text_index.units(span.end)),
            ),
            Region::Title => match self.title {
                Some(t) => (
                    &t.text[span.range()],
                    t.alignment.to_input(span.range()),
                    None,
                    None,
                ),
                None => ("", 0..0, None, None),
            },
        };
        Ok(SpanOut {
            text: text.to_string(),
            start,
            end,
            input_start: self.input_index.units(input.start),
            input_end: self.input_index.units(input.end),
        })
    }

    fn body(&self, span: Span) -> Result<SpanOut, MissingLayer> {
        self.span(span, Region::Body)
    }

    pub(crate) fn input_units(&self, byte: usize) -> usize {
        self.input_index.units(byte)
    }
}

/// Builds the annotation document from a finished [`Document`], reporting `reported`.
pub(crate) fn render(
    doc: &Document,
    unit: OffsetUnit,
    reported: LayerSet,
    version: Version,
) -> Result<Annotation, MissingLayer> {
    let r = Renderer::new(doc, unit, reported)?;
    let mut out = Annotation {
        id: None,
        title: None,
        text: String::new(),
        // A pipeline without a language stage (tests, tools) says English, undetected.
        language: "en".to_string(),
        language_confidence: 0.0,
        language_reliable: false,
        byline: Vec::new(),
        published: None,
        dateline: None,
        offsets: unit,
        sentences: Vec::new(),
        entities: Vec::new(),
        quotes: Vec::new(),
        removed: Vec::new(),
        warnings: Vec::new(),
        stats: Stats {
            input_chars: doc.input().chars().count(),
            ..Stats::default()
        },
        version,
    };
    for layer in reported.iter() {
        render_layer(layer, &r, &mut out)?;
    }
    Ok(out)
}

/// Writes one layer's part of the answer.
fn render_layer(layer: Layer, r: &Renderer, out: &mut Annotation) -> Result<(), MissingLayer> {
    match layer {
        Layer::Text => text(r, out),
        Layer::Title => title(r, out),
        Layer::Metadata => metadata(r, out),
        Layer::Removed => removed(r, out),
        Layer::Language => language(r, out),
        Layer::Paragraphs => paragraphs(r, out),
        Layer::Tokens => tokens(r, out),
        // Title tokens serve later stages; the answer neither lists nor counts them.
        Layer::TitleTokens => Ok(()),
        Layer::Sentences => sentences(r, out),
        Layer::Mentions => mentions(r, out),
        Layer::Entities => entities(r, out),
        Layer::Quotes => quotes(r, out),
    }
}

fn text(r: &Renderer, out: &mut Annotation) -> Result<(), MissingLayer> {
    out.text = r.text.to_string();
    out.stats.text_chars = r.text.chars().count();
    Ok(())
}

fn title(r: &Renderer, out: &mut Annotation) -> Result<(), MissingLayer> {
    out.title = r.doc.title()?.map(|t| t.text.clone());
    Ok(())
}

fn metadata(r: &Renderer, out: &mut Annotation) -> Result<(), MissingLayer> {
    let m = r.doc.metadata()?;
    out.byline = m.byline.clone();
    out.published = m.published.clone();
    out.dateline = m.dateline.clone();
    out.warnings.extend(m.warnings.iter().cloned());
    Ok(())
}

fn removed(r: &Renderer, out: &mut Annotation) -> Result<(), MissingLayer> {
    let removed = r.doc.removed()?;
    out.removed = removed
        .iter()
        .map(|x| RemovedOut {
            input_start: r.input_units(x.input.start),
            input_end: r.input_units(x.input.end),
            reason: x.reason,
        })
        .collect();
    out.stats.removed = removed.len();
    Ok(())
}

fn language(r: &Renderer, out: &mut Annotation) -> Result<(), MissingLayer> {
    let l = r.doc.language()?;
    out.language = l.code.clone();
    out.language_confidence = l.confidence;
    out.language_reliable = l.reliable;
    if l.forced {
        out.warnings.push(Warning {
            code: "language-forced".to_string(),
            detail: format!(
                "the text reads as {} ({}); it was annotated as English because the request asked for it (`options.language`)",
                english_name(&l.code),
                l.code
            ),
        });
    }
    Ok(())
}

fn paragraphs(r: &Renderer, out: &mut Annotation) -> Result<(), MissingLayer> {
    out.stats.paragraphs = r.doc.paragraphs()?.len();
    Ok(())
}

fn tokens(r: &Renderer, out: &mut Annotation) -> Result<(), MissingLayer> {
    out.stats.tokens = r.doc.tokens()?.len();
    Ok(())
}

fn sentences(r: &Renderer, out: &mut Annotation) -> Result<(), MissingLayer> {
    let sentences = r.doc.sentences()?;
    out.sentences = sentences
        .iter()
        .map(|s| SentenceOut {
            start: r.text_index.units(s.span.start),
            end: r.text_index.units(s.span.end),
        })
        .collect();
    out.stats.sentences = sentences.len();
    Ok(())
}

/// Mentions are listed inside their entities; the layer itself is only counted.
fn mentions(r: &Renderer, out: &mut Annotation) -> Result<(), MissingLayer> {
    out.stats.mentions = r.doc.mentions()?.len();
    Ok(())
}

fn entity_id(i: usize) -> String {
    format!("E{}", i + 1)
}

fn entities(r: &Renderer, out: &mut Annotation) -> Result<(), MissingLayer> {
    let mentions = r.doc.mentions()?;
    let entities = r.doc.entities()?;
    out.entities = entities
        .iter()
        .enumerate()
        .map(|(i, e)| {
            Ok(EntityOut {
                id: entity_id(i),
                kind: e.label,
                name: e.name.clone(),
                salience: e.salience,
                roles: e.roles.clone(),
                mentions: e
                    .mentions
                    .iter()
                    .map(|&m| r.span(mentions[m].span, mentions[m].region))
                    .collect::<Result<_, _>>()?,
            })
        })
        .collect::<Result<_, MissingLayer>>()?;
    out.stats.entities = entities.len();
    Ok(())
}

fn quotes(r: &Renderer, out: &mut Annotation) -> Result<(), MissingLayer> {
    let quotes = r.doc.quotes()?;
    // Without the entity list an entity id would point at nothing.
    let with_entities = r.reported.contains(Layer::Entities);
    out.quotes = quotes
        .iter()
        .enumerate()
        .map(|(i, q)| {
            Ok(QuoteOut {
                id: format!("Q{}", i + 1),
                kind: q.kind,
                content: q
                    .content
                    .iter()
                    .map(|&s| r.body(s))
                    .collect::<Result<_, _>>()?,
                cue: q.cue.map(|s| r.body(s)).transpose()?,
                speaker: q.speaker.map(|s| r.body(s)).transpose()?,
                speaker_entity: q.speaker_entity.filter(|_| with_entities).map(entity_id),
                confidence: q.confidence,
            })
        })
        .collect::<Result<_, MissingLayer>>()?;
    out.stats.quotes = quotes.len();
    Ok(())
}
