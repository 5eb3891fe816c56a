-- The daily figures (migration 7) summed again from the records they count: run by the
-- migration that made them, by the benchmarks after copying claims, and compared by the tests
-- with what the writes kept (`store::testing::daily_figures_agree`).
DELETE FROM journal_kind_day;
INSERT INTO journal_kind_day (posting_date, practice_id, kind, grp, amount_cents)
  SELECT posting_date, practice_id, kind, grp, CAST(SUM(amount_cents) AS BIGINT) FROM journal
  GROUP BY posting_date, practice_id, kind, grp;
DELETE FROM claim_day;
INSERT INTO claim_day (practice_id, day, submitted, rejected, adjudicated, denied)
  SELECT practice_id, day, CAST(SUM(s) AS BIGINT), CAST(SUM(r) AS BIGINT), CAST(SUM(a) AS BIGINT), CAST(SUM(d) AS BIGINT) FROM (
    SELECT c.practice_id, c.submitted_at AS day, 1 AS s,
      CASE WHEN EXISTS (SELECT 1 FROM claim_event v WHERE v.claim_id = c.id AND v.to_state = 'rejected') THEN 1 ELSE 0 END AS r,
      0 AS a, 0 AS d
      FROM claim c WHERE c.submitted_at IS NOT NULL
    UNION ALL
    SELECT c.practice_id, r.payment_date, 0, 0, 1, 0
      FROM (SELECT claim_id, MIN(id) AS id FROM remit_claim WHERE claim_id IS NOT NULL GROUP BY claim_id) f
      JOIN remit_claim rc ON rc.id = f.id JOIN remit r ON r.id = rc.remit_id JOIN claim c ON c.id = f.claim_id
    UNION ALL
    SELECT c.practice_id, d.received, 0, 0, 0, 1
      FROM (SELECT claim_id, MIN(id) AS id FROM denial GROUP BY claim_id) f
      JOIN denial d ON d.id = f.id JOIN claim c ON c.id = f.claim_id
  ) t GROUP BY practice_id, day;
