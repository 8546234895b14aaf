package jp.kominkan.cloud.operations;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.helidon.webserver.http.ServerRequest;
import jp.kominkan.cloud.staff.StaffMember;

/**
 * Who does a staff write, and from where: what the operation log records besides the change.
 *
 * @param staffId the member of staff; empty for the command line ({@code kominkan admin …})
 * @param role    their role's wire name, or {@code cli}
 * @param source  the address the request came from, or {@code cli}
 */
public record Actor(Optional<UUID> staffId, String role, String source) {

    /** Checks the fields are present and bounded. */
    public Actor {
        Objects.requireNonNull(staffId, "staffId");
        Objects.requireNonNull(role, "role");
        source = source.length() > 64 ? source.substring(0, 64) : source;
    }

    /**
     * @param member the member of staff
     * @param req    their request
     * @return the actor
     */
    public static Actor of(StaffMember member, ServerRequest req) {
        return new Actor(Optional.of(member.id()), member.role().wire(), req.remotePeer().host());
    }

    /**
     * @param member the member of staff
     * @param source where from
     * @return the actor
     */
    public static Actor of(StaffMember member, String source) {
        return new Actor(Optional.of(member.id()), member.role().wire(), source);
    }

    /** @return the command line on the server, as an actor */
    public static Actor commandLine() {
        return new Actor(Optional.empty(), "cli", "cli");
    }
}
