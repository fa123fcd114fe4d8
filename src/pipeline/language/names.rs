//! Language codes and names: whatlang's ISO 639-3 codes, the ISO 639-1 codes the
//! answer reports and the English names a refusal and the reading view use, from one
//! data file (`resources/languages/iso639.tsv`).

use std::sync::LazyLock;

const TABLE: &str = include_str!("../../../resources/languages/iso639.tsv");

/// (ISO 639-3, ISO 639-1, English name), one row per language whatlang detects.
static ROWS: LazyLock<Vec<(&'static str, &'static str, &'static str)>> = LazyLock::new(|| {
    TABLE
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some((f.next()?, f.next()?, f.next()?))
        })
        .collect()
});

/// The ISO 639-1 code of a language given by its ISO 639-3 code (`deu` → `de`).
pub fn iso639_1(iso639_3: &str) -> Option<&'static str> {
    ROWS.iter().find(|r| r.0 == iso639_3).map(|r| r.1)
}

/// The English name of a language given by its ISO 639-1 code (`de` → `German`); the
/// code itself for a code not in the table.
pub fn english_name(code: &str) -> &str {
    ROWS.iter().find(|r| r.1 == code).map_or(code, |r| r.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_whatlang_detects_has_a_code_and_a_name() {
        for lang in whatlang::Lang::all() {
            let code = iso639_1(lang.code())
                .unwrap_or_else(|| panic!("{} is not in iso639.tsv", lang.code()));
            assert_eq!(code.len(), 2, "{code}");
            assert_ne!(english_name(code), code);
        }
        assert_eq!(ROWS.len(), whatlang::Lang::all().len());
        assert_eq!(english_name("de"), "German");
        assert_eq!(iso639_1("spa"), Some("es"));
    }
}
