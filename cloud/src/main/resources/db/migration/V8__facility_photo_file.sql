-- Facility photos uploaded by staff. The bytes are kept in the database, so that every cloud instance
-- serves every photo and a backup holds them; they are re-encoded on upload (PhotoProcessor), at most
-- 2000 px on the long side, so a photo is well under a megabyte.
-- bytea: PostgreSQL's binary type; H2 2.x accepts it as its alias of varbinary (binary varying), whose
-- largest length is 1,000,000,000 bytes. The same text runs on both (the tests run it on both).
create table photo_file (
    id              uuid                     primary key,
    municipality_id bigint                   not null,
    facility_id     bigint                   not null,
    media_type      varchar(20)              not null check (media_type in ('image/jpeg', 'image/png')),
    width           int                      not null check (width > 0),
    height          int                      not null check (height > 0),
    bytes           bytea                    not null,
    created_at      timestamp with time zone not null,
    constraint photo_file_facility_fk foreign key (municipality_id, facility_id)
        references facility (municipality_id, id)
);
create index photo_file_facility_ix on photo_file (facility_id);

-- An uploaded photo's row in the facility's list; its url is /photos/<id>. Rows with no file (the
-- demo's drawings under /static) keep this column null.
alter table facility_photo add column photo_file_id uuid;
alter table facility_photo add constraint facility_photo_file_fk foreign key (photo_file_id) references photo_file (id);
alter table facility_photo add constraint facility_photo_file_uq unique (photo_file_id);
