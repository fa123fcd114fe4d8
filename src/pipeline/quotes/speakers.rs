//! Who a speaker phrase is: an entity of the document, found through its mentions.
//!
//! - A phrase holding a mention (`Kerry`, `Secretary of State John Kerry`) is that
//!   mention's entity: the entity stage has already joined surnames to full names.
//! - A pronoun (`he`, `she`) is the most recent person of compatible gender, counting
//!   both person mentions and earlier speakers. Gender comes from a first-name list and
//!   from the honorific before a mention (`Mr.`, `Mrs.`).
//! - A role noun (`the Secretary`, `the President`) is the entity holding that role:
//!   `Entity::roles`, or the title written just before one of its mentions.
//! - `who` is the name it follows; an indefinite phrase (`a source`, `officials`) stays
//!   unresolved.
//!
//! Speakers are visited in text order with one cursor over the mentions, so resolving
//! all of them is linear in the number of mentions and quotes.

use std::ops::Range;
use std::sync::LazyLock;

use super::attribution::is_pronoun;
use super::Ctx;
use crate::pipeline::document::{EntityType, Region, TokenKind};
use crate::text::words::WordSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
    Unknown,
}

/// Titles that name a role, lowercase (`Secretary`, `Sen.`).
pub static TITLES: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new([
        "president",
        "secretary",
        "senator",
        "sen",
        "sen.",
        "governor",
        "gov",
        "gov.",
        "representative",
        "rep",
        "rep.",
        "congressman",
        "congresswoman",
        "minister",
        "premier",
        "chancellor",
        "mayor",
        "judge",
        "justice",
        "speaker",
        "leader",
        "chairman",
        "chairwoman",
        "chair",
        "director",
        "ambassador",
        "general",
        "gen.",
        "king",
        "queen",
        "pope",
        "candidate",
        "nominee",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "commissioner",
        "attorney",
        "chief",
        "prosecutor",
        "sheriff",
        "pastor",
        "ceo",
        "founder",
        "adviser",
        "advisor",
    ])
});

static INDEFINITE: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new([
        "a",
        "an",
        "another",
        "some",
        "several",
        "many",
        "most",
        "one",
        "two",
        "three",
        "four",
        "few",
        "other",
        "others",
        "officials",
        "sources",
        "source",
        "aides",
        "analysts",
        "experts",
        "critics",
        "people",
        "observers",
        "insiders",
        "supporters",
        "residents",
        "voters",
    ])
});

static MALE_TITLES: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::new(["mr", "mr.", "sir", "king", "father", "brother"]));
static FEMALE_TITLES: LazyLock<WordSet> =
    LazyLock::new(|| WordSet::new(["mrs", "mrs.", "ms", "ms.", "miss", "madam", "queen", "lady"]));

/// Common first names of people in English-language news (a hand-made list).
static MALE_NAMES: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new([
        "john", "donald", "barack", "bernie", "ted", "marco", "jeb", "ben", "chris", "mike",
        "michael", "paul", "rand", "joe", "bill", "george", "mitt", "newt", "rick", "scott",
        "james", "robert", "david", "richard", "thomas", "charles", "mark", "steven", "steve",
        "kevin", "brian", "jeff", "jeffrey", "tim", "timothy", "eric", "jason", "gary", "larry",
        "frank", "peter", "tom", "jim", "bob", "ron", "ronald", "jack", "harry", "henry",
        "vladimir", "xi", "benjamin", "bashar", "nouri", "hassan", "recep", "emmanuel", "boris",
        "justin", "narendra", "kim", "mitch", "lindsey", "marco", "reince", "corey", "sean",
        "stephen", "jared", "andrew", "anthony", "matt", "matthew", "dan", "daniel", "ryan",
        "nick", "tony", "al", "dick", "john", "martin", "jesse", "ed", "edward", "sam", "samuel",
        "william", "ken", "kenneth", "gregory", "greg", "carl", "luis", "jose", "juan", "carlos",
        "ali", "mohammed", "muhammad", "ahmed", "abdullah", "francis", "pat", "patrick", "rudy",
        "chuck", "jerry", "harold", "walter", "roger", "raymond", "dennis", "terry", "wayne",
    ])
});

