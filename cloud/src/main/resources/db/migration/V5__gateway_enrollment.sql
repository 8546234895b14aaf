-- The door network's identities (issue "a door network that trusts no one on the broker").
-- A gateway is registered by staff, enrolled once with a one-time token, and from then on known by
-- the client certificate the cloud's CA issued for the key it generated itself. See docs/security.md.

-- A decommissioned gateway's certificates are revoked and its messages refused from then on.
alter table gateway add column decommissioned_at timestamp with time zone;

-- One-time enrollment tokens: only the SHA-256 of a token is kept; a token works once, until it expires.
create table gateway_enrollment (
    token_hash  char(64)                 primary key,
    gateway_id  varchar(64)              not null references gateway (id),
    created_by  uuid                     not null references staff_account (id),
    created_at  timestamp with time zone not null,
    expires_at  timestamp with time zone not null,
    used_at     timestamp with time zone
);
create index gateway_enrollment_gateway_ix on gateway_enrollment (gateway_id);

-- Every certificate the CA has issued, so that any of them can be revoked (the broker's CRL is
-- written from this table), a renewal can be checked against the key the gateway holds, and what
-- a gateway signs with its own key can be checked by the cloud (docs/grants.md, "Signed messages").
create table issued_certificate (
    serial            varchar(40)              primary key,   -- hex
    subject           varchar(100)             not null,      -- the certificate's CN: the broker's user name
    purpose           varchar(10)              not null check (purpose in ('gateway', 'device', 'broker', 'cloud')),
    gateway_id        varchar(64)              references gateway (id),
    -- the key it certifies (SubjectPublicKeyInfo, DER, hex): what checks a gateway's own signatures
    public_key        varchar(400)             not null,
    not_before        timestamp with time zone not null,
    not_after         timestamp with time zone not null,
    issued_at         timestamp with time zone not null,
    revoked_at        timestamp with time zone
);
create index issued_certificate_gateway_ix on issued_certificate (gateway_id);
