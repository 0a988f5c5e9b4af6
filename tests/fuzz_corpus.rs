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

/// The fuzz input format can carry an imported file, and the import is followed in memory: the
/// imports fixture, written as one input, scores (exit 0) as the fixture does, and the same
/// rule file without its imported part fails with a located import error (exit 3).
#[test]
fn an_input_can_carry_the_file_it_imports() {
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/pipeline/imports-in-one-input");
    let bytes = std::fs::read(seed).unwrap();
    assert_eq!(jixiao::fuzzing::run_bytes(&bytes), 0);
    let sep = jixiao::fuzzing::IMPORT_SEPARATOR;
    let cut = bytes.windows(sep.len()).position(|w| w == sep).unwrap();
    let data = bytes
        .windows(jixiao::fuzzing::SEPARATOR.len())
        .position(|w| w == jixiao::fuzzing::SEPARATOR)
        .unwrap();
    let mut alone = bytes[..cut].to_vec();
    alone.extend_from_slice(&bytes[data..]);
    assert_eq!(jixiao::fuzzing::run_bytes(&alone), 3);
}
