#!/usr/bin/env bash
# CI for a jixiao rules repository: every rule file formatted and checked, every department's
# trace as stored. Run from the repository root; needs `jixiao` on PATH. See docs/ci.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target

jixiao fmt --check rules
for rules in rules/*.jx; do
  jixiao check "$rules"
done
jixiao test --junit target/junit.xml
