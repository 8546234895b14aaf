-- Work that must run on one cloud instance at a time (issue 18, docs/deploy.md): a named lease, held by one
-- instance until lease_until and renewed by it while it runs the job; another takes it only once it has lapsed.
-- JobLease owns the table. The first job: the caretaking sweep (gateway silence and doors left open read before they
-- write, so two instances at once could count one occurrence twice).
create table job_lease (
    name        varchar(40) primary key,
    holder      varchar(64) not null,
    lease_until timestamp with time zone not null
);
