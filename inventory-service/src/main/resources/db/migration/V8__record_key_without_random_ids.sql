-- A snapshot's records are keyed by (snapshot, external id), which they were unique on already. The random UUID primary
-- key put each of a million new rows on a random page of its index: inserting 1M records took 18.0 s with it and 8.5 s
-- without (psql, the same rows, 2026-12-01). The foreign key to the snapshot checked every row with a look-up of the
-- snapshot row; records are written only by the transaction that inserts their snapshot first, and snapshots are never
-- deleted, so it guarded nothing and cost 2-4 s per million rows (same measurement).
alter table snapshot_record drop constraint snapshot_record_pkey;
alter table snapshot_record drop column id;
alter table snapshot_record drop constraint snapshot_record_snapshot_id_fkey;
-- One index instead of two: the unique key becomes the primary key (built again, once: ~1 s per million records).
alter table snapshot_record drop constraint snapshot_record_snapshot_id_external_id_key;
alter table snapshot_record add constraint snapshot_record_pkey primary key (snapshot_id, external_id);
