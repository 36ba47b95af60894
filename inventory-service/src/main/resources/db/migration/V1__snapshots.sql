-- inventory-service owns this schema. Snapshots are versioned per source and never updated in place.

create table source (
    name           varchar(100) primary key,
    kind           varchar(20)  not null,
    created_at     timestamptz  not null,
    latest_version bigint       not null default 0
);

create table snapshot (
    id          uuid primary key,
    source_name varchar(100) not null references source (name),
    version     bigint       not null,
    format      varchar(40)  not null,
    file_name   varchar(255),
    total       integer      not null,
    added       integer      not null,
    changed     integer      not null,
    removed     integer      not null,
    unchanged   integer      not null,
    duplicates  text         not null, -- JSON list of repeated rows, kept for the snapshot report
    created_at  timestamptz  not null,
    unique (source_name, version)
);

create table snapshot_record (
    id           uuid primary key,
    snapshot_id  uuid         not null references snapshot (id),
    external_id  varchar(512) not null,
    content_hash varchar(64)  not null,
    identity     text         not null, -- the normalized identity as published (JSON)
    unique (snapshot_id, external_id)
);
