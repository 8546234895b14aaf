package jp.kominkan.cloud.identity;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.account.PostalAddress;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.db.SqlFailure;

/**
 * The {@code identity_review} table (V30): verifications held back because another verified account looks like
 * the same person, and staff's decisions on them; and the read that finds such accounts. SQL for H2 and
 * PostgreSQL alike.
 */
public final class SamePersonReviews {

    private static final String CANDIDATES = """
            select a.id, a.name from account a join identity_link l on l.account_id = a.id
            where a.municipality_id = ? and a.birth_date = ? and a.deleted_at is null
              and not exists (select 1 from identity_subject s where s.account_id = a.id and s.provider = ?)""";
    private static final String BY_SUBJECT = """
            select status from identity_review where municipality_id = ? and provider = ? and subject = ?""";
    private static final String INSERT = """
            insert into identity_review (municipality_id, provider, subject, account_id, existing_account_id, name,
                                         birth_date, address_prefecture, address_city, address_rest, status,
                                         requested_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)""";
    private static final String REFRESH = """
            update identity_review set account_id = ?, existing_account_id = ?, name = ?, birth_date = ?,
                                       address_prefecture = ?, address_city = ?, address_rest = ?, requested_at = ?,
                                       status = 'pending', decided_at = null, decided_by = null
            where municipality_id = ? and provider = ? and subject = ?""";
    private static final String COLUMNS = """
            select r.id, r.provider, r.subject, r.account_id, r.existing_account_id, r.name, r.birth_date,
                   r.address_prefecture, r.address_city, r.address_rest, r.status, r.requested_at, r.decided_at,
                   e.name as existing_name, e.email as existing_email, e.birth_date as existing_birth_date,
                   e.address_prefecture as existing_prefecture, e.address_city as existing_city,
                   e.address_rest as existing_rest
            from identity_review r join account e on e.id = r.existing_account_id""";
    private static final String LIST = COLUMNS
            + " where r.municipality_id = ? and r.status = ? order by r.requested_at, r.id limit 200";
    private static final String ONE = COLUMNS + " where r.municipality_id = ? and r.id = ?";
    private static final String DECIDE = """
            update identity_review set status = ?, decided_at = ?, decided_by = ?, name = null, birth_date = null,
                                       address_prefecture = null, address_city = null, address_rest = null
            where municipality_id = ? and id = ? and status = 'pending'""";
    private static final String PROVIDERS = "select provider from identity_subject where account_id = ? order by provider";

    private final DbClient db;

    /**
     * @param db the database
     */
    public SamePersonReviews(DbClient db) {
        this.db = db;
    }

    /**
     * @param municipalityId where
     * @param birthDate      the verified birth date
     * @param provider       the provider verifying now: accounts it already vouches for are other people by its word
     * @return verified accounts here born that day and not linked at that provider, with their names
     */
    public List<Candidate> candidates(long municipalityId, LocalDate birthDate, String provider) {
        return Sql.list(db.execute().query(CANDIDATES, municipalityId, birthDate, provider),
                row -> new Candidate(Sql.uuid(row, "id"), Sql.text(row, "name")));
    }

    /**
     * @param municipalityId where
     * @param provider       the provider
     * @param subject        the person there
     * @return the review of that person, if there is one
     */
    public Optional<Status> status(long municipalityId, String provider, String subject) {
        return db.execute().get(BY_SUBJECT, municipalityId, provider, subject)
                .map(row -> Status.of(Sql.text(row, "status")));
    }

    /**
     * Opens a review, or brings this person's review up to date with the latest attempt (reopening one decided
     * "same person" whose link has since ended).
     *
     * @param municipalityId where
     * @param provider       the provider verifying now
     * @param facts          what it vouches for
     * @param asking         the account that asked to verify, when not registering
     * @param existing       the verified account that looks like the same person
     * @param now            now
     */
    public void open(long municipalityId, String provider, VerifiedFacts facts, Optional<UUID> asking, UUID existing,
                     Instant now) {
        PostalAddress address = facts.address();
        try {
            db.execute().insert(INSERT, municipalityId, provider, facts.subject(), asking.orElse(null), existing,
                    facts.name(), facts.birthDate(), address.prefecture(), address.city(), address.rest(),
                    Sql.at(now));
        } catch (RuntimeException e) {
            if (SqlFailure.of(e) != SqlFailure.UNIQUE_VIOLATION) {
                throw e;
            }
            db.execute().update(REFRESH, asking.orElse(null), existing, facts.name(), facts.birthDate(),
                    address.prefecture(), address.city(), address.rest(), Sql.at(now), municipalityId, provider,
                    facts.subject());
        }
    }

