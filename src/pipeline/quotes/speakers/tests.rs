//! Speaker resolution, one case per rule. Mentions and entities are given by hand
//! (name, entity, label), so that these check the resolver, whatever the entity stage
//! finds; the quote stage runs whole, as in production.

use crate::pipeline::document::{EntityType, Quote};
use crate::pipeline::quotes::QuoteStage;
use crate::pipeline::stage::{RunContext, Stage};
use crate::pipeline::testing;

struct Annotated {
    text: String,
    quotes: Vec<Quote>,
    names: Vec<String>,
}

impl Annotated {
    /// The name of the entity that speaks the quote containing `needle`.
    fn speaker_of(&self, needle: &str) -> Option<&str> {
        let q = self
            .quotes
            .iter()
            .find(|q| {
                q.content
                    .iter()
                    .any(|c| self.text[c.range()].contains(needle))
            })
            .unwrap_or_else(|| panic!("no quote holds {needle:?}: {:?}", self.quotes));
        q.speaker_entity.map(|e| self.names[e].as_str())
    }
}

/// Marks every occurrence of each name as a mention of its entity (longest first) and
/// runs the quote stage. `roles` are the entity stage's roles of an entity.
fn annotate(
    text: &str,
    people: &[(&str, usize, EntityType)],
    roles: &[(usize, &str)],
) -> Annotated {
    let mut doc = testing::with_entities(text, people, roles);
    QuoteStage::new()
        .run(&mut doc, &RunContext::default())
        .expect("the quote stage runs on a segmented document with entities");
    Annotated {
        text: text.to_string(),
        quotes: doc.quotes().expect("quotes layer").to_vec(),
        names: doc
            .entities()
            .expect("entities layer")
            .iter()
            .map(|e| e.name.clone())
            .collect(),
    }
}

const P: EntityType = EntityType::Person;
const O: EntityType = EntityType::Org;

#[test]
fn a_pronoun_goes_to_the_person_just_mentioned_not_the_story_subject() {
    let text = "Jeffrey Epstein was arrested on Saturday. Epstein has denied the charges.\n\n\
                Senator Ron Wyden called for an inquiry on Monday.\n\n\
                \"This is a scandal that has gone on for far too long,\" he said.";
    let doc = annotate(
        text,
        &[
            ("Jeffrey Epstein", 0, P),
            ("Epstein", 0, P),
            ("Ron Wyden", 1, P),
        ],
        &[],
    );
    assert_eq!(doc.speaker_of("a scandal"), Some("Ron Wyden"));
}

#[test]
fn a_pronoun_agrees_in_gender() {
    let text = "Taylor Swift has left her label. Scott Borchetta founded Big Machine in 2005.\n\n\
                \"I am sad and grossed out by what happened,\" she said.";
    let doc = annotate(
        text,
        &[
            ("Taylor Swift", 0, P),
            ("Scott Borchetta", 1, P),
            ("Big Machine", 2, O),
        ],
        &[],
    );
    assert_eq!(doc.speaker_of("grossed out"), Some("Taylor Swift"));
}

#[test]
fn an_abbreviated_place_read_as_a_person_is_no_antecedent() {
    let text = "Wendy Golden lost her son. He was 20. He was planning a move away.\n\n\
                N.B. officials never followed up on the case.\n\n\
                \"That's why I chose to fight to have something done,\" she said.";
    let doc = annotate(
        text,
        &[
            ("Wendy Golden", 0, P),
            ("N.B.", 1, P),
            ("Moncton", 2, EntityType::Loc),
        ],
        &[],
    );
    assert_eq!(doc.speaker_of("chose to fight"), Some("Wendy Golden"));
}

