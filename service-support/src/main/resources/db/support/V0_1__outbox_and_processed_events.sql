-- Shared by every service (each applies it to its own schema through Flyway location db/support).

-- Transactional outbox: written in the same transaction as the state change it announces;
-- the relay publishes unsent rows to Kafka and then marks them sent.
create table outbox_event (
    id           uuid         primary key,
    topic        varchar(249) not null,
    message_key  varchar(512),
    event_type   varchar(200) not null,
    payload      text         not null,
    created_at   timestamptz  not null default now(),
    published_at timestamptz
);
create index outbox_event_unpublished on outbox_event (created_at) where published_at is null;

-- Idempotent consumers: the id of every event applied, written in the same transaction as its effect.
create table processed_event (
    consumer     varchar(100) not null,
    event_id     varchar(200) not null,
    event_type   varchar(200) not null,
    processed_at timestamptz  not null default now(),
    primary key (consumer, event_id)
);
