-- 003: the thread count a run trained with, beside its backend label. Two runs on the
-- same backend with different thread counts differ in speed (and, for exact resumption,
-- in summation order), so the record needs both.

ALTER TABLE runs ADD COLUMN threads INTEGER;
