-- The human review queue. A person's decision about an account holds as long as the evidence it was made on holds.

-- Fingerprint of the rules' own verdict (outcome, rule, evidence, blockers): a review is bound to it.
alter table match_decision add column machine_fingerprint varchar(64);

-- The standing human decision per Atlassian account (its newest), applied on every re-decision.
create table review (
    id              varchar(700) primary key, -- same key as match_decision
    atlassian_source varchar(100) not null,
    account_id      varchar(512) not null,
    action          varchar(20)  not null, -- APPROVE, REJECT, OVERRIDE
    idp_user_key    varchar(700),          -- index key of the chosen Entra user (null for REJECT)
    idp_user_id     varchar(512),
    fingerprint     varchar(64)  not null, -- the machine verdict the person saw
    actor           varchar(200) not null,
    reason          text         not null,
    decided_at      timestamptz  not null,
    stale_since     timestamptz,           -- set when the evidence changed: the account is back in review
    stale_reason    text
);
create index review_source on review (atlassian_source);

-- Every human decision ever made (who, when, why), append-only.
create table review_action (
    id              bigserial primary key,
    review_id       varchar(700) not null,
    action          varchar(20)  not null,
    idp_user_id     varchar(512),
    previous_outcome varchar(20),
    actor           varchar(200) not null,
    reason          text         not null,
    decided_at      timestamptz  not null
);
create index review_action_review on review_action (review_id, id);
