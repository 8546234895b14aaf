package jp.kominkan.cloud.grant;

import java.util.List;
import java.util.Objects;

import jp.kominkan.shared.grant.AccessGrant;
import jp.kominkan.shared.grant.BookingCode;

/**
 * The grants for one confirmed booking, one per door of its room, prepared (code drawn, grants
 * signed) before the transaction that confirms the booking writes them.
 *
 * @param code       the booking code, shown to the resident and never stored in clear
 * @param sealedCode the code sealed for storage
 * @param grants     one per door
 * @param doors      the doors, in the order of {@code grants}
 */
public record GrantBatch(BookingCode code, String sealedCode, List<Issued> grants, List<Door> doors) {

    /** Checks the fields and copies the list. */
    public GrantBatch {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(sealedCode, "sealedCode");
        grants = List.copyOf(grants);
        doors = List.copyOf(doors);
    }

    /**
     * One signed grant and the gateway whose stream carries it.
     *
     * @param grant     the grant
     * @param gatewayId its door's gateway
     * @param signed    COSE_Sign1 bytes
     */
    public record Issued(AccessGrant grant, String gatewayId, byte[] signed) {
    }
}
