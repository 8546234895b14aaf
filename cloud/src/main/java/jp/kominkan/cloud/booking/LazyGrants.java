package jp.kominkan.cloud.booking;

import java.util.Optional;
import java.util.function.Supplier;

import jp.kominkan.cloud.grant.GrantBatch;

/**
 * A booking's door grants, drawn and signed only once its slots are taken: of 200 requests racing for one
 * slot, the 199 the database refuses draw no code and sign nothing. Made at most once, so a retried attempt
 * of the same booking writes the same grants and the resident is shown the code that was written.
 */
final class LazyGrants implements Supplier<Optional<GrantBatch>> {

    private static final LazyGrants NONE = new LazyGrants(Optional::empty);

    private final Supplier<Optional<GrantBatch>> make;
    private Optional<GrantBatch> made;

    private LazyGrants(Supplier<Optional<GrantBatch>> make) {
        this.make = make;
    }

    /**
     * @param make draws the code and signs the grants
     * @return grants made on first use
     */
    static LazyGrants of(Supplier<Optional<GrantBatch>> make) {
        return new LazyGrants(make);
    }

    /** @return no grants: a booking that is only held, or a room without doors */
    static LazyGrants none() {
        return NONE;
    }

    @Override
    public synchronized Optional<GrantBatch> get() {
        if (made == null) {
            made = make.get();
        }
        return made;
    }

    /** @return the grants if they were made, else empty */
    synchronized Optional<GrantBatch> made() {
        return made == null ? Optional.empty() : made;
    }
}