    /**
     * @param municipalityId where
     * @param status         which
     * @return those reviews, the oldest first (at most 200)
     */
    public List<Review> list(long municipalityId, Status status) {
        return Sql.list(db.execute().query(LIST, municipalityId, status.wire()), this::review);
    }

    /**
     * @param municipalityId where
     * @param id             which
     * @return the review, if it is one of that municipality's
     */
    public Optional<Review> find(long municipalityId, long id) {
        return db.execute().get(ONE, municipalityId, id).map(this::review);
    }

    /**
     * Records a decision in the caller's transaction, and forgets the claimed facts.
     *
     * @param tx             the transaction
     * @param municipalityId where
     * @param id             which review
     * @param decision       same person or different people
     * @param staffId        who decided
     * @param now            now
     * @return false when the review was decided meanwhile
     */
    public boolean decide(DbTransaction tx, long municipalityId, long id, Status decision, UUID staffId, Instant now) {
        // The update's own condition on 'pending' decides a race: the second decision updates no row.
        return tx.update(DECIDE, decision.wire(), Sql.at(now), staffId, municipalityId, id) == 1;
    }

    private Review review(DbRow row) {
        UUID existing = Sql.uuid(row, "existing_account_id");
        Optional<Claimed> claimed = Sql.optionalText(row, "name").map(name -> new Claimed(name,
                Sql.date(row, "birth_date"), new PostalAddress(Sql.text(row, "address_prefecture"),
                Sql.text(row, "address_city"), Sql.optionalText(row, "address_rest").orElse(""))));
        Existing person = new Existing(existing, Sql.text(row, "existing_name"),
                Sql.optionalText(row, "existing_email"), Sql.value(row, "existing_birth_date")
                .map(v -> Sql.date(row, "existing_birth_date")),
                Sql.optionalText(row, "existing_prefecture").orElse("") + Sql.optionalText(row, "existing_city")
                        .orElse("") + Sql.optionalText(row, "existing_rest").orElse(""),
                Sql.list(db.execute().query(PROVIDERS, existing), r -> Sql.text(r, "provider")));
        return new Review(Sql.longValue(row, "id"), Sql.text(row, "provider"), Sql.text(row, "subject"),
                Sql.value(row, "account_id").map(v -> UUID.fromString(v.toString())), person, claimed,
                Status.of(Sql.text(row, "status")), Sql.instant(row, "requested_at"),
                Sql.optionalInstant(row, "decided_at"));
    }

    /**
     * A verified account with the birth date being verified.
     *
     * @param accountId the account
     * @param name      its verified name
     */
    public record Candidate(UUID accountId, String name) {
    }

    /**
     * One review.
     *
     * @param id          its number
     * @param provider    the provider verifying
     * @param subject     the person there (never shown; it identifies the review's person at that provider)
     * @param asking      the account that asked to verify, when not registering
     * @param existing    the verified account that looks like the same person
     * @param claimed     what the provider vouched for, while the review is open
     * @param status      pending or the decision
     * @param requestedAt when the latest attempt was held back
     * @param decidedAt   when staff decided
     */
    public record Review(long id, String provider, String subject, Optional<UUID> asking, Existing existing,
                         Optional<Claimed> claimed, Status status, Instant requestedAt, Optional<Instant> decidedAt) {
    }

    /**
     * The verified account already here.
     *
     * @param accountId its id
     * @param name      its name
     * @param email     its e-mail, if any
     * @param birthDate its birth date (gone if it has since been deleted)
     * @param address   its address in one line
     * @param providers the providers it is linked at
     */
    public record Existing(UUID accountId, String name, Optional<String> email, Optional<LocalDate> birthDate,
                           String address, List<String> providers) {
    }

    /**
     * What the provider verifying now vouched for.
     *
     * @param name      氏名
     * @param birthDate 生年月日
     * @param address   住所
     */
    public record Claimed(String name, LocalDate birthDate, PostalAddress address) {
    }

    /** Where a review stands. */
    public enum Status {
        /** Waiting for staff. */
        PENDING("pending"),
        /** The same person: the provider was linked to the existing account. */
        SAME_PERSON("same-person"),
        /** Different people: this person may verify. */
        DIFFERENT_PEOPLE("different-people");

        private final String wire;

        Status(String wire) {
            this.wire = wire;
        }

        /** @return as stored and in the API */
        public String wire() {
            return wire;
        }

        /**
         * @param wire as stored or sent
         * @return the status
         * @throws IllegalArgumentException for anything else
         */
        public static Status of(String wire) {
            for (Status s : values()) {
                if (s.wire.equals(wire)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("Unknown review status " + wire);
        }
    }
}
