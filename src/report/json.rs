//! The JSON printer: the trace serialised as documented in docs/trace-json.md.

use crate::trace::Trace;

pub fn render(trace: &Trace) -> String {
    // The trace holds only strings, numbers-as-strings, vectors and plain structs, none of
    // which can fail to serialise; the fallback keeps the printer total all the same.
    let mut out =
        serde_json::to_string_pretty(trace).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}
