package jp.kominkan.cloud.identity;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import io.helidon.dbclient.DbClient;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.operations.Change;
import jp.kominkan.cloud.operations.OperationLog;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Problem;

/**
 * Staff's side of one person across providers (本人確認の重複確認): the verifications {@link SamePersonCheck} held
 * back, and the decision on each. "The same person" links the provider to the existing account, so that the
 * person logs in to it through either provider; "different people" lets the person verify. Residents belong to
 * the whole municipality: reading needs {@link Permission#VIEW_RESIDENTS}, deciding
 * {@link Permission#MANAGE_RESIDENTS}; every decision is in the operation log, with accounts only as ids.
 */
public final class SamePersonReview {

    private final DbClient db;
    private final SamePersonReviews reviews;
    private final IdentityStore store;
    private final OperationLog log;
    private final Clock clock;

    /**
     * @param db      the database
     * @param reviews the reviews
     * @param store   links
     * @param log     the operation log
     * @param clock   the clock
     */
    public SamePersonReview(DbClient db, SamePersonReviews reviews, IdentityStore store, OperationLog log, Clock clock) {
        this.db = db;
        this.reviews = reviews;
        this.store = store;
        this.log = log;
        this.clock = clock;
    }

    /**
     * @param town   where
     * @param member who asks (view residents)
     * @param status which
     * @return those reviews, the oldest first
     */
    public List<SamePersonReviews.Review> list(Municipality town, StaffMember member, SamePersonReviews.Status status) {
        require(member, Permission.VIEW_RESIDENTS);
        return reviews.list(town.id(), status);
    }

    /**
     * @param town   where
     * @param member who asks (view residents)
     * @param id     which
     * @return the review
     * @throws Problem 404 when it is not one of this municipality's
     */
    public SamePersonReviews.Review find(Municipality town, StaffMember member, long id) {
        require(member, Permission.VIEW_RESIDENTS);
        return reviews.find(town.id(), id).orElseThrow(() -> Problem.notFound("review", "確認依頼"));
    }

    /**
     * @param town     where
     * @param member   who decides (manage residents)
     * @param actor    who, from where
     * @param id       which review
     * @param decision {@link SamePersonReviews.Status#SAME_PERSON} or {@link SamePersonReviews.Status#DIFFERENT_PEOPLE}
     * @return the review now
     * @throws Problem 409 when it was decided already, or the link cannot be made
     */
    public SamePersonReviews.Review decide(Municipality town, StaffMember member, Actor actor, long id,
                                           SamePersonReviews.Status decision) {
        require(member, Permission.MANAGE_RESIDENTS);
        if (decision == SamePersonReviews.Status.PENDING) {
            throw Problem.badField("decision", "Decide: the same person, or different people.",
                    "「同じ方」か「別の方」を選んでください。");
        }
        SamePersonReviews.Review review = find(town, member, id);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Sql.inTransaction(db, tx -> {
            if (!reviews.decide(tx, town.id(), id, decision, member.id(), now)) {
                throw Problem.conflict("review-decided", "This review was decided already; reload to see how.",
                        "この確認依頼はすでに判断済みです。再読み込みして結果をご確認ください。");
            }
            if (decision == SamePersonReviews.Status.SAME_PERSON && !store.linkSubject(tx,
                    review.existing().accountId(), town.id(), review.provider(), review.subject(), now)) {
                throw Problem.conflict("link-taken", "The existing account is already linked at this identity service,"
                        + " or this person to another account: it cannot be linked. Decide \"different people\" or"
                        + " look at both residents' files.",
                        "既存のアカウントはこの本人確認サービスですでに連携済みか、この方が別のアカウントに連携済みのため、"
                                + "連携できません。「別の方」を選ぶか、両方の利用者情報をご確認ください。");
            }
            log.append(tx, town.id(), actor, Change.of("identity.same-person", "account",
                    review.existing().accountId(), null, Map.of("status", SamePersonReviews.Status.PENDING.wire()),
                    Map.of("status", decision.wire(), "provider", review.provider(), "review", id)), now);
            return null;
        });
        return find(town, member, id);
    }

    private static void require(StaffMember member, Permission permission) {
        if (!member.may(permission)) {
            throw StaffAuthenticator.forbidden();
        }
    }
}
