//! The detector's verdicts on bodies in the languages the issue names, and on the short
//! English texts a trigram detector gets wrong.

use super::*;

const GERMAN: &str = "Die Bundesregierung hat am Mittwoch entschieden, dass die neuen Regeln \
    schon im kommenden Jahr gelten sollen. Der Minister sagte, man habe lange mit den Ländern \
    verhandelt und sei nun zufrieden mit dem Ergebnis.";
const SPANISH: &str = "El Gobierno aprobó el martes una reforma que cambiará las pensiones de \
    millones de personas. Según Feijóo, la medida llega tarde y no resuelve los problemas de \
    fondo del sistema, que según los expertos necesita más cambios.";
const FRENCH: &str = "Le gouvernement a présenté mercredi un projet de loi qui doit réformer \
    le système des retraites. Selon le ministre, les syndicats ont été consultés pendant \
    plusieurs mois avant que le texte ne soit soumis au Parlement.";
const ENGLISH: &str = "The city council approved the new budget on Tuesday after a debate \
    that lasted more than six hours. Critics said the increase in fees would fall on the \
    poorest residents of the city and on its small shops.";

#[test]
fn bodies_in_german_spanish_and_french_are_named() {
    let stage = LanguageStage::new();
    for (text, code) in [(GERMAN, "de"), (SPANISH, "es"), (FRENCH, "fr")] {
        let v = stage.detect(text);
        assert_eq!(v.code, code, "{text}");
        assert!(v.reliable && v.confidence > 0.5, "{v:?}");
    }
    assert_eq!(english_name("es"), "Spanish");
}

#[test]
fn english_is_detected_reliably() {
    let v = LanguageStage::new().detect(ENGLISH);
    assert_eq!(v.code, "en");
    assert!(v.reliable, "{v:?}");
}

#[test]
fn short_or_mixed_texts_are_taken_as_english() {
    let stage = LanguageStage::new();
    for text in [
        "“We will win,” Biden said.",
        "Apple shares fell 3% on Tuesday.",
        "Shinzo Abe has died, NHK said.",
        "Rhedodd y ffordd newydd.",
        // English around a German quotation is English.
        "The chancellor said in Berlin that “wir schaffen das” and that the country would cope with the arrivals of the year.",
    ] {
        assert_eq!(stage.detect(text).code, "en", "{text}");
    }
}

#[test]
fn the_body_is_judged_not_the_short_lines_around_it() {
    let text = format!("Teilen\nDrucken\nMehr zum Thema\n{ENGLISH}\nKommentare");
    assert_eq!(LanguageStage::new().detect(&text).code, "en");
}
