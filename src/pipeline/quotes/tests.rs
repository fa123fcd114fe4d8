//! One small text per phenomenon the stage must handle. Mentions and entities are
//! given by hand, so that these tests check the quote stage alone, whatever the
//! entity stage finds.

use super::QuoteStage;
use crate::pipeline::document::{EntityType, Quote, QuoteKind, Span};
use crate::pipeline::stage::{RunContext, Stage};
use crate::pipeline::testing;

/// The text and the quotes the stage found in it.
struct Annotated {
    text: String,
    quotes: Vec<Quote>,
}

impl Annotated {
    fn span_text(&self, span: Span) -> &str {
        &self.text[span.range()]
    }
}

/// Segments `text`, marks every occurrence of each `(name, entity)` as a person
/// mention (longest names first), and runs the quote stage.
fn annotate(text: &str, people: &[(&str, usize)], roles: &[(usize, &str)]) -> Annotated {
    let people: Vec<_> = people
        .iter()
        .map(|&(name, e)| (name, e, EntityType::Person))
        .collect();
    let mut doc = testing::with_entities(text, &people, roles);
    QuoteStage::new()
        .run(&mut doc, &RunContext::default())
        .expect("the quote stage runs on a segmented document with entities");
    Annotated {
        text: text.to_string(),
        quotes: doc
            .quotes()
            .expect("the quote stage adds its layer")
            .to_vec(),
    }
}

fn contents(doc: &Annotated, q: &Quote) -> Vec<String> {
    q.content
        .iter()
        .map(|s| doc.span_text(*s).to_string())
        .collect()
}

fn speaker(doc: &Annotated, q: &Quote) -> Option<String> {
    q.speaker.map(|s| doc.span_text(s).to_string())
}

/// The quote whose first content span contains `needle`.
fn find<'d>(doc: &'d Annotated, needle: &str) -> &'d Quote {
    doc.quotes
        .iter()
        .find(|q| q.content.iter().any(|s| doc.span_text(*s).contains(needle)))
        .unwrap_or_else(|| panic!("no quote with {needle:?} in {:?}", doc.quotes))
}

#[test]
fn every_mark_style_is_a_direct_quote() {
    for (open, close) in [
        ("\"", "\""),
        ("“", "”"),
        ("«", "»"),
        ("„", "“"),
        ("‘", "’"),
        ("''", "''"),
    ] {
        let text = format!("{open}We are ready to act now,{close} Kerry said.");
        let doc = annotate(&text, &[("Kerry", 0)], &[]);
        assert_eq!(doc.quotes.len(), 1, "{text}: {:?}", doc.quotes);
        let q = &doc.quotes[0];
        assert_eq!(q.kind, QuoteKind::Direct, "{text}");
        assert_eq!(contents(&doc, q), ["We are ready to act now,"], "{text}");
        assert_eq!(speaker(&doc, q).as_deref(), Some("Kerry"), "{text}");
        assert_eq!(q.speaker_entity, Some(0), "{text}");
    }
}

#[test]
fn single_quotes_nest_inside_double() {
    let text = "“He told me ‘no way’ before the vote,” Warren said.";
    let doc = annotate(text, &[("Warren", 0)], &[]);
    assert_eq!(doc.quotes.len(), 1);
    assert_eq!(
        contents(&doc, &doc.quotes[0]),
        ["He told me ‘no way’ before the vote,"]
    );
}

#[test]
fn apostrophes_are_not_quotes() {
    let text = "Iran's leaders liked the '90s and rock 'n' roll, the ministers' aides recalled.";
    let doc = annotate(text, &[], &[]);
    assert!(
        doc.quotes.iter().all(|q| q.kind != QuoteKind::Direct),
        "{:?}",
        doc.quotes
    );
}

