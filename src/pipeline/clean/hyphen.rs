//! Words hyphenated across a line break are joined: "inter-\nnational" becomes
//! "international". Only a hyphen between a letter and a line break, followed on the
//! next line by a lower-case letter, is taken for a break hyphen; "Jean-\nPaul" and a
//! dash at the end of a line stay.

use crate::pipeline::alignment::{AlignedBuilder, Alignment};

/// Joins hyphenated words; `None` when there were none.
pub(super) fn join(text: &str) -> Option<(String, Alignment)> {
    if !text.contains("-\n") {
        return None;
    }
    let mut b = AlignedBuilder::with_capacity(text.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(k) = text[from..].find("-\n") {
        let at = from + k;
        from = at + 2;
        let before = text[..at].chars().next_back();
        let after = text[at + 2..].chars().next();
        if before.is_some_and(char::is_alphabetic) && after.is_some_and(char::is_lowercase) {
            b.copy(text, copied..at);
            copied = at + 2;
        }
    }
    super::finish_pass(b, text, copied, copied != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn break_hyphens_are_joined() {
        let (t, a) = join("an inter-\nnational deal").unwrap();
        assert_eq!(t, "an international deal");
        assert!(a.is_consistent(23));
        assert_eq!(a.to_input(9..13), 11..15);
    }

    #[test]
    fn other_hyphens_stay() {
        assert!(join("Jean-\nPaul and 1990-\n91 and x -\ny").is_none());
    }
}
