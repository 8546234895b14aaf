-- Identity (xID / OpenID Connect), the resident's profile, and staff as accounts of their own.
-- Runs unchanged on H2 2.x and PostgreSQL 15+.

-- Staff log in separately from residents. A main administrator (main) sees every facility of the
-- municipality; a child administrator (child) only the facilities in staff_facility_scope.
create table staff_account (
    id              uuid         primary key,
    municipality_id bigint       not null references municipality (id),
    email           varchar(254) not null,
    password_hash   varchar(200) not null,
    name            varchar(100) not null,
    staff_role      varchar(10)  not null check (staff_role in ('main', 'child')),
    invited_by      uuid         references staff_account (id),
    created_at      timestamp with time zone not null,
    constraint staff_account_email_uq unique (municipality_id, email)
);

create table staff_facility_scope (
    staff_id    uuid   not null references staff_account (id),
    facility_id bigint not null references facility (id),
    primary key (staff_id, facility_id)
);

create table staff_session (
    token_hash char(64)                 primary key,
    staff_id   uuid                     not null references staff_account (id),
    created_at timestamp with time zone not null,
    expires_at timestamp with time zone not null
);
create index staff_session_staff_ix on staff_session (staff_id);

-- A one-time invitation link; only a SHA-256 of its token is stored.
create table staff_invitation (
    token_hash      char(64)     primary key,
    municipality_id bigint       not null references municipality (id),
    email           varchar(254) not null,
    staff_role      varchar(10)  not null check (staff_role in ('main', 'child')),
    invited_by      uuid         not null references staff_account (id),
    created_at      timestamp with time zone not null,
    expires_at      timestamp with time zone not null,
    accepted_at     timestamp with time zone
);

create table staff_invitation_facility (
    token_hash  char(64) not null references staff_invitation (token_hash),
    facility_id bigint   not null references facility (id),
    primary key (token_hash, facility_id)
);

-- Staff accounts made before this migration (the demo's administrator) become main administrators;
-- their resident-side sessions end.
insert into staff_account (id, municipality_id, email, password_hash, name, staff_role, invited_by, created_at)
select id, municipality_id, email, password_hash, name, 'main', null, created_at
from account where account_role = 'staff';
delete from login_session where account_id in (select id from account where account_role = 'staff');
delete from account a where a.account_role = 'staff'
    and not exists (select 1 from reservation r where r.account_id = a.id);


-- The resident's profile. After verification, name, address and birth date come from the provider
-- and are locked; e-mail may be missing when the provider gave none and the resident has not added one.
alter table account alter column email drop not null;
alter table account alter column password_hash drop not null;
alter table account add column phone varchar(30);
alter table account add column organisation varchar(200);
alter table account add column name_substitute varchar(100);   -- 代替文字: the name without characters outside JIS
alter table account add column former_name varchar(100);       -- 旧氏
alter table account add column address_prefecture varchar(10);
alter table account add column address_city varchar(50);
alter table account add column address_rest varchar(300);
alter table account add column birth_date date;
alter table account add column deleted_at timestamp with time zone;
-- Former staff rows kept for their bookings' sake can no longer log in as residents.
update account set email = null, password_hash = null, name = '(職員アカウントへ移行)', deleted_at = created_at
    where account_role = 'staff';
alter table account drop column account_role;
alter table account drop column residency;

-- The link between an account and a verified person at a provider. One person (provider subject)
-- holds one account per municipality. residency is judged from the verified address at verified_at.
create table identity_link (
    account_id      uuid         primary key references account (id),
    municipality_id bigint       not null references municipality (id),
    provider        varchar(20)  not null,
    subject         varchar(255) not null,
    residency       varchar(20)  not null check (residency in ('resident', 'non-resident', 'unknown')),
    verified_at     timestamp with time zone not null,
    constraint identity_link_subject_uq unique (municipality_id, provider, subject)
);

-- A login or verification under way at the provider: what the callback must match. Used once.
-- The browser holds a random binding in a cookie; only hashes of it and of the state are stored.
create table oidc_login (
    state_hash      char(64)     primary key,
    browser_hash    char(64)     not null,
    municipality_id bigint       not null references municipality (id),
    provider        varchar(20)  not null,
    purpose         varchar(10)  not null check (purpose in ('register', 'login', 'verify')),
    account_id      uuid         references account (id),
    nonce           varchar(64)  not null,
    code_verifier   varchar(128) not null,
    return_to       varchar(200) not null,
    created_at      timestamp with time zone not null,
    expires_at      timestamp with time zone not null
);
create index oidc_login_expiry_ix on oidc_login (expires_at);

-- ID tokens already used (by jti, or a hash of the token without one), so none is accepted twice.
create table oidc_seen_token (
    token_id   char(64)                 primary key,
    expires_at timestamp with time zone not null
);

-- What happened to identities, without the personal data: the subject only as a hash.
create table identity_audit (
    id              bigint generated by default as identity primary key,
    municipality_id bigint       not null references municipality (id),
    account_id      uuid,
    provider        varchar(20),
    event           varchar(30)  not null,
    reason          varchar(60),
    subject_hash    char(64),
    occurred_at     timestamp with time zone not null
);
create index identity_audit_account_ix on identity_audit (account_id);
