-- Migration campaigns: settings and state, waves, the per-user state machine, dead letters and the audit trail.

create table campaign (
    id                      uuid primary key,
    name                    varchar(200)     not null,
    atlassian_source        varchar(100)     not null,
    target_policy_id        varchar(200)     not null,
    target_policy_name      varchar(200)     not null,
    scope_kind              varchar(20)      not null, -- GROUP or APP_ROLE
    scope_id                varchar(200)     not null, -- group id, or the app's service principal id
    app_role_id             varchar(200),
    canary_size             integer          not null,
    wave_size               integer          not null,
    max_failure_rate        double precision not null,
    max_wave_seconds        bigint           not null,
    state                   varchar(20)      not null,
    state_reason            text,
    waves                   integer          not null default 0,
    moves                   integer          not null default 0,
    excluded                integer          not null default 0,
    projected_seconds       bigint,
    created_by              varchar(200)     not null,
    created_at              timestamptz      not null,
    updated_at              timestamptz      not null,
    started_at              timestamptz,
    finished_at             timestamptz,
    -- One executor replica drives a campaign at a time; the lease expires if that replica dies.
    lease_owner             varchar(100),
    lease_until             timestamptz
);

create table campaign_wave (
    campaign_id  uuid        not null references campaign (id),
    number       integer     not null, -- 1 is the canary
    size         integer     not null,
    state        varchar(20) not null, -- PENDING, RUNNING, PASSED, HALTED, ACCEPTED (resumed after a halt)
    started_at   timestamptz,
    finished_at  timestamptz,
    outcome      text,
    primary key (campaign_id, number)
);

create table campaign_user (
    id                   uuid primary key,
    campaign_id          uuid         not null references campaign (id),
    position             integer      not null,
    wave                 integer, -- null when excluded
    account_id           varchar(512) not null,
    email                varchar(512),
    display_name         varchar(512),
    idp_user_id          varchar(512),
    planned_from_policy  varchar(200), -- as the inventory last saw it
    original_policy_id   varchar(200), -- as read from Atlassian just before the move; rollback returns here
    original_policy_name varchar(200),
    state                varchar(30)  not null,
    category             varchar(30)  not null, -- MOVE, or why excluded
    reason               text,
    scope_added          boolean, -- true: this campaign added the scope membership; null: unknown (rollback keeps it)
    scope_ref            varchar(200), -- app-role assignment id, when the scope is an app role
    restore_policy       boolean      not null default false, -- rollback must put the original policy back
    policy_task_id       varchar(200),
    attempts             integer      not null default 0, -- API attempts spent on failed steps, kept across replays
    link_checks          integer      not null default 0,
    next_check_at        timestamptz,
    step_started_at      timestamptz,
    error_class          varchar(40),
    last_error           text,
    moved_at             timestamptz,
    updated_at           timestamptz  not null,
    unique (campaign_id, account_id)
);
create index campaign_user_work on campaign_user (campaign_id, state, wave);

create table dead_letter (
    id           uuid primary key,
    campaign_id  uuid         not null references campaign (id),
    user_id      uuid         not null references campaign_user (id),
    wave         integer,
    account_id   varchar(512) not null,
    email        varchar(512),
    step         varchar(30)  not null,
    error_class  varchar(40)  not null,
    reason       text         not null,
    attempts     integer      not null,
    failed_at    timestamptz  not null,
    replayed_at  timestamptz,
    replayed_by  varchar(200)
);
create index dead_letter_open on dead_letter (campaign_id, failed_at) where replayed_at is null;

-- Every decision and every API call, append-only (the trigger refuses updates and deletes).
create table audit_entry (
    id           bigserial primary key,
    at           timestamptz  not null,
    actor        varchar(200) not null,
    campaign_id  uuid,
    wave         integer,
    account_id   varchar(512),
    kind         varchar(20)  not null, -- DECISION or API_CALL
    action       varchar(60)  not null,
    request      text,                  -- method and path, never credentials
    outcome      varchar(20)  not null, -- OK, FAILED, ...
    http_status  integer,
    duration_ms  bigint,
    detail       text
);
create index audit_entry_campaign on audit_entry (campaign_id, id);

create function audit_entry_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_entry is append-only';
end
$$;
create trigger audit_entry_append_only before update or delete on audit_entry
    for each row execute function audit_entry_append_only();
