package jp.kominkan.cloud.identity;

import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.IsoTimes;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code /api/v1/staff/identity-reviews}: verifications held back as perhaps the same person as another verified
 * account, and the decision on each. The role is checked before anything is read; an id of another
 * municipality is not found. The person's subject at the provider is never sent.
 */
public final class StaffSamePersonHttpService implements HttpService {

    private final SamePersonReview review;
    private final StaffAuthenticator authenticator;
    private final Tenancy tenancy;

    /**
     * @param review        the review
     * @param authenticator finds who is calling
     * @param tenancy       finds the municipality
     */
    public StaffSamePersonHttpService(SamePersonReview review, StaffAuthenticator authenticator, Tenancy tenancy) {
        this.review = review;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{id}", this::one)
                .post("/{id}/decision", this::decide);
    }

    /**
     * @param text a status as the query or a form sends it; empty means pending
     * @return the status
     * @throws Problem 400 on {@code status} for anything else
     */
    public static SamePersonReviews.Status status(String text) {
        if (text.isEmpty()) {
            return SamePersonReviews.Status.PENDING;
        }
        try {
            return SamePersonReviews.Status.of(text);
        } catch (IllegalArgumentException e) {
            throw Problem.badField("status", "status is pending, same-person or different-people.",
                    "状態は pending・same-person・different-people のいずれかで指定してください。");
        }
    }

    /**
     * @param text the decision as sent
     * @return same person or different people
     * @throws Problem 400 on {@code decision} for anything else
     */
    public static SamePersonReviews.Status decision(String text) {
        SamePersonReviews.Status decision = SamePersonReviews.Status.PENDING;
        if (text != null && !text.equals(SamePersonReviews.Status.PENDING.wire())) {
            try {
                decision = SamePersonReviews.Status.of(text);
            } catch (IllegalArgumentException e) {
                decision = SamePersonReviews.Status.PENDING;
            }
        }
        if (decision == SamePersonReviews.Status.PENDING) {
            throw Problem.badField("decision", "Decide: same-person or different-people.",
                    "「同じ方」か「別の方」を選んでください。");
        }
        return decision;
    }

    private void list(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.VIEW_RESIDENTS);
        SamePersonReviews.Status status = status(req.query().first("status").orElse(""));
        Json.send(res, Status.OK_200, new ListView(review.list(town, member, status).stream()
                .map(r -> view(r, town.zone())).toList()));
    }

    private void one(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.VIEW_RESIDENTS);
        Json.send(res, Status.OK_200, view(review.find(town, member, PathIds.number(req, "id")), town.zone()));
    }

    private void decide(ServerRequest req, ServerResponse res) {
        Municipality town = tenancy.of(req);
        StaffMember member = authenticator.require(req, town, Permission.MANAGE_RESIDENTS);
        long id = PathIds.number(req, "id");
        DecisionBody body = Json.read(req, DecisionBody.class);
        Json.send(res, Status.OK_200, view(review.decide(town, member, Actor.of(member, req), id,
                decision(body.decision())), town.zone()));
    }

    private static ReviewView view(SamePersonReviews.Review r, ZoneId zone) {
        SamePersonReviews.Existing e = r.existing();
        return new ReviewView(r.id(), r.provider(), r.status().wire(), IsoTimes.format(r.requestedAt(), zone),
                r.decidedAt().map(at -> IsoTimes.format(at, zone)).orElse(null), r.asking().orElse(null),
                r.claimed().map(c -> new ClaimedView(c.name(), c.birthDate().toString(), c.address().prefecture(),
                        c.address().city(), c.address().rest())).orElse(null),
                new ExistingView(e.accountId(), e.name(), e.email().orElse(null),
                        e.birthDate().map(Object::toString).orElse(null), e.address(), e.providers(),
                        "/staff/residents/" + e.accountId()));
    }

    /** Body of a decision. */
    record DecisionBody(String decision) {
    }

    /** What the provider verifying now vouched for (while pending). */
    record ClaimedView(String name, String birthDate, String prefecture, String city, String rest) {
    }

    /** The verified account already here. */
    record ExistingView(UUID accountId, String name, String email, String birthDate, String address,
                        List<String> providers, String staffPage) {
    }

    /** One review. */
    record ReviewView(long id, String provider, String status, String requestedAt, String decidedAt, UUID askingAccount,
                      ClaimedView claimed, ExistingView existing) {
    }

    /** The reviews. */
    record ListView(List<ReviewView> reviews) {
    }
}
