//! The rule catalog (`docs/rules.md`), generated from the rules' metadata.

use std::fmt::Write;

use crate::finding::Category;
use crate::registry::RULES;

/// The catalog as Markdown: a table of every rule, then each rule's description.
pub fn catalog_markdown() -> String {
    let mut s = String::new();
    s.push_str("# Scrubber rules\n\n");
    s.push_str(
        "Generated from the rules' metadata by `cargo test -p scrub --test catalog` (set \
         `UPDATE_CATALOG=1` to rewrite it); do not edit by hand. Rule IDs are stable and never \
         reused. Severity: `reject` = a clearinghouse or payer front end would reject the claim, \
         `deny` = the payer would deny it in adjudication, `warn`, `info`.\n\n",
    );
    s.push_str(
        "| ID | name | category | severity | on by default | since |\n|---|---|---|---|---|---|\n",
    );
    for r in RULES {
        let _ = writeln!(
            s,
            "| [{id}](#{anchor}) | {} | `{}` | {} | {} | {} |",
            r.name,
            r.category.id(),
            r.severity.id(),
            if r.optional { "no (`--optional`)" } else { "yes" },
            r.since,
            id = r.id,
            anchor = r.id.to_lowercase()
        );
    }
    s.push_str(
        "\nCategory `payer-rule` comes from the billing team's own rules file (`superbill scrub \
         --rules`, `docs/payer-rules.md`), each finding with the rule's own ID.\n",
    );
    let empty: Vec<&str> = Category::ALL
        .iter()
        .filter(|c| **c != Category::PayerRule && !RULES.iter().any(|r| r.category == **c))
        .map(|c| c.id())
        .collect();
    if !empty.is_empty() {
        let _ = writeln!(s, "\nCategories without rules yet: `{}`", empty.join("`, `"));
    }
    for r in RULES {
        let _ = write!(
            s,
            "\n## {}\n\n**{}** · `{}` · {} · since {}\n\n**What it does.** {}\n\n**Why it matters.** {}\n\n**Fix.** {}\n\n**Source.** {}\n",
            r.id,
            r.name,
            r.category.id(),
            r.severity.id(),
            r.since,
            r.what,
            r.why,
            r.fix,
            r.source
        );
    }
    s
}
