-- Truncated-export guard: a snapshot that would remove too much of its source is held until confirmed.
alter table snapshot add column status varchar(30) not null default 'APPLIED';
alter table snapshot add column status_reason text;
-- The applied version this snapshot was diffed against; confirming is refused once another version applied.
alter table snapshot add column base_version bigint not null default 0;
