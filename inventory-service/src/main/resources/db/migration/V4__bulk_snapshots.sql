-- Snapshots are written in bulk (COPY) and diffed in the database; the report keeps the counts of what it lists.
alter table snapshot add column duplicate_count integer not null default 0;
-- JSON list of normalized emails that several identities of one snapshot share (flagged, not dropped).
alter table snapshot add column shared_emails text not null default '[]';
