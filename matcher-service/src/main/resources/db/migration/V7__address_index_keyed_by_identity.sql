-- The address index's primary key (identity_id, address, kind) was its largest structure: 505 MB for 393 MB of rows
-- in the middle of a 1M x 1M load (2026-12-01), three text columns per entry, inserted in random order (identity ids
-- end in random object ids). Nothing needs its uniqueness: IdentityRepository writes an identity's rows only after
-- deleting the ones it had, and one row per address. What is looked up by identity is the rows to delete, which a
-- plain index on identity_id finds; B-tree deduplication stores each identity once for its ~3 rows.
alter table identity_address drop constraint identity_address_pkey;
create index identity_address_identity on identity_address (identity_id);
