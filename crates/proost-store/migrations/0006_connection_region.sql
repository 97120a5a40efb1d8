-- Where a source lives (e.g. `eu-central-1`, `on-premises Frankfurt`), for the record of
-- processing; NULL: where this instance runs (its --region).
ALTER TABLE connections ADD COLUMN region TEXT;
