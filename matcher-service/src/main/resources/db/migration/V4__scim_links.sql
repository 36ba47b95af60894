-- SCIM directory users (source kind SCIM): the externalId the IdP set (Entra object id) and the Atlassian account
-- each is linked to. They give the immutable-link rule and the stale-SCIM-record blocker their evidence.
alter table identity add column scim_external_id varchar(512);
alter table identity add column linked_account_id varchar(512);
alter table identity_address alter column kind type varchar(30);