#[test]
fn gender_comes_from_honorifics_and_from_pronouns_already_used() {
    // Neither first name is in the census lists: "Ms." and "she" tell.
    let text = "Darian Lonechild met Yuki Tanaka in Regina. Lonechild said she was hopeful.\n\n\
                Mr. Tanaka spoke next.\n\n\
                \"We have a long way to go before police earn that trust,\" she said.";
    let doc = annotate(
        text,
        &[
            ("Darian Lonechild", 0, P),
            ("Lonechild", 0, P),
            ("Yuki Tanaka", 1, P),
            ("Tanaka", 1, P),
        ],
        &[],
    );
    assert_eq!(doc.speaker_of("a long way"), Some("Darian Lonechild"));
}

#[test]
fn it_goes_to_an_organisation_never_to_a_person_or_place() {
    let text = "Google was fined by the European Commission in Brussels. Sundar Pichai was \
                not there.\n\n\"We will appeal the decision in the courts,\" it said.";
    let doc = annotate(
        text,
        &[
            ("Google", 0, O),
            ("Sundar Pichai", 1, P),
            ("Brussels", 2, EntityType::Loc),
        ],
        &[],
    );
    assert_eq!(doc.speaker_of("appeal the decision"), Some("Google"));
}

#[test]
fn a_role_noun_goes_to_the_holder_of_the_role() {
    let text = "Carolyn Bennett, the minister of Crown-Indigenous Relations, visited Saskatoon. \
                Defence lawyer Mark Brayford was also there.\n\n\
                \"We are listening to the families,\" the minister said.\n\n\
                \"My client will plead not guilty to every one of the charges,\" the lawyer said.";
    let doc = annotate(
        text,
        &[("Carolyn Bennett", 0, P), ("Mark Brayford", 1, P)],
        &[],
    );
    assert_eq!(
        doc.speaker_of("listening to the families"),
        Some("Carolyn Bennett")
    );
    assert_eq!(doc.speaker_of("plead not guilty"), Some("Mark Brayford"));
}

#[test]
fn a_title_before_the_name_is_a_role_in_its_full_form() {
    let text = "Sen. Elizabeth Warren and Gov. Andrew Cuomo met on Monday.\n\n\
                \"Nobody should be above the law in this country,\" the senator said.";
    let doc = annotate(
        text,
        &[("Elizabeth Warren", 0, P), ("Andrew Cuomo", 1, P)],
        &[],
    );
    assert_eq!(doc.speaker_of("above the law"), Some("Elizabeth Warren"));
}

#[test]
fn a_role_nobody_holds_stays_unresolved() {
    let text = "John Smith was charged on Monday.\n\n\
                \"The evidence will show what happened that night,\" the prosecutor said.";
    let doc = annotate(text, &[("John Smith", 0, P)], &[]);
    assert_eq!(doc.speaker_of("evidence will show"), None);
}

#[test]
fn the_entity_stage_roles_count_too() {
    let text = "John Kerry met Sergei Lavrov in Geneva.\n\n\
                \"We made real progress on the ceasefire today,\" the Secretary said.";
    let doc = annotate(
        text,
        &[("John Kerry", 0, P), ("Sergei Lavrov", 1, P)],
        &[(0, "Secretary of State"), (1, "Foreign Minister")],
    );
    assert_eq!(doc.speaker_of("real progress"), Some("John Kerry"));
}

#[test]
fn the_company_goes_to_the_organisation_named_by_its_head() {
    let text = "The Canada Border Services Agency detained him in March. Air Canada \
                flew him home.\n\n\"Each case is assessed on its own merits,\" the agency said.";
    let doc = annotate(
        text,
        &[
            ("Canada Border Services Agency", 0, O),
            ("Air Canada", 1, O),
        ],
        &[],
    );
    assert_eq!(
        doc.speaker_of("own merits"),
        Some("Canada Border Services Agency")
    );
}

#[test]
fn a_place_never_speaks() {
    let text = "\"We will not accept these tariffs on our steel,\" Canada said on Friday.";
    let doc = annotate(text, &[("Canada", 0, EntityType::Loc)], &[]);
    assert_eq!(doc.speaker_of("these tariffs"), None);
}

