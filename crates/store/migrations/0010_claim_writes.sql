-- Every claim write (built, scrubbed, submitted, adjudicated, closed) inserts an entry in each of
-- the claim table's indexes, because its state column is indexed. No query looks a claim up by
-- its payer claim number (reversals are matched through `remit_claim`, which keeps its own
-- index), so this index only cost writes: one of the six index entries of every claim write.
DROP INDEX claim_payer_number;