#[test]
fn unclosed_quote_closes_at_paragraph_end() {
    let text = "Kerry was asked, “Can you see cooperating with Iran militarily?\n\nThe Secretary responded: “Not at this moment, no.”";
    let doc = annotate(text, &[("Kerry", 0)], &[(0, "Secretary of State")]);
    let asked = find(&doc, "Can you see");
    assert_eq!(
        contents(&doc, asked),
        ["Can you see cooperating with Iran militarily?"]
    );
    // A question put to Kerry is not Kerry's.
    assert_eq!(asked.speaker_entity, None);
    let answer = find(&doc, "Not at this moment");
    assert_eq!(speaker(&doc, answer).as_deref(), Some("The Secretary"));
    assert_eq!(answer.speaker_entity, Some(0));
}

#[test]
fn quote_split_by_its_attribution_is_one_quote() {
    let text = "\"We are ready,\" he said, \"and we will act.\"";
    let doc = annotate(text, &[], &[]);
    assert_eq!(doc.quotes.len(), 1, "{:?}", doc.quotes);
    assert_eq!(
        contents(&doc, &doc.quotes[0]),
        ["We are ready,", "and we will act."]
    );
    assert_eq!(speaker(&doc, &doc.quotes[0]).as_deref(), Some("he"));
}

#[test]
fn multi_paragraph_quote_keeps_its_speaker() {
    let text = "“We are ready,” Kerry said. “We will act when the time comes.\n\n“And we will not wait for anyone else to decide for us.”";
    let doc = annotate(text, &[("Kerry", 0)], &[]);
    let first = find(&doc, "We are ready");
    assert_eq!(first.speaker_entity, Some(0));
    let last = find(&doc, "And we will not wait");
    assert_eq!(last.kind, QuoteKind::Direct);
    assert_eq!(last.speaker, None, "no words name the speaker there");
    assert_eq!(last.speaker_entity, Some(0));
}

#[test]
fn floating_quote_continues_the_nearest_speaker_before_it() {
    // The opening quotation has no speaker and is made after the cue's quotes: the
    // last paragraph still continues Kerry, the speaker just before it in the text.
    let text = "“Nobody can tell what the weather will do tomorrow.”\n\n\
        The delegates arrived late.\n\n\
        “We are ready,” Kerry said.\n\n\
        “And we will not wait for anyone else to decide for us.”";
    let doc = annotate(text, &[("Kerry", 0)], &[]);
    assert_eq!(find(&doc, "Nobody can tell").speaker_entity, None);
    let last = find(&doc, "And we will not wait");
    assert_eq!(last.speaker, None, "no words name the speaker there");
    assert_eq!(last.speaker_entity, Some(0));
}

#[test]
fn attributions_without_a_lexicon_cue() {
    let text = "“You are in a robe and going upstairs in private,” scolded Elyse.\n\n\
        Martell, the addictions doctor, is more blunt: “They will uncover horrifying things.”\n\n\
        “I never put these elements together,” Foster remarks. “The truth is I only understood it later.”";
    let doc = annotate(text, &[("Elyse", 0), ("Martell", 1), ("Foster", 2)], &[]);
    let robe = find(&doc, "in a robe");
    assert_eq!(speaker(&doc, robe).as_deref(), Some("Elyse"));
    assert_eq!(robe.speaker_entity, Some(0));
    let blunt = find(&doc, "horrifying things");
    assert_eq!(speaker(&doc, blunt).as_deref(), Some("Martell"));
    assert_eq!(blunt.speaker_entity, Some(1));
    // The quotation after a free attribution is a quote of its own, still Foster's.
    let truth = find(&doc, "The truth is");
    assert_eq!(
        contents(&doc, truth),
        ["The truth is I only understood it later."]
    );
    assert_eq!(truth.speaker, None);
    assert_eq!(truth.speaker_entity, Some(2));
}

#[test]
fn a_line_between_does_not_end_the_speakers_turn() {
    let text = "“We are ready,” Kerry said.\n\n\
        Delegates at the talks in Geneva on Monday.\n\n\
        “And we will not wait for anyone else to decide for us.”";
    let doc = annotate(text, &[("Kerry", 0)], &[]);
    let last = find(&doc, "And we will not wait");
    assert_eq!(last.speaker, None);
    assert_eq!(last.speaker_entity, Some(0));
}

