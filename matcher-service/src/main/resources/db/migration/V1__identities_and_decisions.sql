-- matcher-service owns this schema.

-- The identity index: the newest version of every identity of every source, kept up to date from
-- relink.identity.changed.v1 events. Addresses are stored normalized for matching.
create table identity (
    id            varchar(700) primary key, -- source name + '/' + external id
    source_name   varchar(100) not null,
    source_kind   varchar(20)  not null,
    external_id   varchar(512) not null,
    display_name  varchar(512),
    email         varchar(512),
    email_norm    varchar(512),
    upn_norm      varchar(512),
    secondary     text         not null default '[]', -- JSON list of normalized alias addresses
    active        boolean      not null,
    user_type     varchar(40),
    auth_policy   varchar(200),
    updated_at    timestamptz  not null
);
create index identity_kind_email on identity (source_kind, email_norm);
create index identity_kind_upn on identity (source_kind, upn_norm);
create index identity_source on identity (source_name);

-- The current decision per Atlassian account; revision grows with every change that is published.
create table match_decision (
    id               varchar(700) primary key, -- Atlassian source + '/' + account id
    atlassian_source varchar(100) not null,
    account_id       varchar(512) not null,
    email            varchar(512),
    display_name     varchar(512),
    outcome          varchar(20)  not null,
    idp_source       varchar(100),
    idp_user_id      varchar(512),
    confidence       double precision not null,
    rule             varchar(60),
    evidence         text         not null,
    flags            text         not null,
    current_policy   varchar(200),
    reason           text,
    revision         bigint       not null,
    decided_at       timestamptz  not null
);
create index match_decision_source_outcome on match_decision (atlassian_source, outcome);
