-- executor-service owns this schema.

-- The executor's own copy of the newest match decision per Atlassian account.
create table match_decision (
    id               varchar(700) primary key, -- Atlassian source + '/' + account id
    atlassian_source varchar(100) not null,
    account_id       varchar(512) not null,
    email            varchar(512),
    display_name     varchar(512),
    outcome          varchar(20)  not null,
    idp_user_id      varchar(512),
    flags            text         not null, -- JSON list of blockers
    current_policy   varchar(200),
    reason           text,
    revision         bigint       not null,
    received_at      timestamptz  not null
);
create index match_decision_source on match_decision (atlassian_source);

-- A dry-run plan: what would be done, per account, in order. Nothing is called to build it.
create table plan (
    id               uuid primary key,
    name             varchar(200) not null,
    atlassian_source varchar(100) not null,
    target_policy    varchar(200) not null,
    moves            integer      not null,
    excluded         integer      not null,
    created_at       timestamptz  not null
);

create table plan_item (
    id             uuid primary key,
    plan_id        uuid         not null references plan (id),
    position       integer      not null,
    account_id     varchar(512) not null,
    email          varchar(512),
    display_name   varchar(512),
    idp_user_id    varchar(512),
    from_policy    varchar(200),
    to_policy      varchar(200),
    action         varchar(20)  not null, -- MOVE or EXCLUDED
    category       varchar(30)  not null, -- MOVE, or why excluded: BLOCKED, REVIEW, NO_MATCH, SKIPPED, ALREADY_LINKED
    reason         text,
    steps          text         not null, -- JSON list of the API calls, in order
    unique (plan_id, position)
);
