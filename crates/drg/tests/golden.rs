//! The oracle's golden cases are well formed (the grouper is checked against them once it is
//! built): one answer per claim, the columns and value names.

use std::path::Path;

fn rows(name: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name),
    )
    .unwrap();
    text.lines().map(|l| l.split(',').map(str::to_string).collect()).collect()
}

#[test]
fn golden_cases_and_answers_line_up() {
    let cases = rows("oracle_cases.csv");
    let answers = rows("oracle_expected.csv");
    assert_eq!(
        cases[0].join(","),
        "id,version,age,sex,discharge_status,pdx,sdx,procs,discharge_date,hospital_status,admit_date"
    );
    assert_eq!(
        answers[0].join(","),
        "id,initial_drg,initial_mdc,final_drg,final_mdc,final_severity,final_grc,hac_status,sdx_sev,mce_edit_type,mce_edits"
    );
    assert_eq!(cases.len(), answers.len());
    let severities = ["MCC", "CC", "NON_CC", "NONE"];
    let hac =
        ["NOT_APPLICABLE", "FINAL_DRG_NO_CHANGE", "FINAL_DRG_CHANGES", "FINAL_DRG_UNGROUPABLE"];
    let flags = [
        "NEITHER",
        "CC",
        "MCC",
        "CC_EXCLUDED",
        "MCC_EXCLUDED",
        "CC_EXCLUDED_BY_DRG_LOGIC",
        "MCC_EXCLUDED_BY_DRG_LOGIC",
    ];
    for (c, a) in cases[1..].iter().zip(&answers[1..]) {
        assert_eq!(c[0], a[0], "answers in claim order");
        let drg: u16 = a[3].parse().unwrap_or_else(|_| panic!("{}: final DRG {:?}", a[0], a[3]));
        assert!((1..=999).contains(&drg), "{}", a[0]);
        assert!(severities.contains(&a[5].as_str()), "{}: {}", a[0], a[5]);
        assert!(hac.contains(&a[7].as_str()), "{}: {}", a[0], a[7]);
        let n_sdx = c[6].split('|').filter(|s| !s.is_empty()).count();
        let sev: Vec<&str> = a[8].split('|').filter(|s| !s.is_empty()).collect();
        assert_eq!(sev.len(), n_sdx, "{}: one flag per secondary diagnosis", a[0]);
        assert!(sev.iter().all(|f| flags.contains(f)), "{}: {:?}", a[0], sev);
        assert!(["NONE", "PREPAYMENT", "POSTPAYMENT"].contains(&a[9].as_str()), "{}", a[0]);
    }
}
