-- A snapshot's identities are copied straight into snapshot_record (no staging table unless an external id repeats),
-- so the emails that several identities share are reported from the records: each keeps its normalized email.
-- Records stored before this migration have none; only the snapshot being written is ever asked.
alter table snapshot_record add column email text;
