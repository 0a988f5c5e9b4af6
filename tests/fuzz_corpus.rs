//! Replays the fuzz corpus (`fuzz/corpus/pipeline/`, seeded from `fixtures/`, plus every input
//! that once crashed, in `fuzz/regressions/`) through the same function the fuzz target calls.
//! CI cannot run cargo-fuzz (it needs a nightly compiler); this keeps its findings fixed.

use std::path::Path;

#[test]
fn every_corpus_input_ends_in_a_result_or_a_diagnostic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut replayed = 0;
    for dir in ["corpus/pipeline", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path).unwrap();
            let code = jixiao::fuzzing::run_bytes(&bytes);
            assert!(
                [0, 1, 3].contains(&code),
                "{}: exit code {code}",
                path.display()
            );
            replayed += 1;
        }
    }
    assert!(
        replayed >= 30,
        "the corpus is missing: only {replayed} inputs"
    );
}
