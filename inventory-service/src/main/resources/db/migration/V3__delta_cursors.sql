-- Where the next incremental (delta) pull of a source starts. Advanced only in the transaction that
-- applies the snapshot it produced, so a failed or held pull is simply repeated.
create table source_cursor (
    source_name varchar(100) primary key references source (name),
    delta_link  text        not null,
    updated_at  timestamptz not null
);