#[test]
fn a_transcript_turn_is_its_whole_paragraph() {
    let text = "WALLACE: Let us start with the debate. Will she be there? I want to ask you.\n\n\
        PENCE: She will not be attending the debate tomorrow night.\n\n\
        READ MORE: Five things to watch in the debate";
    let doc = annotate(text, &[("WALLACE", 0), ("PENCE", 1)], &[]);
    let wallace = find(&doc, "Let us start");
    assert_eq!(
        contents(&doc, wallace),
        ["Let us start with the debate. Will she be there? I want to ask you"]
    );
    assert_eq!(speaker(&doc, wallace).as_deref(), Some("WALLACE"));
    assert_eq!(find(&doc, "not be attending").speaker_entity, Some(1));
    assert!(
        doc.quotes
            .iter()
            .all(|q| !contents(&doc, q)[0].contains("Five things")),
        "a section label is not a speaker: {:?}",
        doc.quotes
    );
}

#[test]
fn reported_speech_patterns() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "Kerry said that the talks would resume next week.",
            "that the talks would resume next week",
            "Kerry",
        ),
        (
            "The talks would resume next week, Kerry said.",
            "The talks would resume next week",
            "Kerry",
        ),
        (
            "According to Kerry, the talks would resume next week.",
            "the talks would resume next week",
            "Kerry",
        ),
        (
            "Kerry told reporters: the talks would resume next week.",
            "the talks would resume next week",
            "Kerry",
        ),
        (
            "Kerry told reporters on Monday that the talks would resume next week.",
            "that the talks would resume next week",
            "Kerry",
        ),
        (
            "Kerry was quoted as saying the talks would resume next week.",
            "the talks would resume next week",
            "Kerry",
        ),
        (
            "Kerry warned the talks would resume next week.",
            "the talks would resume next week",
            "Kerry",
        ),
        (
            "The talks would resume next week, according to Kerry.",
            "The talks would resume next week",
            "Kerry",
        ),
    ];
    for &(text, content, who) in cases {
        let doc = annotate(text, &[("Kerry", 0)], &[]);
        assert_eq!(doc.quotes.len(), 1, "{text}: {:?}", doc.quotes);
        let q = &doc.quotes[0];
        assert_eq!(q.kind, QuoteKind::Indirect, "{text}");
        assert_eq!(contents(&doc, q), [content], "{text}");
        assert_eq!(speaker(&doc, q).as_deref(), Some(who), "{text}");
        assert_eq!(q.speaker_entity, Some(0), "{text}");
    }
}

#[test]
fn speaker_phrases_keep_their_head_and_name() {
    let cases: &[(&str, &str, Option<usize>)] = &[
        // The spokeswoman spoke, not Clinton: the phrase names no entity.
        (
            "A spokeswoman for Hillary Clinton says the plan is dead.",
            "A spokeswoman for Hillary Clinton",
            None,
        ),
        (
            "Officials at Homeland Security Investigations said the plan is dead.",
            "Officials at Homeland Security Investigations",
            None,
        ),
        (
            "A reporter for USA Today reported that the plan is dead.",
            "A reporter for USA Today",
            None,
        ),
        (
            "According to the Roper Center for Public Opinion Research, the plan is dead.",
            "the Roper Center for Public Opinion Research",
            Some(1),
        ),
        ("Kerry on Monday said the plan is dead.", "Kerry", Some(0)),
    ];
    for &(text, who, entity) in cases {
        let doc = annotate(
            text,
            &[
                ("Kerry", 0),
                ("Roper Center for Public Opinion Research", 1),
                ("Hillary Clinton", 2),
            ],
            &[],
        );
        assert_eq!(doc.quotes.len(), 1, "{text}: {:?}", doc.quotes);
        let q = &doc.quotes[0];
        assert_eq!(
            contents(&doc, q)[0].trim_start_matches("that "),
            "the plan is dead",
            "{text}"
        );
        assert_eq!(speaker(&doc, q).as_deref(), Some(who), "{text}");
        assert_eq!(q.speaker_entity, entity, "{text}");
    }
}

