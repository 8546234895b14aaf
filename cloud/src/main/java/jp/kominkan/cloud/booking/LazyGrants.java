package jp.kominkan.cloud.booking;

import java.util.Optional;
import java.util.function.Function;

import io.helidon.dbclient.DbExecute;

import jp.kominkan.cloud.grant.GrantBatch;

/**
 * A booking's door grants, drawn and signed only once its slots are taken, in the booking's own transaction (so
 * a booking never holds one connection while waiting for another): of 200 requests racing for one slot, the
 * 199 the database refuses draw no code and sign nothing. Made at most once, so a retried attempt
 * of the same booking writes the same grants and the resident is shown the code that was written.
 */
final class LazyGrants implements Function<DbExecute, Optional<GrantBatch>> {

    private final Function<DbExecute, Optional<GrantBatch>> make;
    private Optional<GrantBatch> made;

    private LazyGrants(Function<DbExecute, Optional<GrantBatch>> make) {
        this.make = make;
    }

    /**
     * @param make draws the code and signs the grants, reading doors and codes in use on the connection it is given
     * @return grants made on first use
     */
    static LazyGrants of(Function<DbExecute, Optional<GrantBatch>> make) {
        return new LazyGrants(make);
    }

    /** @return no grants: a booking that is only held, or a room without doors */
    static LazyGrants none() {
        return new LazyGrants(in -> Optional.empty());
    }

    @Override
    public synchronized Optional<GrantBatch> apply(DbExecute in) {
        if (made == null) {
            made = make.apply(in);
        }
        return made;
    }

    /** @return the grants if they were made, else empty */
    synchronized Optional<GrantBatch> made() {
        return made == null ? Optional.empty() : made;
    }
}
