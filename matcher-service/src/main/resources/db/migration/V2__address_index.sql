-- Every address an identity can be found by: Entra mail, UPN, smtp: aliases and otherMails; Atlassian
-- email and its derived lookup keys (plus-address stripped, old domain renamed). A change re-matches
-- exactly the identities that share an address with it.
alter table identity add column other_mails text not null default '[]';

create table identity_address (
    identity_id varchar(700) not null references identity (id) on delete cascade,
    address     varchar(512) not null,
    kind        varchar(20)  not null,
    primary key (identity_id, address, kind)
);
create index identity_address_address on identity_address (address);

insert into identity_address (identity_id, address, kind)
    select id, email_norm, case when source_kind = 'ENTRA' then 'MAIL' else 'EMAIL' end from identity where email_norm is not null
    on conflict do nothing;
insert into identity_address (identity_id, address, kind)
    select id, upn_norm, 'UPN' from identity where upn_norm is not null on conflict do nothing;
