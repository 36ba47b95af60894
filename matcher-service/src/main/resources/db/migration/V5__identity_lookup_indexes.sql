-- Identities are looked up through identity_address (every address and key), never by email or UPN column: those two
-- indexes only cost writes (a first snapshot writes a million rows). What is looked up by column is an identity of a
-- kind by its external id (a reviewer naming an Entra user; whether any SCIM user is indexed yet).
drop index if exists identity_kind_email;
drop index if exists identity_kind_upn;
create index identity_kind_external_id on identity (source_kind, external_id);
