//! Clustering tests: mentions placed by hand on segmented text.

use super::*;
use crate::pipeline::stage::RunContext;
use crate::pipeline::testing;

/// A segmented document with mentions placed by hand: `(text, nth occurrence, type)`.
fn doc_with(text: &str, mentions: &[(&str, usize, EntityType)]) -> Document {
    let mut doc = testing::segmented(text);
    let mut found = Vec::new();
    for &(m, nth, label) in mentions {
        let start = text
            .match_indices(m)
            .nth(nth)
            .unwrap_or_else(|| panic!("{m:?} #{nth} not in text"))
            .0;
        found.push(Mention {
            span: Span::new(start, start + m.len()),
            region: Region::Body,
            label,
            entity: usize::MAX,
        });
    }
    found.sort_by_key(|m| m.span.start);
    let (mentions, entities) = cluster(&doc, found, &RunContext::default()).unwrap();
    doc.set_mentions(mentions);
    doc.set_entities(entities);
    doc
}

/// The entity holding the mention with this text (the first such mention).
fn entity_of<'d>(doc: &'d Document, mention: &str) -> &'d Entity {
    let m = doc
        .mentions()
        .unwrap()
        .iter()
        .find(|m| doc.slice(m.span, Region::Body).unwrap() == mention)
        .unwrap_or_else(|| panic!("no mention {mention:?}"));
    &doc.entities().unwrap()[m.entity]
}

fn same_entity(doc: &Document, names: &[&str]) -> bool {
    let ids: Vec<usize> = doc
        .mentions()
        .unwrap()
        .iter()
        .filter(|m| names.contains(&doc.slice(m.span, Region::Body).unwrap()))
        .map(|m| m.entity)
        .collect();
    !ids.is_empty() && ids.iter().all(|&e| e == ids[0])
}

use EntityType::*;

#[test]
fn person_full_name_title_and_last_name() {
    let doc = doc_with(
        "Secretary of State John Kerry said on Monday that talks would go on. \
         Secretary Kerry spoke later. \"No,\" Kerry said. Kerry left. Kerry waved.",
        &[
            ("John Kerry", 0, Person),
            ("Kerry", 1, Person),
            ("Kerry", 2, Org),
            ("Kerry", 3, Org),
            ("Kerry", 4, Org),
        ],
    );
    assert_eq!(doc.entities().unwrap().len(), 1);
    let e = &doc.entities().unwrap()[0];
    assert_eq!(e.name, "John Kerry");
    assert_eq!(
        e.label, Person,
        "short forms of a person's name vote for a person"
    );
    assert_eq!(e.mentions.len(), 5);
    assert!(
        e.roles.iter().any(|r| r == "Secretary of State"),
        "{:?}",
        e.roles
    );
    assert!(e.roles.iter().any(|r| r == "Secretary"), "{:?}", e.roles);
}

#[test]
fn title_inside_the_mention_is_a_role_not_the_name() {
    let doc = doc_with(
        "President Obama met Kerry. Obama said nothing.",
        &[
            ("President Obama", 0, Person),
            ("Kerry", 0, Person),
            ("Obama", 1, Person),
        ],
    );
    let e = entity_of(&doc, "President Obama");
    assert_eq!(e.name, "Obama");
    assert_eq!(e.roles, ["President"]);
    assert!(same_entity(&doc, &["President Obama", "Obama"]));
    assert_eq!(doc.entities().unwrap().len(), 2);
}

#[test]
fn particle_and_possessive_variants_join() {
    let doc = doc_with(
        "Iraqi Prime Minister Nouri al-Maliki resigned. Maliki's party objected, \
         and Nouri Maliki left.",
        &[
            ("Iraqi", 0, Misc),
            ("Nouri al-Maliki", 0, Person),
            ("Maliki's", 0, Person),
            ("Nouri Maliki", 0, Person),
        ],
    );
    assert!(same_entity(
        &doc,
        &["Nouri al-Maliki", "Maliki's", "Nouri Maliki"]
    ));
    let e = entity_of(&doc, "Nouri al-Maliki");
    assert!(
        e.roles.iter().any(|r| r == "Prime Minister"),
        "{:?}",
        e.roles
    );
    assert_eq!(doc.entities().unwrap().len(), 2);
}

