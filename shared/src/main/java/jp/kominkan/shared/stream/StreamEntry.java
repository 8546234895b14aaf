package jp.kominkan.shared.stream;

import java.util.Arrays;
import java.util.Objects;

/**
 * One numbered entry of a gateway's grant stream.
 *
 * @param seq  its number, from 1, gap-free per gateway
 * @param kind issue, revoke or unlock
 * @param body issue: the signed grant (COSE_Sign1); revoke: the grant id (16 bytes); unlock: an
 *             {@link UnlockOrder} (the whole message is signed by the cloud for this gateway)
 */
public record StreamEntry(long seq, Kind kind, byte[] body) {

    /** Checks the fields. */
    public StreamEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(body, "body");
        if (seq < 0) {
            throw new IllegalArgumentException("seq " + seq + " is negative");
        }
        if (kind == Kind.REVOKE && body.length != 16) {
            throw new IllegalArgumentException("a revoke names a 16-byte grant id");
        }
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamEntry e && e.seq == seq && e.kind == kind && Arrays.equals(e.body, body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seq, kind, Arrays.hashCode(body));
    }

    @Override
    public String toString() {
        return "StreamEntry[" + seq + " " + kind + ", " + body.length + " bytes]";
    }

    /** What an entry does. */
    public enum Kind {
        /** Store a grant. */
        ISSUE(1),
        /** Stop honouring a grant. */
        REVOKE(2),
        /** Release a door now, for a bounded time: a caretaker's remote unlock. */
        UNLOCK(3);

        private final int code;

        Kind(int code) {
            this.code = code;
        }

        /** @return its number on the wire */
        public int code() {
            return code;
        }

        /**
         * @param code a number from the wire
         * @return the kind
         */
        public static Kind of(int code) {
            for (Kind kind : values()) {
                if (kind.code == code) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown entry kind " + code);
        }
    }
}
