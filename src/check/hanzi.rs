//! Folding traditional characters to simplified ones for "did you mean", so a name typed with
//! a traditional input method (全年預算數) finds its simplified spelling (全年预算数). The table
//! covers the characters of budget and performance tables, not the whole script: a name that
//! differs elsewhere is still found by edit distance.

/// Traditional → simplified, sorted by the traditional character for binary search.
const TABLE: &[(char, char)] = &[
    ('個', '个'),
    ('們', '们'),
    ('價', '价'),
    ('優', '优'),
    ('兒', '儿'),
    ('內', '内'),
    ('劃', '划'),
    ('務', '务'),
    ('區', '区'),
    ('員', '员'),
    ('問', '问'),
    ('單', '单'),
    ('團', '团'),
    ('執', '执'),
    ('報', '报'),
    ('場', '场'),
    ('壞', '坏'),
    ('實', '实'),
    ('將', '将'),
    ('專', '专'),
    ('對', '对'),
    ('層', '层'),
    ('幣', '币'),
    ('廣', '广'),
    ('態', '态'),
    ('應', '应'),
    ('戶', '户'),
    ('採', '采'),
    ('擔', '担'),
    ('據', '据'),
    ('數', '数'),
    ('條', '条'),
    ('標', '标'),
    ('檔', '档'),
    ('權', '权'),
    ('歲', '岁'),
    ('歸', '归'),
    ('決', '决'),
    ('況', '况'),
    ('準', '准'),
    ('滿', '满'),
    ('濟', '济'),
    ('為', '为'),
    ('無', '无'),
    ('營', '营'),
    ('產', '产'),
    ('畫', '画'),
    ('發', '发'),
    ('監', '监'),
    ('確', '确'),
    ('種', '种'),
    ('積', '积'),
    ('節', '节'),
    ('範', '范'),
    ('級', '级'),
    ('結', '结'),
    ('統', '统'),
    ('經', '经'),
    ('綜', '综'),
    ('維', '维'),
    ('緊', '紧'),
    ('線', '线'),
    ('編', '编'),
    ('總', '总'),
    ('績', '绩'),
    ('織', '织'),
    ('聯', '联'),
    ('職', '职'),
    ('與', '与'),
    ('萬', '万'),
    ('處', '处'),
    ('覆', '复'),
    ('規', '规'),
    ('覽', '览'),
    ('計', '计'),
    ('記', '记'),
    ('設', '设'),
    ('評', '评'),
    ('詢', '询'),
    ('試', '试'),
    ('調', '调'),
    ('請', '请'),
    ('諮', '咨'),
    ('證', '证'),
    ('議', '议'),
    ('變', '变'),
    ('貨', '货'),
    ('費', '费'),
    ('資', '资'),
    ('質', '质'),
    ('購', '购'),
    ('贏', '赢'),
    ('轉', '转'),
    ('辦', '办'),
    ('週', '周'),
    ('運', '运'),
    ('過', '过'),
    ('達', '达'),
    ('違', '违'),
    ('選', '选'),
    ('還', '还'),
    ('醫', '医'),
    ('錄', '录'),
    ('長', '长'),
    ('門', '门'),
    ('開', '开'),
    ('間', '间'),
    ('關', '关'),
    ('隊', '队'),
    ('際', '际'),
    ('險', '险'),
    ('雜', '杂'),
    ('離', '离'),
    ('難', '难'),
    ('預', '预'),
    ('領', '领'),
    ('額', '额'),
    ('類', '类'),
    ('顯', '显'),
    ('餘', '余'),
    ('驗', '验'),
    ('體', '体'),
    ('點', '点'),
];

/// `name` with every traditional character in the table replaced by its simplified form.
pub(crate) fn fold(name: &str) -> String {
    name.chars().map(fold_char).collect()
}

/// A traditional character in the table as its simplified form; any other as it is.
pub(crate) fn fold_char(c: char) -> char {
    TABLE
        .binary_search_by(|(t, _)| t.cmp(&c))
        .map_or(c, |i| TABLE[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_for_binary_search() {
        assert!(
            TABLE.windows(2).all(|w| w[0].0 <= w[1].0),
            "sort TABLE by its first column"
        );
    }

    #[test]
    fn folds_budget_words() {
        assert_eq!(fold("全年預算數"), "全年预算数");
        assert_eq!(fold("“三公”經費控制率"), "“三公”经费控制率");
        assert_eq!(fold("预算执行率"), "预算执行率");
    }
}