#[test]
fn country_acronyms_and_aliases() {
    let doc = doc_with(
        "The US said the United States would act. U.S. officials and America agreed; \
         the UN and the United Nations did not.",
        &[
            ("US", 0, Loc),
            ("United States", 0, Loc),
            ("U.S.", 0, Loc),
            ("America", 0, Loc),
            ("UN", 0, Org),
            ("United Nations", 0, Org),
        ],
    );
    assert!(same_entity(
        &doc,
        &["US", "United States", "U.S.", "America"]
    ));
    assert!(same_entity(&doc, &["UN", "United Nations"]));
    assert_eq!(doc.entities().unwrap().len(), 2);
    assert_eq!(
        doc.entities().unwrap()[0].name,
        "United States",
        "numbered by first mention"
    );
}

#[test]
fn acronym_before_its_expansion() {
    let doc = doc_with(
        "NATO met today. The North Atlantic Treaty Organization said so.",
        &[
            ("NATO", 0, Org),
            ("North Atlantic Treaty Organization", 0, Org),
        ],
    );
    assert_eq!(doc.entities().unwrap().len(), 1);
    assert_eq!(
        doc.entities().unwrap()[0].name,
        "North Atlantic Treaty Organization"
    );
}

#[test]
fn organisation_short_form() {
    let doc = doc_with(
        "The Wall Street Journal reported it. The Journal added that Wall Street fell.",
        &[
            ("The Wall Street Journal", 0, Org),
            ("Journal", 1, Org),
            ("Wall Street", 1, Loc),
        ],
    );
    assert!(same_entity(&doc, &["The Wall Street Journal", "Journal"]));
    assert_eq!(doc.entities().unwrap()[0].name, "Wall Street Journal");
    assert_eq!(
        doc.entities().unwrap().len(),
        2,
        "Wall Street is not the Journal"
    );
}

#[test]
fn organisation_without_generic_words() {
    let doc = doc_with(
        "NBC News aired it. NBC said General Motors and Motors differ.",
        &[
            ("NBC News", 0, Org),
            ("NBC", 1, Org),
            ("General Motors", 0, Org),
            ("Motors", 1, Org),
        ],
    );
    assert!(same_entity(&doc, &["NBC News", "NBC"]));
    let gm = entity_of(&doc, "General Motors");
    assert_eq!(gm.name, "General Motors");
    assert!(gm.roles.is_empty());
    assert_eq!(gm.mentions.len(), 1, "a generic last word is no short form");
}

#[test]
fn a_generic_word_is_not_the_organisation() {
    let doc = doc_with(
        "NBC News aired it. Yahoo News and the News said so.",
        &[
            ("NBC News", 0, Org),
            ("Yahoo News", 0, Org),
            ("News", 2, Org),
        ],
    );
    assert_eq!(
        doc.entities().unwrap().len(),
        3,
        "News is neither NBC News nor Yahoo News"
    );
}

#[test]
fn the_same_name_with_another_type_is_another_entity() {
    let doc = doc_with(
        "PITTSBURGH 1996-08-22 Pittsburgh beat Houston. John Kerry met Kerry.",
        &[
            ("PITTSBURGH", 0, Loc),
            ("Pittsburgh", 0, Org),
            ("Houston", 0, Org),
            ("John Kerry", 0, Person),
            ("Kerry", 1, Org),
        ],
    );
    assert!(!same_entity(&doc, &["PITTSBURGH", "Pittsburgh"]));
    assert!(same_entity(&doc, &["John Kerry", "Kerry"]));
}

#[test]
fn locations_do_not_join_by_last_word() {
    let doc = doc_with(
        "New York and York are far apart.",
        &[("New York", 0, Loc), ("York", 1, Loc)],
    );
    assert_eq!(doc.entities().unwrap().len(), 2);
}

#[test]
fn same_last_name_goes_to_the_nearest_before() {
    let doc = doc_with(
        "George Bush spoke. Bush left. Jeb Bush arrived. Bush waved.",
        &[
            ("George Bush", 0, Person),
            ("Bush", 1, Person),
            ("Jeb Bush", 0, Person),
            ("Bush", 3, Person),
        ],
    );
    assert_eq!(doc.entities().unwrap().len(), 2);
    // Mentions in text order: George Bush, Bush, Jeb Bush, Bush.
    let e: Vec<usize> = doc.mentions().unwrap().iter().map(|m| m.entity).collect();
    assert_eq!(e, [0, 0, 1, 1]);
}

