//! `jixiao check RULES`

use std::path::Path;

use jixiao::diagnostics::Look;
use jixiao::pipeline::{self, Failure};

pub fn run(rules: &Path, look: Look) -> Result<(), Failure> {
    let source = pipeline::read(rules)?;
    let checked = pipeline::check_rules(&source)?;
    super::warn(&checked, look);
    super::to_stdout(&format!(
        "ok: {} — {} indicators, {} inputs\n",
        source.name(),
        checked.rulebook.indicators.len(),
        checked.rulebook.inputs.len()
    ))
}
