package jp.kominkan.cloud.identity;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * One person across providers (issue 17): xID and the デジタル認証アプリ share no identifier, so a person could hold
 * one account through each. Before a new link is made, the verified 氏名 (normalised, {@link PersonName}) and
 * 生年月日 are compared with the municipality's other verified accounts that the provider does not already vouch
 * for; a match holds the verification back for staff review ({@link SamePersonReviews}). 性別 is not compared:
 * Kominkan does not keep it, and a false match only costs a review.
 */
public final class SamePersonCheck {

    private final SamePersonReviews reviews;
    private final Clock clock;

    /**
     * @param reviews the reviews
     * @param clock   the clock
     */
    public SamePersonCheck(SamePersonReviews reviews, Clock clock) {
        this.reviews = reviews;
        this.clock = clock;
    }

    /**
     * @param municipalityId where
     * @param provider       the provider verifying now
     * @param facts          what it vouches for
     * @param asking         the account asking to be verified, when not registering (never its own match)
     * @throws IdentityFailure {@link IdentityFailure.Kind#UNDER_REVIEW} when another account looks like this person
     *                         and staff have not found them to be different people
     */
    public void admit(long municipalityId, String provider, VerifiedFacts facts, Optional<UUID> asking) {
        if (reviews.status(municipalityId, provider, facts.subject())
                .filter(s -> s == SamePersonReviews.Status.DIFFERENT_PEOPLE).isPresent()) {
            return;
        }
        String name = PersonName.normalise(facts.name());
        Optional<SamePersonReviews.Candidate> match = reviews.candidates(municipalityId, facts.birthDate(), provider)
                .stream()
                .filter(c -> asking.filter(c.accountId()::equals).isEmpty())
                .filter(c -> PersonName.normalise(c.name()).equals(name))
                .findFirst();
        if (match.isEmpty()) {
            return;
        }
        reviews.open(municipalityId, provider, facts, asking, match.get().accountId(), clock.instant());
        throw new IdentityFailure(IdentityFailure.Kind.UNDER_REVIEW, "same-person-review",
                "An account here was already verified, through another identity service, for someone with the same"
                        + " name and date of birth. One person may hold one account, so our staff will check. If you"
                        + " are the same person, you will then be able to log in to that account with this service"
                        + " too; if not, please try again once staff have checked.",
                "同じ氏名・生年月日の方が、別の本人確認サービスで本人確認済みのアカウントをすでにお持ちです。"
                        + "お一人につき 1 アカウントのため、職員が確認します。同じ方と確認できた場合は、"
                        + "このサービスでもそのアカウントにログインできるようになります。別の方の場合は、"
                        + "確認が済んだあとにもう一度お試しください。");
    }
}
