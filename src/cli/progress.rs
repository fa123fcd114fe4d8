//! The progress line of `annotate --jsonl` on stderr: how many documents are done and
//! how fast. Shown only when stderr is a terminal, so that scripts and scorers reading
//! stderr (or a log file) see nothing extra. The total is not known when requests are
//! streamed on stdin, so there is a count and a rate, not a bar with an ETA.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A running count of documents on stderr, or `None` when stderr is not a terminal.
pub fn documents() -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} {human_pos} documents annotated · {per_sec} · {elapsed_precise}",
        )
        .expect("the template is valid"),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    Some(bar)
}
