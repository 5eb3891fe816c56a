//! Property tests of the ledger's invariants: a claim's balance is charges − payments −
//! adjustments whoever owes it; each party's balance is what moved to it less what it paid or
//! wrote off; a posted payment and its reversal leave nothing behind; a balanced primary
//! payment that is not a denial leaves the payer owing nothing.

use claim_model::{Adjustment, AdjustmentGroup, ClaimPayment, LinePayment};
use code_sets::Date;
use ledger::posting::{Adjudication, ClaimToPost, LineToPost, post_claim, reverse_entries};
use ledger::{Balances, Cents, Entry, EntryKind, Party, PayerId};
use proptest::prelude::*;

const GROUPS: [&str; 5] = ["CO", "PR", "PI", "OA", "CR"];
const CARCS: [&str; 6] = ["45", "1", "2", "3", "97", "253"];

fn day() -> Date {
    Date::from_ymd(2026, 6, 1).unwrap()
}

/// One line's charge, and how the payer split it: paid, and adjustments (group, carc, cents).
/// A line: its charge and its adjustments (group index, CARC index, per mille of half the charge).
type GenLine = (i64, Vec<(usize, usize, i64)>);

fn line_strategy() -> impl Strategy<Value = GenLine> {
    (1i64..500_000, prop::collection::vec((0usize..5, 0usize..6, 0i64..1000), 0..4))
}

fn build(lines: &[GenLine], status: &str) -> (Vec<LineToPost>, ClaimPayment) {
    let mut billed = Vec::new();
    let mut svcs = Vec::new();
    for (i, (charge, adjs)) in lines.iter().enumerate() {
        let code = format!("9921{i}");
        billed.push(LineToPost {
            procedure: code.clone(),
            charge: Cents(*charge),
            ..Default::default()
        });
        // Scale the adjustments so they never exceed the charge; the rest is paid.
        let mut left = *charge;
        let mut out = Vec::new();
        for (g, r, per_mille) in adjs {
            let amount = charge * per_mille / 1000 / 2;
            let amount = amount.min(left);
            left -= amount;
            out.push(Adjustment::new(
                AdjustmentGroup::from_code(GROUPS[*g]).unwrap(),
                CARCS[*r],
                Cents(amount),
            ));
        }
        svcs.push(LinePayment {
            procedure: code.into(),
            modifiers: vec![],
            billed_procedure: None,
            charge: Cents(*charge),
            paid: Cents(left),
            units: None,
            date: None,
            adjustments: out,
            remarks: vec![],
        });
    }
    let pay = ClaimPayment {
        patient_control_number: "P1".into(),
        status: status.into(),
        charge: svcs.iter().map(|s| s.charge).sum(),
        paid: svcs.iter().map(|s| s.paid).sum(),
        patient_responsibility: Cents::ZERO,
        payer_claim_number: "X".into(),
        filing_indicator: "CI".into(),
        patient: None,
        adjustments: vec![],
        lines: svcs,
    };
    (billed, pay)
}

fn charges(billed: &[LineToPost], payer: PayerId) -> Vec<Entry> {
    billed
        .iter()
        .enumerate()
        .map(|(i, l)| Entry {
            kind: EntryKind::Charge,
            party: Party::Payer(payer),
            amount: l.charge,
            line: Some(i as u32),
            group: String::new(),
            reason: String::new(),
            effective: day(),
        })
        .collect()
}

proptest! {
    #[test]
    fn balances_add_up(lines in prop::collection::vec(line_strategy(), 1..6), secondary in any::<bool>()) {
        let (billed, pay) = build(&lines, "1");
        prop_assert_eq!(pay.imbalance(), Cents::ZERO);
        let next = if secondary { Party::Payer(PayerId(2)) } else { Party::Patient };
        let claim = ClaimToPost { payer: PayerId(1), rank: 1, next, lines: &billed };
        let posted = post_claim(&claim, &pay, day());
        let mut journal = charges(&billed, PayerId(1));
        journal.extend(posted.entries.iter().cloned());
        let b = Balances::of(&journal);
        // Claim balance = charges − payments − adjustments.
        prop_assert_eq!(b.total(), b.charges - b.payments - b.adjustments);
        // The parties' balances sum to the claim's: transfers create and lose nothing.
        let parties: Cents = b.by_party.iter().map(|(_, c)| *c).sum();
        prop_assert_eq!(parties, b.total());
        let transfers: Cents = journal.iter().filter(|e| e.kind == EntryKind::Transfer).map(|e| e.amount).sum();
        prop_assert_eq!(transfers, Cents::ZERO);
        // Each party's balance = what moved to it − what it paid or wrote off.
        for (party, bal) in &b.by_party {
            let moved_in: Cents = journal.iter().filter(|e| e.party == *party && e.amount > Cents::ZERO).map(|e| e.amount).sum();
            let out: Cents = journal.iter().filter(|e| e.party == *party && e.amount < Cents::ZERO).map(|e| -e.amount).sum();
            prop_assert_eq!(*bal, moved_in - out);
        }
        // Not a denial: the primary payer owes nothing after a balanced payment; the next party
        // owes exactly the patient responsibility.
        if posted.adjudication == Adjudication::Paid {
            prop_assert_eq!(b.of_party(Party::Payer(PayerId(1))), Cents::ZERO);
            prop_assert_eq!(b.of_party(next), posted.patient_responsibility);
            prop_assert_eq!(posted.paid + posted.adjusted + posted.patient_responsibility, pay.charge);
        }
        // Every entry lands on a line the claim has.
        for e in &posted.entries {
            if let Some(l) = e.line { prop_assert!((l as usize) < billed.len()); }
        }
    }

    #[test]
    fn a_reversal_undoes_everything(lines in prop::collection::vec(line_strategy(), 1..6)) {
        let (billed, pay) = build(&lines, "1");
        let claim = ClaimToPost { payer: PayerId(1), rank: 1, next: Party::Patient, lines: &billed };
        let posted = post_claim(&claim, &pay, day());
        let before = Balances::of(&charges(&billed, PayerId(1)));
        let mut journal = charges(&billed, PayerId(1));
        journal.extend(posted.entries.iter().cloned());
        journal.extend(reverse_entries(&posted.entries, day()));
        let after = Balances::of(&journal);
        prop_assert_eq!(after.total(), before.total());
        prop_assert_eq!(after.by_party, before.by_party);
    }

    #[test]
    fn posting_is_a_function_of_its_input(lines in prop::collection::vec(line_strategy(), 1..6)) {
        // Nothing posted twice: the same CLP gives the same entries, so the store's idempotency
        // key (the transaction set) is all that stands between a file and a double posting.
        let (billed, pay) = build(&lines, "1");
        let claim = ClaimToPost { payer: PayerId(1), rank: 1, next: Party::Patient, lines: &billed };
        prop_assert_eq!(post_claim(&claim, &pay, day()), post_claim(&claim, &pay, day()));
    }
}
