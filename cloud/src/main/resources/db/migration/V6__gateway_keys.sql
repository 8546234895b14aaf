-- The public key each certificate certifies (SubjectPublicKeyInfo, DER, hex), so that the cloud can
-- check what a gateway signs with its own key (acks, events, certificate requests): a compromised
-- broker cannot speak for a gateway (docs/grants.md, "Signed messages").
alter table issued_certificate add column public_key varchar(400);