#[test]
fn a_run_of_quotes_keeps_its_speaker() {
    // Ana Ruiz is nearer, but the quotes around are Lopez's.
    let text = "Maria Lopez runs the shelter.\n\n\
                \"We have never been this full before,\" Lopez said. Ana Ruiz, a \
                volunteer, was also there.\n\n\
                \"Some nights we turn away ten families or more,\" she said.";
    let doc = annotate(
        text,
        &[("Maria Lopez", 0, P), ("Lopez", 0, P), ("Ana Ruiz", 1, P)],
        &[],
    );
    assert_eq!(doc.speaker_of("ten families"), Some("Maria Lopez"));
}

#[test]
fn an_organisation_that_only_modifies_the_head_is_not_the_speaker() {
    let text = "WHL commissioner Ron Robison met the Kelowna Rockets on Monday.\n\n\
                The league has not been served with a claim, the WHL commissioner said.";
    let doc = annotate(
        text,
        &[
            ("Ron Robison", 0, P),
            ("WHL", 1, O),
            ("Kelowna Rockets", 2, O),
        ],
        &[],
    );
    assert_eq!(doc.speaker_of("not been served"), Some("Ron Robison"));
}

#[test]
fn a_document_speaks_for_nobody_unless_a_possessive_says_whose() {
    let text = "Shannon Phillips visited Calgary. John Smith was charged.\n\n\
                \"These reports are deeply concerning to all of us,\" her statement said.\n\n\
                \"He taped the windows shut before he left the house,\" the complaint said.";
    let doc = annotate(
        text,
        &[("Shannon Phillips", 0, P), ("John Smith", 1, P)],
        &[],
    );
    assert_eq!(
        doc.speaker_of("deeply concerning"),
        Some("Shannon Phillips")
    );
    assert_eq!(doc.speaker_of("taped the windows"), None);
}

#[test]
fn the_president_alone_is_the_us_president_the_article_names() {
    let text = "The President met congress members Wednesday, telling them that he did not \
                need their authority to act.\n\nLater, Obama called Nouri Maliki.";
    let doc = annotate(text, &[("Obama", 0, P), ("Nouri Maliki", 1, P)], &[]);
    assert_eq!(doc.speaker_of("need their authority"), Some("Obama"));
}

#[test]
fn a_name_after_a_complement_is_still_the_speaker() {
    let text = "Surrey council met on Monday.\n\n\
                University of the Fraser Valley political scientist Hamish Telford said \
                the council was divided.\n\n\
                Surrey staff said there are no plans to do this at this point.";
    let doc = annotate(
        text,
        &[
            ("Surrey", 0, O),
            ("University of the Fraser Valley", 1, O),
            ("Hamish Telford", 2, P),
        ],
        &[],
    );
    assert_eq!(
        doc.speaker_of("council was divided"),
        Some("Hamish Telford")
    );
    assert_eq!(doc.speaker_of("no plans"), Some("Surrey"));
}

#[test]
fn a_gendered_word_counts_only_beside_the_name() {
    // "his mother approached Gillis" says nothing of Gillis; "Jayme" alone is a first
    // name, and an object's pronouns ("ordered Jayme to … his") are not hers.
    let text = "Maria Lopez met Stephen Gillis. His mother approached Gillis on Friday.\n\n\
                \"We will find him a kidney donor before the summer,\" she said.\n\n\
                Patterson took Jayme to his cabin. Jayme said she could hear the sirens.\n\n\
                \"I would have opened fire on the officers,\" he told detectives.";
    let doc = annotate(
        text,
        &[
            ("Maria Lopez", 0, P),
            ("Stephen Gillis", 1, P),
            ("Gillis", 1, P),
            ("Patterson", 2, P),
            ("Jayme", 3, P),
        ],
        &[],
    );
    assert_eq!(doc.speaker_of("kidney donor"), Some("Maria Lopez"));
    assert_eq!(doc.speaker_of("opened fire"), Some("Patterson"));
}