#[test]
fn roles_from_apposition_and_former() {
    let doc = doc_with(
        "John Kirby, a State Department spokesman, said so. Former President Bill Clinton \
         agreed.",
        &[("John Kirby", 0, Person), ("Bill Clinton", 0, Person)],
    );
    assert_eq!(
        entity_of(&doc, "John Kirby").roles,
        ["State Department spokesman"]
    );
    assert_eq!(entity_of(&doc, "Bill Clinton").roles, ["former President"]);
}

#[test]
fn salience_favours_frequent_early_entities() {
    let doc = doc_with(
        "Kerry met Lavrov. Kerry spoke. Kerry left. Much later, Smith arrived.",
        &[
            ("Kerry", 0, Person),
            ("Lavrov", 0, Person),
            ("Kerry", 1, Person),
            ("Kerry", 2, Person),
            ("Smith", 0, Person),
        ],
    );
    let s = |n: &str| entity_of(&doc, n).salience;
    assert!(s("Kerry") > s("Lavrov"));
    assert!(s("Lavrov") > s("Smith"));
    assert!(doc
        .entities()
        .unwrap()
        .iter()
        .all(|e| (0.0..=1.0).contains(&e.salience)));
}

#[test]
fn every_mention_points_at_its_entity() {
    let doc = doc_with(
        "Kerry met Lavrov in Geneva. Lavrov and Kerry agreed.",
        &[
            ("Kerry", 0, Person),
            ("Lavrov", 0, Person),
            ("Geneva", 0, Loc),
            ("Lavrov", 1, Person),
            ("Kerry", 1, Person),
        ],
    );
    for (e, ent) in doc.entities().unwrap().iter().enumerate() {
        for &m in &ent.mentions {
            assert_eq!(doc.mentions().unwrap()[m].entity, e);
        }
    }
    assert_eq!(doc.entities().unwrap().len(), 3);
    assert_eq!(doc.entities().unwrap()[0].name, "Kerry");
}

#[test]
fn a_mention_is_checked_against_a_bounded_number_of_entities() {
    // Hostile input (issue 11, item 4): thousands of different people named Smith. Each
    // later "Smith" is offered only the most recent of them, not all.
    let mut index = index::Candidates::default();
    for e in 0..5_000 {
        index.add(&[format!("p{e}"), "smith".to_string()], e);
    }
    let mut found = Vec::new();
    index.of(&["smith".to_string()], &mut found);
    assert_eq!(found.len(), index::BUCKET);
    assert!(found.contains(&4_999) && !found.contains(&0));
    index.of(&["p7".to_string(), "smith".to_string()], &mut found);
    assert!(found.contains(&7), "the same name is always found");
}

#[test]
fn many_distinct_names_stay_distinct() {
    // 3,000 distinct capitalised two-word names and their last words: every short form
    // finds its own full name among thousands of entities.
    let names: Vec<String> = (0..3_000).map(|i| format!("Zq{i} Xv{i}")).collect();
    let mut text = names.join(". ");
    text.push_str(". ");
    let lasts: Vec<String> = (0..3_000).map(|i| format!("Xv{i}")).collect();
    text.push_str(&lasts.join(" . "));
    let doc = doc_with_words(&text, &names, &lasts);
    assert_eq!(doc.entities().unwrap().len(), 3_000);
    assert!(doc
        .entities()
        .unwrap()
        .iter()
        .all(|e| e.mentions.len() == 2));
}

/// A document with mentions at every full name and at the later last words, placed by
/// position (names may be prefixes of others: "Xv1" of "Xv10").
fn doc_with_words(text: &str, names: &[String], lasts: &[String]) -> Document {
    let mut doc = testing::segmented(text);
    let mut found = Vec::new();
    let mut at = 0;
    for n in names {
        found.push(Mention {
            span: Span::new(at, at + n.len()),
            region: Region::Body,
            label: Person,
            entity: usize::MAX,
        });
        at += n.len() + 2;
    }
    for l in lasts {
        found.push(Mention {
            span: Span::new(at, at + l.len()),
            region: Region::Body,
            label: Person,
            entity: usize::MAX,
        });
        at += l.len() + 3;
    }
    assert_eq!(&text[found[3_000].span.range()], "Xv0");
    let (mentions, entities) = cluster(&doc, found, &RunContext::default()).unwrap();
    doc.set_mentions(mentions);
    doc.set_entities(entities);
    doc
}
