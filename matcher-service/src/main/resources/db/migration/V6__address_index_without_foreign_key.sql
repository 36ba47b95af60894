-- The address index is written a poll at a time (about three rows per identity: 6,000 rows for 2,000 events). The
-- foreign key to identity checked each of those rows with a locking look-up of its identity: 28 of 62-74 ms per
-- 6,000 rows, and 28 ms without it (EXPLAIN ANALYZE on a matcher holding 1M x 1M identities, 2026-12-01). Only
-- IdentityRepository writes these rows, in the transaction that writes or deletes their identity (deleteAll removes
-- an identity's addresses with it), so the key's check is the repository's job.
alter table identity_address drop constraint identity_address_identity_id_fkey;
