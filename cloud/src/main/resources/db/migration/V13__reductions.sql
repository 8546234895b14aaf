-- Fee reduction or exemption (減免): a municipality's categories with their rate and conditions, and a
-- resident's application on one held booking, reviewed by staff (docs/money.md, 減免).
-- Runs unchanged on H2 2.x and PostgreSQL 15+. Nothing is seeded here: the demo adds its categories.

-- A category (減免区分), e.g. 社会教育関係団体 5割. percent is what is taken off (100 = 全額免除).
-- not_with_admission: refused when the use charges admission. applies_to_equipment: equipment fees are
-- reduced too. requires_group: only for a booking made for an approved group. roster_rule: a condition on
-- the group's roster (elderly-half: at least half the members 75 or over; residents-half: at least half
-- live in the municipality). Seasonal items (冷暖房費) are never reduced: the calculator says so.
create table reduction_category (
    municipality_id      bigint       not null references municipality (id),
    code                 varchar(40)  not null,
    name_ja              varchar(100) not null,
    name_en              varchar(100) not null,
    percent              int          not null check (percent between 0 and 100),
    not_with_admission   boolean      not null,
    applies_to_equipment boolean      not null,
    requires_group       boolean      not null,
    roster_rule          varchar(20)  check (roster_rule in ('elderly-half', 'residents-half')),
    sort_order           int          not null,
    primary key (municipality_id, code),
    constraint reduction_category_roster_needs_group check (roster_rule is null or requires_group)
);

-- The group a booking is made for (団体利用), chosen from the booker's approved groups.
alter table reservation add column group_id bigint references app_group (id);
-- The third purpose field the fee schedule prices (町外者を主たる対象), kept so that a booking can be priced
-- again exactly as it was (a 減免 approval re-prices it).
alter table reservation add column purpose_mainly_non_resident boolean default false not null;

-- One application per booking. The evidence (申請書類) is kept in the database like group evidence, its
-- type sniffed from the bytes. percent_applied is the rate granted (the group's category can fix it).
create table reduction_application (
    id                 uuid                     primary key,
    municipality_id    bigint                   not null references municipality (id),
    reservation_id     uuid                     not null references reservation (id),
    category_code      varchar(40)              not null,
    group_id           bigint                   references app_group (id),
    reason             varchar(400)             not null,
    evidence           bytea,
    evidence_type      varchar(20)              check (evidence_type in ('application/pdf', 'image/jpeg', 'image/png')),
    evidence_size      int                      check (evidence_size between 1 and 5242880),
    evidence_name      varchar(255),
    status             varchar(10)              not null check (status in ('pending', 'approved', 'rejected')),
    decided_by         uuid                     references staff_account (id),
    decided_at         timestamp with time zone,
    note               varchar(1000),
    percent_applied    int                      check (percent_applied between 0 and 100),
    fee_before         bigint                   not null,
    fee_after          bigint,
    created_at         timestamp with time zone not null,
    constraint reduction_application_reservation_uq unique (reservation_id),
    constraint reduction_application_category_fk foreign key (municipality_id, category_code)
        references reduction_category (municipality_id, code),
    constraint reduction_application_evidence_whole check ((evidence is null and evidence_type is null
        and evidence_size is null) or (evidence is not null and evidence_type is not null and evidence_size is not null))
);
create index reduction_application_status_ix on reduction_application (municipality_id, status, created_at);
