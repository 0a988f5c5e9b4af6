//! The `let`s visible at a point of a rule file: a name → id index with a stack of the names
//! added, so a block's lets are removed when it ends. Look-ups are by the index: a linear scan
//! of the visible lets made a file of 100,000 lets take 15 s to check.

use std::collections::BTreeMap;

use crate::model::LetId;

#[derive(Default)]
pub(super) struct Scope {
    /// Every visible name, with the ids that bear it, innermost last.
    visible: BTreeMap<String, Vec<LetId>>,
    /// The names in the order they were added, to undo a block.
    added: Vec<String>,
}

impl Scope {
    /// The innermost visible let of this name.
    pub(super) fn get(&self, name: &str) -> Option<LetId> {
        self.visible.get(name).and_then(|ids| ids.last().copied())
    }

    pub(super) fn push(&mut self, name: &str, id: LetId) {
        self.visible.entry(name.to_string()).or_default().push(id);
        self.added.push(name.to_string());
    }

    /// A mark to return to when the current block ends.
    pub(super) fn mark(&self) -> usize {
        self.added.len()
    }

    /// Removes every let added since `mark`.
    pub(super) fn truncate(&mut self, mark: usize) {
        while self.added.len() > mark {
            let Some(name) = self.added.pop() else { break };
            if let Some(ids) = self.visible.get_mut(&name) {
                ids.pop();
                if ids.is_empty() {
                    self.visible.remove(&name);
                }
            }
        }
    }

    /// Every visible name, for "did you mean".
    pub(super) fn names(&self) -> impl Iterator<Item = &str> {
        self.visible.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_removes_only_its_own_lets() {
        let mut scope = Scope::default();
        scope.push("甲", LetId(0));
        let mark = scope.mark();
        scope.push("乙", LetId(1));
        scope.push("甲", LetId(2));
        assert_eq!(
            (scope.get("甲"), scope.get("乙")),
            (Some(LetId(2)), Some(LetId(1)))
        );
        scope.truncate(mark);
        assert_eq!((scope.get("甲"), scope.get("乙")), (Some(LetId(0)), None));
        assert_eq!(scope.names().collect::<Vec<_>>(), ["甲"]);
    }
}
