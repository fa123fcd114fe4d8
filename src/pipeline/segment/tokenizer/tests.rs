//! Tests of the tokenizer on the conventions of news text.

use super::*;

fn toks(text: &str) -> Vec<(&str, TokenKind)> {
    let mut v = Vec::new();
    tokenize(text, &mut v);
    v.iter().map(|t| (&text[t.span.range()], t.kind)).collect()
}

fn words(text: &str) -> Vec<&str> {
    toks(text).into_iter().map(|(w, _)| w).collect()
}

#[test]
fn abbreviations_and_initials_keep_their_period() {
    assert_eq!(
        words("Mr. Smith met Sen. Jones."),
        ["Mr.", "Smith", "met", "Sen.", "Jones", "."]
    );
    assert_eq!(
        words("the U.S. and J.R.R. Tolkien"),
        ["the", "U.S.", "and", "J.R.R.", "Tolkien"]
    );
    assert_eq!(words("John F. Kennedy"), ["John", "F.", "Kennedy"]);
    assert_eq!(words("on Sept. 11"), ["on", "Sept.", "11"]);
    assert_eq!(words("U.S.-led forces"), ["U.S.-led", "forces"]);
}

#[test]
fn possessives_split_contractions_do_not() {
    assert_eq!(words("Iran's plan"), ["Iran", "'s", "plan"]);
    assert_eq!(words("Neumann’s firm"), ["Neumann", "’s", "firm"]);
    assert_eq!(words("don't O'Neill"), ["don't", "O'Neill"]);
    assert_eq!(words("in the '90s"), ["in", "the", "'90s"]);
    assert_eq!(words("Iran 's"), ["Iran", "'s"]);
}

#[test]
fn numbers_keep_separators() {
    assert_eq!(words("$6.5 billion"), ["$", "6.5", "billion"]);
    assert_eq!(
        words("3,000 people, 4.5%"),
        ["3,000", "people", ",", "4.5", "%"]
    );
    assert_eq!(words("at 11:03 PM"), ["at", "11:03", "PM"]);
    assert_eq!(toks("1990s")[0].1, TokenKind::Word);
    assert_eq!(toks("3,000")[0].1, TokenKind::Number);
}

#[test]
fn quotes_of_every_style_are_tokens() {
    let t = toks("“Yes,” he said. «Non» „Ja“ 'no' \"ok\"");
    let quotes: Vec<&str> = t
        .iter()
        .filter(|t| t.1 == TokenKind::Quote)
        .map(|t| t.0)
        .collect();
    assert_eq!(quotes, ["“", "”", "«", "»", "„", "“", "'", "'", "\"", "\""]);
}

#[test]
fn dashes_and_hyphens() {
    assert_eq!(words("Iran – that"), ["Iran", "–", "that"]);
    assert_eq!(words("hand-in-hand—now"), ["hand-in-hand", "—", "now"]);
    assert_eq!(words("a -- b"), ["a", "--", "b"]);
    assert_eq!(toks("—")[0].1, TokenKind::Dash);
}

#[test]
fn urls_and_emails() {
    let t = toks("See https://example.com/a?b=1. Mail jane.doe@example.com, or visit bbc.co.uk.");
    assert_eq!(t[1], ("https://example.com/a?b=1", TokenKind::Url));
    assert_eq!(t[4], ("jane.doe@example.com", TokenKind::Email));
    assert_eq!(t[8], ("bbc.co.uk", TokenKind::Url));
    assert_eq!(words("said.The"), ["said", ".", "The"]);
}

#[test]
fn ellipsis_and_question_runs() {
    assert_eq!(words("well... why?!"), ["well", "...", "why", "?!"]);
}

#[test]
fn initials_of_several_letters() {
    assert_eq!(
        words("J.R.R. Tolkien wrote"),
        ["J.R.R.", "Tolkien", "wrote"]
    );
    assert_eq!(words("Sen. John McCain"), ["Sen.", "John", "McCain"]);
    assert_eq!(
        words("the U.N. and Mr. Ban"),
        ["the", "U.N.", "and", "Mr.", "Ban"]
    );
}

