-- Event payloads are ~1 kB of JSON, under PostgreSQL's default 2 kB compression threshold: compress them (lz4,
-- fast) from 128 bytes on, so a burst of a million events costs a fraction of the disk and WAL writes.
alter table outbox_event alter column payload set compression lz4;
alter table outbox_event set (toast_tuple_target = 128);
