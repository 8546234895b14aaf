package jp.kominkan.cloud.lottery;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * The lottery's JSON shapes, for residents, the public and staff: times as ISO-8601 with the municipality's offset.
 */
final class LotteryViews {

    private LotteryViews() {
    }

    /** A round's schedule. */
    record ScheduleView(String opensAt, String closesAt, String drawAt, String confirmBy, String firstComeAt) {
        static ScheduleView of(RoundSchedule s, ZoneId zone) {
            return new ScheduleView(at(s.opensAt(), zone), at(s.closesAt(), zone), at(s.drawAt(), zone),
                    at(s.confirmBy(), zone), at(s.firstComeAt(), zone));
        }
    }

    /** A round in a list or on its own. */
    record RoundView(long id, long facilityId, String name, String status, String statusJa, ScheduleView schedule,
                     LotteryRules rules, List<String> tiers, String beacon, String applicationsCommitment,
                     String seedCommitment, String seed, String randomness, String drawnAt) {
        static RoundView of(Round r, ZoneId zone) {
            boolean drawn = r.status() == RoundStatus.PUBLISHED || r.status() == RoundStatus.FINISHED;
            return new RoundView(r.id(), r.facilityId(), r.name(), r.status().wire(), r.status().japanese(),
                    ScheduleView.of(r.schedule(), zone), r.rules(), r.rules().tierNames(), r.beacon().orElse(null),
                    r.applicationsCommitment().orElse(null), r.seedCommitment().orElse(null),
                    drawn ? r.seed().orElse(null) : null, drawn ? r.randomness().orElse(null) : null,
                    r.drawnAt().map(t -> at(t, zone)).orElse(null));
        }
    }

    /** A unit. */
    record UnitView(long id, long roomId, String room, String start, String end, String label, int applications,
                    boolean held) {
    }

    /** A round with its units. */
    record RoundDetail(RoundView round, List<UnitView> units, Integer applications, Map<Integer, Integer> byTier) {
    }

    /** A round defined. */
    record CreatedView(RoundView round, int units, List<String> skipped) {
    }

    /** The draw's outcome. */
    record PublishedView(RoundView round, int wins, int applications) {
    }

    /** One of a resident's applications. */
    record MineView(String id, long roundId, String round, String roundStatus, String tier, List<String> wishes,
                    String outcome, String reservationId, String reservationStatus, Integer amount, String confirmBy,
                    Map<String, Integer> substitutes) {
        static MineView of(Results.Mine m, ZoneId zone, Instant now) {
            return new MineView(m.publicId(), m.round().id(), m.round().name(), m.round().status().wire(), m.tier(),
                    m.wishes(), m.outcome(), m.win().map(w -> w.reservationId().toString()).orElse(null),
                    m.win().map(w -> w.reservationStatus().equals("held") && w.holdExpiresAt()
                            .filter(deadline -> !deadline.isAfter(now)).isPresent() ? "expired" : w.reservationStatus())
                            .orElse(null),
                    m.win().map(WinRepository.StoredWin::amount).orElse(null),
                    m.win().filter(w -> w.reservationStatus().equals("held"))
                            .flatMap(WinRepository.StoredWin::holdExpiresAt).map(t -> at(t, zone)).orElse(null),
                    m.substitutes());
        }
    }

    /** A staff row of the results. */
    record StaffRowView(String id, String name, String group, String tier, String residency, String appliedAt,
                        String outcome, Integer wonRank, String reservationStatus) {
    }

    /** A schedule template. */
    record TemplateView(String code, String name) {
    }

    static String at(Instant instant, ZoneId zone) {
        return jp.kominkan.cloud.web.IsoTimes.format(instant, zone);
    }
}
