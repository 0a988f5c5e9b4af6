//! Stage 3 (data file → [`Department`]), the fast way in for JSON: a department read as it is
//! scanned, for `jixiao batch`, which reads a million a run. A target list (twenty records a
//! department of the seed's shape) is read record by record: a plain record straight from its
//! scanned fields ([`records::plain_record`]), any other out of one table reused for each, never
//! built as a tree of its own and then taken apart; every other value is scanned into its node
//! and read as the tree's are.
//!
//! Every value goes through the same [`Reader`] as the tree's, or through the same parts of it,
//! in the same order, so a department read here is the department the tree gives. At the first
//! thing this way does not read — text the scanner leaves to the full parser, or anything wrong
//! with the data — it gives up, and [`super::load_as`] reads the text again by the tree, which
//! says every error in its usual words and order. Tests hold the two ways to the same
//! department.

use super::fit::{Fit, Key};
use super::json::{Scanner, placeholder};
use super::records::{self, Scalar, Scalars};
use super::tree::{Node, Spanned};
use super::{Datum, Department, Reader};
use crate::model::{InputType, Rulebook};
use crate::source::{SourceFile, Span};

/// The department of `source`, a JSON text; `None` when it is not read this way (see above).
pub(super) fn department(rules: &Rulebook, source: &SourceFile) -> Option<Department> {
    let mut s = Scanner::new(source.text());
    let mut reader = Reader {
        rules,
        errors: Vec::new(),
        form: source.is_cells(),
    };
    let mut fit = Fit::new(rules);
    s.space();
    if s.peek()? != b'{' {
        return None;
    }
    // `{}` reads as the tree reads it: every input missing.
    let mut more = s.open(b'}');
    while more {
        let (key, key_span) = s.key()?;
        let list = match s.peek()? {
            b'[' => fit
                .input(&key)
                .filter(|&i| rules.inputs[i].ty == InputType::TargetList),
            _ => None,
        };
        match list {
            Some(_) => {
                let Key::Input(i) = reader.key(&mut fit, key.clone(), key_span) else {
                    return None;
                };
                // A list's range (`input … > 0`) is a number's: a list has none to check.
                *fit.value_mut(i) = Some(Datum::Targets(targets(&mut s, &mut reader, &key)?));
            }
            None => {
                let mut value = placeholder();
                s.value(1, &mut value)?;
                reader.entry(&mut fit, key, key_span, value);
            }
        }
        if !reader.errors.is_empty() {
            return None;
        }
        more = s.next(b'}')?;
    }
    s.space();
    if !s.done() {
        return None;
    }
    let department = reader.fitted(fit, source)?;
    reader.errors.is_empty().then_some(department)
}

/// The records of the target list `list`, read one by one; the scanner stands on its `[`.
/// `None` at the first record that is not plain or not right.
fn targets<'a>(
    s: &mut Scanner<'a>,
    reader: &mut Reader,
    list: &str,
) -> Option<Vec<super::TargetRecord>> {
    // Room for the twenty-odd records of a department's table, grown once for a longer one.
    let mut records = Vec::with_capacity(32);
    // One table for every record read the long way: its entries are cleared and read again.
    let mut entries = Vec::with_capacity(8);
    // And one set of fields for every record read the short way, with the order in which the
    // last one gave them: the order to expect in the next.
    let mut fields: Scalars = [None; records::FIELDS];
    let mut order = Order::default();
    let mut more = s.open(b']');
    while more {
        if s.peek()? != b'{' {
            return None;
        }
        let start = s.at;
        // Most records are plain, and read the short way straight from their fields.
        if scalars(s, &mut fields, &mut order).is_some() {
            let present = fields.iter().enumerate().filter(|(_, f)| f.is_some());
            if records::only_levels(present.map(|(i, _)| Some(i))) {
                // A row that only names its levels is no record, as in the tree.
                more = s.next(b']')?;
                continue;
            }
            if records::plain_record(&fields, Span::new(start, s.at), &mut records).is_some() {
                more = s.next(b']')?;
                continue;
            }
        }
        s.at = start;
        entries.clear();
        s.entries(2, &mut entries)?;
        let item = Spanned {
            node: Node::Table(entries),
            span: Span::new(start, s.at),
        };
        // A row that only names its levels is no record, as in the tree.
        if !records::level_only(&item) {
            records.push(reader.target_record(list, &item)?);
        }
        let Node::Table(table) = item.node else {
            return None;
        };
        entries = table;
        more = s.next(b']')?;
    }
    Some(records)
}

