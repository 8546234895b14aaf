package jp.kominkan.cloud.lottery;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A lottery round (抽選回): rooms and a period allotted by lottery, with its schedule, rules and — once closed and
 * drawn — its commitments and seed.
 *
 * @param id                     the round
 * @param municipalityId         the municipality
 * @param facilityId             the facility whose rooms it allots
 * @param name                   e.g. 「2027年2月 土日祝 大会議室」
 * @param status                 where it is
 * @param schedule               its schedule
 * @param rules                  its rules
 * @param beacon                 the external randomness beacon named at creation, if any
 * @param applicationsCommitment published at the close
 * @param seedCommitment         published at the close
 * @param frozenAt               when the applications were frozen
 * @param randomness             what staff entered at the draw (or the beacon's value)
 * @param seed                   the seed, once drawn (hex)
 * @param drawnAt                when it was drawn
 */
public record Round(long id, long municipalityId, long facilityId, String name, RoundStatus status,
                    RoundSchedule schedule, LotteryRules rules, Optional<String> beacon,
                    Optional<String> applicationsCommitment, Optional<String> seedCommitment, Optional<Instant> frozenAt,
                    Optional<String> randomness, Optional<String> seed, Optional<Instant> drawnAt) {

    /** Checks the parts are present. */
    public Round {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(beacon, "beacon");
        Objects.requireNonNull(applicationsCommitment, "applicationsCommitment");
        Objects.requireNonNull(seedCommitment, "seedCommitment");
        Objects.requireNonNull(frozenAt, "frozenAt");
        Objects.requireNonNull(randomness, "randomness");
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(drawnAt, "drawnAt");
    }

    /**
     * @param now now
     * @return whether applications are taken now
     */
    public boolean accepting(Instant now) {
        return status == RoundStatus.OPEN && !now.isBefore(schedule.opensAt()) && now.isBefore(schedule.closesAt());
    }
}
