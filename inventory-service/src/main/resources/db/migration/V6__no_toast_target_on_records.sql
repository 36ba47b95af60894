-- V5 set toast_tuple_target = 128 so that ~700-byte snapshot records would be compressed. They are not: PostgreSQL
-- compresses or moves a value out of line only once the whole row exceeds TOAST_TUPLE_THRESHOLD (about 2 kB, fixed
-- when PostgreSQL is built); toast_tuple_target only says how far a row above that is shrunk. Measured on PostgreSQL
-- 15.19 on 2026-12-01: a 700-byte value stays whole, a 2,800-byte one is compressed. The setting is reset so the
-- schema no longer claims what it does not do; lz4 stays, for the rare record above the threshold.
alter table snapshot_record reset (toast_tuple_target);