/// The fields of a record in the order it gives them.
#[derive(Default)]
struct Order {
    fields: [usize; records::FIELDS],
    len: usize,
}

/// The fields of the record the scanner stands on (its `{`) into `fields`, when each key is a
/// field of a record, none given twice, and each value a string or a number; `None` for any
/// other record (the scanner left where it stopped). `order` is the order of the last record's
/// fields, each key first tried as the field that stood there; it becomes this record's.
fn scalars<'a>(s: &mut Scanner<'a>, fields: &mut Scalars<'a>, order: &mut Order) -> Option<()> {
    *fields = [None; records::FIELDS];
    let mut more = s.open(b'}');
    let mut k = 0;
    while more {
        let expected = order.fields[..order.len].get(k).copied();
        let i = match expected {
            Some(i) if s.key_is(records::TARGET_FIELDS[i]) => i,
            Some(_) | None => records::field_of(&s.key()?.0)?,
        };
        let field = &mut fields[i];
        if field.is_some() {
            return None;
        }
        let start = s.at;
        let value = match s.peek()? {
            b'"' => Scalar::Text(s.string()?),
            b'0'..=b'9' => match s.plain_number() {
                Some(digits) => Scalar::Digits(digits),
                None => Scalar::Number(s.number()?),
            },
            b'-' => Scalar::Number(s.number()?),
            _ => return None,
        };
        *field = Some((value, Span::new(start, s.at)));
        // A field given twice is refused above, so a record gives at most FIELDS of them.
        order.fields[k] = i;
        k += 1;
        more = s.next(b'}')?;
    }
    order.len = k;
    Some(())
}

#[cfg(test)]
mod tests {
    //! Read as scanned, or by the tree: the same department, or the stream gives way.
    use super::super::json::tests::{apply, edit, rules};
    use super::*;
    use proptest::prelude::*;

    /// `text` read both ways: a department read as scanned is the tree's, and whatever the
    /// scanner reads that the tree reads without error, the stream reads too.
    fn agree(rules: &Rulebook, text: &str) -> Result<(), TestCaseError> {
        let source = SourceFile::new("d.json", text);
        let streamed = department(rules, &source).map(|d| format!("{d:?}"));
        let tree = super::super::json::scan(text)
            .map(|tree| super::super::read(rules, tree, &source).map(|d| format!("{d:?}")));
        match (streamed, tree) {
            (Some(streamed), Some(Ok(tree))) => prop_assert_eq!(streamed, tree, "{:?}", text),
            (Some(_), other) => {
                prop_assert!(
                    false,
                    "read as scanned, but the tree gives {other:?}: {text:?}"
                )
            }
            (None, Some(Ok(_))) => prop_assert!(false, "the stream gave way on {text:?}"),
            (None, None | Some(Err(_))) => {}
        }
        Ok(())
    }