#[test]
fn all_caps_headline_with_abbreviations() {
    assert_eq!(
        words("KERRY: U.S. TO SHARE INFO WITH IRAN'S LEADERS"),
        ["KERRY", ":", "U.S.", "TO", "SHARE", "INFO", "WITH", "IRAN", "'S", "LEADERS"]
    );
}

#[test]
fn numbers_joined_to_words_as_conll_has_them() {
    assert_eq!(words("a 26-year-old man"), ["a", "26-year-old", "man"]);
    assert_eq!(words("a 37-run win"), ["a", "37-run", "win"]);
    assert_eq!(toks("26-year-old")[0].1, TokenKind::Word);
    // Between digits the hyphen is still a separator: scores and dates.
    assert_eq!(
        words("won 6-4 on 1996-08-22"),
        ["won", "6-4", "on", "1996-08-22"]
    );
    assert_eq!(words("6- 4"), ["6-", "4"]);
}

#[test]
fn signed_and_bare_decimals() {
    assert_eq!(
        words("rose +0.435 to .596"),
        ["rose", "+0.435", "to", ".596"]
    );
    assert_eq!(toks("+44")[0].1, TokenKind::Number);
    assert_eq!(toks(".596")[0].1, TokenKind::Number);
    // A sentence's period before a number stays punctuation.
    assert_eq!(words("in 1996.5 more"), ["in", "1996.5", "more"]);
    assert_eq!(words("end. 5 more"), ["end", ".", "5", "more"]);
    assert_eq!(words("Tel+44"), ["Tel", "+", "44"]);
}

#[test]
fn currencies_and_ampersand_names() {
    assert_eq!(words("C$ 1.5 million"), ["C$", "1.5", "million"]);
    assert_eq!(words("US$6.5"), ["US$", "6.5"]);
    assert_eq!(
        words("the S&P 500 and AT&T"),
        ["the", "S&P", "500", "and", "AT&T"]
    );
    assert_eq!(words("Marks & Spencer"), ["Marks", "&", "Spencer"]);
}

#[test]
fn clitics_of_pre_tokenized_text() {
    assert_eq!(words("I 'm sure we 've"), ["I", "'m", "sure", "we", "'ve"]);
    assert_eq!(words("do n't"), ["do", "n't"]);
    // A quotation that opens with such letters is still a quotation.
    assert_eq!(words("'move on'"), ["'", "move", "on", "'"]);
}

#[test]
fn sports_result_table() {
    let table = "1. Michael Schumacher (Germany) Ferrari 1:32.456\n\
                 2. Damon Hill (Britain) Williams 1:33.001\n\
                 Leeds 2 Chelsea 1\n\
                 Standings: W D L F A Pts";
    assert_eq!(
        words(table),
        [
            "1.",
            "Michael",
            "Schumacher",
            "(",
            "Germany",
            ")",
            "Ferrari",
            "1:32.456",
            "2.",
            "Damon",
            "Hill",
            "(",
            "Britain",
            ")",
            "Williams",
            "1:33.001",
            "Leeds",
            "2",
            "Chelsea",
            "1",
            "Standings",
            ":",
            "W",
            "D",
            "L",
            "F",
            "A",
            "Pts"
        ]
    );
    // Only at the start of a line is "2." a list number.
    assert_eq!(words("scored 2. Then"), ["scored", "2", ".", "Then"]);
}

#[test]
fn all_caps_headline() {
    assert_eq!(
        words("SOCCER - JAPAN GET LUCKY WIN , CHINA IN SURPRISE DEFEAT ."),
        [
            "SOCCER", "-", "JAPAN", "GET", "LUCKY", "WIN", ",", "CHINA", "IN", "SURPRISE",
            "DEFEAT", "."
        ]
    );
}

#[test]
fn pathological_inputs_terminate() {
    for s in [
        "''''",
        "'",
        "a'",
        "U.",
        "U.S",
        "x@",
        "@@",
        "www.",
        "1.",
        "-",
        "‘’‘’",
    ] {
        let mut v = Vec::new();
        tokenize(s, &mut v);
        assert!(!v.is_empty(), "{s:?}");
    }
}