static FEMALE_NAMES: LazyLock<WordSet> = LazyLock::new(|| {
    WordSet::new([
        "hillary",
        "sarah",
        "nancy",
        "elizabeth",
        "michelle",
        "melania",
        "ivanka",
        "carly",
        "condoleezza",
        "madeleine",
        "angela",
        "theresa",
        "marine",
        "kellyanne",
        "huma",
        "chelsea",
        "mary",
        "patricia",
        "jennifer",
        "linda",
        "barbara",
        "susan",
        "jessica",
        "karen",
        "lisa",
        "betty",
        "margaret",
        "sandra",
        "ashley",
        "kimberly",
        "emily",
        "donna",
        "michele",
        "carol",
        "amanda",
        "melissa",
        "deborah",
        "stephanie",
        "rebecca",
        "laura",
        "sharon",
        "cynthia",
        "kathleen",
        "amy",
        "shirley",
        "anna",
        "ann",
        "anne",
        "debbie",
        "kate",
        "katie",
        "samantha",
        "nikki",
        "loretta",
        "janet",
        "dianne",
        "diane",
        "kamala",
        "elena",
        "sonia",
        "ruth",
        "claire",
        "jane",
        "julie",
        "maria",
        "rachel",
        "heather",
        "nicole",
        "christine",
        "hope",
        "megyn",
        "tulsi",
        "jill",
        "gina",
        "valerie",
        "susana",
        "jeanne",
        "gennifer",
        "paula",
        "marsha",
        "kelly",
        "dana",
        "katrina",
        "joni",
        "kirsten",
        "amy",
        "tammy",
        "maxine",
    ])
});

struct Person {
    gender: Gender,
    /// Lowercase role words (`secretary`, `state`, `president`).
    roles: Vec<String>,
}

/// The token index at or after byte `pos`.
fn token_at(cx: &Ctx, pos: usize) -> usize {
    cx.doc.tokens.partition_point(|t| t.span.start < pos)
}

fn profile(cx: &Ctx) -> Vec<Person> {
    let doc = cx.doc;
    let mut people: Vec<Person> = doc
        .entities
        .iter()
        .map(|e| Person {
            gender: Gender::Unknown,
            roles: e
                .roles
                .iter()
                .flat_map(|r| r.split_whitespace())
                .map(str::to_lowercase)
                .collect(),
        })
        .collect();
    for m in doc.mentions {
        if m.region != Region::Body || m.entity >= people.len() {
            continue;
        }
        let p = &mut people[m.entity];
        let first_word = doc
            .span_text(m.span)
            .split_whitespace()
            .next()
            .unwrap_or("");
        if p.gender == Gender::Unknown {
            if MALE_NAMES.contains(first_word) {
                p.gender = Gender::Male;
            } else if FEMALE_NAMES.contains(first_word) {
                p.gender = Gender::Female;
            }
        }
        // Titles and honorifics written just before the mention.
        let t = token_at(cx, m.span.start);
        let mut k = t;
        while k > 0 && t - k < 4 {
            let i = k - 1;
            if !matches!(doc.tokens[i].kind, TokenKind::Word) {
                break;
            }
            let w = doc.token_text(i);
            let capital = w.starts_with(char::is_uppercase);
            if !(capital || w == "of") {
                break;
            }
            if p.gender == Gender::Unknown {
                if MALE_TITLES.contains(w) {
                    p.gender = Gender::Male;
                } else if FEMALE_TITLES.contains(w) {
                    p.gender = Gender::Female;
                }
            }
            if capital && TITLES.contains(w) {
                let lw = w.to_lowercase();
                if !p.roles.contains(&lw) {
                    p.roles.push(lw);
                }
            }
            k = i;
        }
        // Titles inside the mention itself (`Secretary Kerry`).
        for w in doc.span_text(m.span).split_whitespace() {
            if TITLES.contains(w) {
                let lw = w.to_lowercase();
                if !p.roles.contains(&lw) {
                    p.roles.push(lw);
                }
            }
        }
    }
    people
}

fn gender_of_pronoun(w: &str) -> Option<Gender> {
    match w.to_ascii_lowercase().as_str() {
        "he" | "him" | "his" => Some(Gender::Male),
        "she" | "her" | "hers" => Some(Gender::Female),
        _ => None,
    }
}