#[test]
fn impersonal_report_has_no_speaker() {
    let doc = annotate("It was reported that the talks had failed.", &[], &[]);
    assert_eq!(doc.quotes.len(), 1);
    assert_eq!(
        contents(&doc, &doc.quotes[0]),
        ["that the talks had failed"]
    );
    assert_eq!(doc.quotes[0].speaker, None);
}

#[test]
fn quoted_fragments_in_reported_speech_make_one_mixed_quote() {
    let text = "Kerry said that “nothing is off the table” and “all options” are available.";
    let doc = annotate(text, &[("Kerry", 0)], &[]);
    assert_eq!(doc.quotes.len(), 1, "{:?}", doc.quotes);
    assert_eq!(doc.quotes[0].kind, QuoteKind::Mixed);
    assert_eq!(doc.quotes[0].speaker_entity, Some(0));
}

#[test]
fn speakers_resolve_through_the_document() {
    let text = "Secretary of State John Kerry arrived on Monday. Maria Lopez met him.\n\n\
        “We are ready,” Kerry said.\n\n\
        “So are we,” she said.\n\n\
        “Good,” he responded. “Then we can start.”\n\n\
        The Secretary responded that the talks would go on.\n\n\
        A State Department spokesman said the schedule was not final.";
    let doc = annotate(
        text,
        &[("John Kerry", 0), ("Kerry", 0), ("Maria Lopez", 1)],
        &[(0, "Secretary of State")],
    );
    // Surname to the full entity.
    assert_eq!(find(&doc, "We are ready").speaker_entity, Some(0));
    // Pronouns to the most recent person of their gender.
    assert_eq!(find(&doc, "So are we").speaker_entity, Some(1));
    assert_eq!(find(&doc, "Good").speaker_entity, Some(0));
    // A role noun to the entity holding the role.
    let role = find(&doc, "talks would go on");
    assert_eq!(speaker(&doc, role).as_deref(), Some("The Secretary"));
    assert_eq!(role.speaker_entity, Some(0));
    // An unnamed source keeps its words and no entity.
    let unnamed = find(&doc, "schedule was not final");
    assert_eq!(
        speaker(&doc, unnamed).as_deref(),
        Some("A State Department spokesman")
    );
    assert_eq!(unnamed.speaker_entity, None);
}

#[test]
fn inverted_attribution_with_apposition() {
    let text = "“The plan is dead,” said Tad Devine, a senior adviser to the campaign.";
    let doc = annotate(text, &[("Tad Devine", 0)], &[]);
    assert_eq!(doc.quotes.len(), 1);
    assert_eq!(
        speaker(&doc, &doc.quotes[0]).as_deref(),
        Some("Tad Devine, a senior adviser to the campaign")
    );
    assert_eq!(doc.quotes[0].speaker_entity, Some(0));
}

#[test]
fn pathological_inputs_stay_well_formed() {
    let marks = "“‘".repeat(2_000) + &"’”".repeat(2_000);
    let said = "he said, ".repeat(2_000);
    let stray = "\" ' “ ” ‘ ’ « » „ ".repeat(500);
    for text in [marks, said, stray] {
        let doc = annotate(&text, &[], &[]);
        for q in &doc.quotes {
            assert!(!q.content.is_empty());
            for s in q.content.iter().chain(q.speaker.iter()).chain(q.cue.iter()) {
                assert!(s.end <= doc.text.len() && s.start <= s.end);
                assert!(doc.text.is_char_boundary(s.start) && doc.text.is_char_boundary(s.end));
            }
        }
    }
}
