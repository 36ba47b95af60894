-- The index on identity_address (identity_id) existed only to find an identity's rows when they are replaced or
-- deleted, and it cost more than the table's look-up index: rows arrive in random identity order, and inserting
-- 6,090,563 rows so took 101.6 s with both indexes against 39.7 s with the address index alone (2026-12-01, the rows
-- of a 1M x 1M run). Each identity now lists the addresses it has rows for (a JSON list, written with the identity),
-- and its rows are found through the address index (IdentityRepository.replaceAddresses, deleteAll).
alter table identity add column addresses text;
update identity i set addresses = a.list
    from (select identity_id, json_agg(address order by address)::text as list from identity_address group by identity_id) a
    where a.identity_id = i.id;
drop index identity_address_identity;