/// Resolves each speaker phrase (token ranges, in any order) to an entity index.
pub fn resolve(cx: &Ctx, speakers: &[Option<Range<usize>>]) -> Vec<Option<usize>> {
    let doc = cx.doc;
    let people = profile(cx);
    let mut order: Vec<usize> = (0..speakers.len())
        .filter(|&i| speakers[i].is_some())
        .collect();
    order.sort_by_key(|&i| speakers[i].as_ref().map(|r| r.start));
    let mut mentions: Vec<usize> = (0..doc.mentions.len())
        .filter(|&m| doc.mentions[m].region == Region::Body)
        .collect();
    mentions.sort_by_key(|&m| doc.mentions[m].span.start);

    let mut out = vec![None; speakers.len()];
    // The most recent person seen, by gender: (byte position, entity).
    let mut recent: [Option<(usize, usize)>; 3] = [None; 3];
    let slot = |g: Gender| match g {
        Gender::Male => 0,
        Gender::Female => 1,
        Gender::Unknown => 2,
    };
    let mut cursor = 0;
    for i in order {
        let r = speakers[i].clone().expect("filtered");
        let span_start = doc.tokens[r.start].span.start;
        let span_end = doc.tokens[r.end - 1].span.end;
        // Advance over the mentions before the speaker.
        while cursor < mentions.len() && doc.mentions[mentions[cursor]].span.start < span_start {
            let m = &doc.mentions[mentions[cursor]];
            if m.label == EntityType::Person && m.entity < people.len() {
                recent[slot(people[m.entity].gender)] = Some((m.span.start, m.entity));
            }
            cursor += 1;
        }
        let first = doc.token_text(r.start);
        let found = if r.len() == 1 && is_pronoun(first) {
            gender_of_pronoun(first).and_then(|g| {
                let a = recent[slot(g)];
                let b = recent[slot(Gender::Unknown)];
                match (a, b) {
                    (Some(a), Some(b)) => Some(if a.0 >= b.0 { a.1 } else { b.1 }),
                    (x, y) => x.or(y).map(|p| p.1),
                }
            })
        } else if r.len() == 1 && first.eq_ignore_ascii_case("who") {
            // The name just before `, who`.
            let k = cursor;
            (k > 0)
                .then(|| &doc.mentions[mentions[k - 1]])
                .filter(|m| span_start - m.span.end <= 4)
                .map(|m| m.entity)
        } else if INDEFINITE.contains(first) {
            None
        } else {
            inside(cx, &mentions, cursor, span_end).or_else(|| by_role(cx, &people, &r, &recent))
        };
        if let Some(e) = found {
            let g = people.get(e).map_or(Gender::Unknown, |p| p.gender);
            let g = match (g, gender_of_pronoun(first)) {
                (Gender::Unknown, Some(pg)) => pg,
                (g, _) => g,
            };
            recent[slot(g)] = Some((span_start, e));
        }
        out[i] = found;
    }
    out
}

/// The entity of the first mention inside the phrase (a person first), skipping
/// possessives (`Clinton's campaign` is not Clinton).
fn inside(cx: &Ctx, mentions: &[usize], from: usize, end: usize) -> Option<usize> {
    let doc = cx.doc;
    let mut any = None;
    for &m in mentions[from..]
        .iter()
        .take_while(|&&m| doc.mentions[m].span.start < end)
    {
        let mention = &doc.mentions[m];
        let after = token_at(cx, mention.span.end);
        let possessive = after < doc.tokens.len()
            && doc.tokens[after].span.start == mention.span.end
            && matches!(doc.token_text(after), "'s" | "’s" | "'" | "’");
        if possessive {
            continue;
        }
        if mention.label == EntityType::Person {
            return Some(mention.entity);
        }
        any = any.or(Some(mention.entity));
    }
    any
}

/// `the Secretary`, `the President`: the entity holding the role named in the phrase.
fn by_role(
    cx: &Ctx,
    people: &[Person],
    r: &Range<usize>,
    recent: &[Option<(usize, usize)>; 3],
) -> Option<usize> {
    let doc = cx.doc;
    let role = r
        .clone()
        .map(|i| doc.token_text(i).to_lowercase())
        .find(|w| TITLES.contains(w))?;
    let holders: Vec<usize> = (0..people.len())
        .filter(|&e| people[e].roles.contains(&role))
        .collect();
    if holders.is_empty() {
        // Nobody was introduced with the title: better no entity than a guess.
        return None;
    }
    // Prefer the holder seen most recently, then the most salient.
    let recent_holder = recent
        .iter()
        .flatten()
        .filter(|(_, e)| holders.contains(e))
        .max_by_key(|(p, _)| *p)
        .map(|&(_, e)| e);
    recent_holder.or_else(|| {
        holders.into_iter().max_by(|&a, &b| {
            doc.entities[a]
                .salience
                .partial_cmp(&doc.entities[b].salience)
                .unwrap_or(std::cmp::Ordering::Equal)
        })
    })
}