    /// A department of the seed's shape whose 分值 add up to the indicator's 90 points, with
    /// now and then what a form adds: levels, a level-only row, a reason, a reported score, an
    /// extra column, the name and year, the keys in any order.
    fn departments() -> impl Strategy<Value = String> {
        let record = (
            0u32..60,
            1u32..200,
            0u32..200,
            any::<bool>(),
            10u32..40,
            0u8..8,
        )
            .prop_map(|(i, t, a, at_least, points, extra)| {
                let (op, unit) = if at_least { ("≥", "篇") } else { ("≤", "万元") };
                let more = match extra {
                    0 => r#","一级指标":"产出指标","二级指标":"数量指标""#.to_string(),
                    1 => r#","偏差原因":"天气原因""#.to_string(),
                    2 => r#","备注":"见附件","年初预算数":12.5"#.to_string(),
                    3 => format!(r#","得分":{}"#, points / 20),
                    _ => String::new(),
                };
                (
                    points,
                    format!(
                        r#"{{"名称":"指标{i}","指标值":"{op}{t}{unit}","实际完成值":"{a}{unit}"{more},"分值":"#
                    ),
                )
            });
        (
            0u32..1000,
            1000u64..400_000,
            0u64..100,
            prop::collection::vec(record, 1..22),
            any::<bool>(),
            0u8..4,
        )
            .prop_map(|(d, budget, less, records, level_row, head)| {
                let spent = budget - budget * less / 1000;
                let mut left = 900u32;
                let n = records.len();
                let mut list: Vec<String> = records
                    .into_iter()
                    .enumerate()
                    .map(|(k, (points, record))| {
                        let points = if k + 1 == n { left } else { points };
                        left -= points;
                        format!("{record}{}.{}}}", points / 10, points % 10)
                    })
                    .collect();
                if level_row {
                    list.insert(
                        n / 2,
                        r#"{"一级指标":"效益指标","二级指标":"社会效益指标"}"#.into(),
                    );
                }
                let money = format!(
                    r#""全年预算数":{}.{:02},"全年执行数":{}.{:02}"#,
                    budget / 100,
                    budget % 100,
                    spent / 100,
                    spent % 100
                );
                let targets = format!(r#""绩效指标":[{}]"#, list.join(","));
                match head {
                    0 => format!(r#"{{"部门":"部门{d}",{money},{targets}}}"#),
                    1 => format!(r#"{{{targets},"年度":2023,{money}}}"#),
                    2 => format!(r#"{{ {money} , "部门" : "部门{d}" , {targets} }}"#),
                    _ => format!("{{\n  {targets},\n  {money},\n  \"年度\": \"2023\"\n}}\n"),
                }
            })
    }

    /// 指标值 as tables might write them, beside the plain `"≥4篇"`: white space, separators,
    /// full-width signs and digits, words, a bare number, a sign the long way refuses.
    const TARGETS: &[&str] = &[
        r#""≥4篇""#,
        r#""≤90万元""#,
        r#""=100%""#,
        r#""≥95%""#,
        r#"" ≥4篇 ""#,
        r#""≥ 4 篇""#,
        r#""≥3,156.9万元""#,
        r#""≥4．5篇""#,
        r#""≥４篇""#,
        r#""≥4％""#,
        r#""达成预期指标""#,
        r#"">4篇""#,
        r#""4篇""#,
        r#""≥4""#,
        r#""≥0.5篇""#,
        r#""≥4.篇""#,
        r#""≥4篇5""#,
        "4",
        r#""≥-4篇""#,
        r#""≥1，000元""#,
        r#""≥4e3篇""#,
        r#""≥.5篇""#,
        r#""≤4\u3000篇""#,
        r#""≥4%篇""#,
        r#""≥4% 篇""#,
        r#""≥达成""#,
    ];

    /// 实际完成值 likewise, beside the plain `"4篇"`.
    const ACTUALS: &[&str] = &[
        r#""4篇""#,
        r#""3篇""#,
        r#""4""#,
        r#""0.91""#,
        r#""91%""#,
        r#""95%""#,
        r#""4万元""#,
        r#"" 4篇""#,
        r#""4 篇""#,
        r#""4,000篇""#,
        r#""达成""#,
        "4",
        "0.5",
        r#""4％""#,
        r#""4篇篇""#,
        r#""4.0篇""#,
        r#""99999999999999999999篇""#,
        r#""5%篇""#,
        r#""100""#,
        r#""4% 篇""#,
        r#""4%篇""#,
    ];

    /// Every pairing of a target and an actual value of the lists above, with each kind of
    /// 分值 and 得分, reads as the tree reads it. (A record beside it takes the rest of the 90
    /// points, so that a department whose record is read reads whole.)
    #[test]
    fn every_pairing_of_a_target_and_an_actual_value_reads_as_the_trees() {
        let rules = rules();
        let points = [
            ("", 0),
            (r#","分值":30.0"#, 60),
            (r#","分值":0"#, 90),
            (r#","分值":-1"#, 91),
            (r#","分值":"30""#, 60),
            (r#","分值":3e1"#, 60),
            (r#","分值":30"#, 60),
            // JSON's numbers that plain digits are not, or that are no JSON.
            (r#","分值":030"#, 60),
            (r#","分值":30.00"#, 60),
            (r#","分值":3E1"#, 60),
            (r#","分值":30."#, 60),
            (r#","分值":1234567890123456789"#, 60),
        ];
        let reported = [
            "",
            r#","得分":1"#,
            r#","得分":31"#,
            r#","得分":-1"#,
            r#","得分":"1""#,
            r#","得分":30"#,
            r#","得分":30.5"#,
            r#","得分":00"#,
            r#","得分":0.50"#,
        ];
        for target in TARGETS {
            for actual in ACTUALS {
                for (points, rest) in points {
                    for reported in reported {
                        let line = format!(
                            r#"{{"全年预算数":100.00,"全年执行数":90.00,"绩效指标":[{{"名称":"指标1","指标值":{target},"实际完成值":{actual}{points}{reported}}},{{"名称":"指标2","指标值":"≥4篇","实际完成值":"4篇","分值":{rest}}}]}}"#
                        );
                        if let Err(e) = agree(&rules, &line) {
                            panic!("{e}");
                        }
                    }
                }
            }
        }
    }

    /// A field of a record, written as a table might have it: mostly as a plain record has it
    /// (`plain`), often not (absent, or one of `odd`: white space, separators, full-width
    /// signs, words, a number for a text or text for a number, out of bounds), so that a record
    /// read the short way meets each reason to leave it to the long way.
    fn field(
        name: &'static str,
        plain: &'static str,
        odd: &[&'static str],
    ) -> impl Strategy<Value = String> {
        let odd: Vec<Option<&'static str>> = odd.iter().map(|v| Some(*v)).chain([None]).collect();
        prop_oneof![
            3 => Just(Some(plain)),
            1 => prop::sample::select(odd),
        ]
        .prop_map(move |v| v.map_or(String::new(), |v| format!(r#","{name}":{v}"#)))
    }

    /// A department of one to three records of any shape (see [`field`]), each worth its share
    /// of the 90 points when its 分值 is plain.
    fn odd_departments() -> impl Strategy<Value = String> {
        let record = (
            field("名称", r#""指标1""#, &["5", r#"" 指标 ""#, r#""""#]),
            prop_oneof![
                Just(String::new()),
                field("一级指标", r#""产出指标""#, &["1"])
            ],
            field("指标值", r#""≥4篇""#, TARGETS),
            field("实际完成值", r#""4篇""#, ACTUALS),
            (0u8..13, 0u8..10),
            prop_oneof![
                Just(String::new()),
                field("偏差原因", r#""天气原因""#, &["2"])
            ],
            prop::sample::select(vec![
                "",
                "",
                "",
                "",
                "",
                "",
                r#","备注":"见附件""#,
                r#","指标性质":"≥""#,
                r#","度量单位":"篇""#,
                r#","度量单位":"%""#,
                r#","等级":"达成""#,
                r#","名称":"又一个""#,
                r#","分值":1"#,
            ]),
        );
        (prop::collection::vec(record, 1..4), any::<bool>()).prop_map(|(records, level_row)| {
            let n = records.len();
            let share = 90 / n;
            let mut list: Vec<String> = records
                .into_iter()
                .map(
                    |(name, level, target, actual, (points, reported), reason, odd)| {
                        let points = match points {
                            0 => String::new(),
                            1 => format!(r#","分值":{share}.0"#),
                            2 => r#","分值":0"#.to_string(),
                            3 => r#","分值":-1"#.to_string(),
                            4 => format!(r#","分值":"{share}""#),
                            5 => format!(r#","分值":{share}e0"#),
                            6 => format!(r#","分值":" {share}.0 ""#),
                            7 => r#","分值":"1,000""#.to_string(),
                            8 => r#","分值":"４""#.to_string(),
                            9 => format!(r#","分值":"{share}分""#),
                            10 => r#","分值":"0""#.to_string(),
                            _ => format!(r#","分值":{share}"#),
                        };
                        let reported = match reported {
                            0 => r#","得分":1"#.to_string(),
                            1 => format!(r#","得分":{}"#, share + 1),
                            2 => r#","得分":-1"#.to_string(),
                            3 => r#","得分":"1""#.to_string(),
                            4 => format!(r#","得分":{share}"#),
                            5 => format!(r#","得分":{share}.5"#),
                            _ => String::new(),
                        };
                        let fields =
                            format!("{name}{level}{target}{actual}{points}{reported}{reason}{odd}");
                        format!("{{{}}}", fields.trim_start_matches(','))
                    },
                )
                .collect();
            if level_row {
                list.insert(
                    0,
                    r#"{"一级指标":"效益指标","二级指标":"社会效益指标"}"#.into(),
                );
            }
            format!(
                r#"{{"全年预算数":100.00,"全年执行数":90.00,"绩效指标":[{}]}}"#,
                list.join(",")
            )
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

        #[test]
        fn a_record_of_any_shape_reads_as_the_trees(line in odd_departments()) {
            agree(&rules(), &line)?;
        }

        #[test]
        fn a_department_read_as_scanned_is_the_trees(
            line in departments(),
            edits in prop::collection::vec(edit(), 1..4),
        ) {
            let rules = rules();
            // The line as generated reads without error: the stream must read it.
            let source = SourceFile::new("d.json", line.as_str());
            prop_assert!(department(&rules, &source).is_some(), "the stream gave way on {line:?}");
            agree(&rules, &line)?;
            agree(&rules, &apply(&line, &edits))?;
        }
    }
}
