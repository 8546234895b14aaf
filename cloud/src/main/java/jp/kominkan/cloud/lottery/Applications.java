package jp.kominkan.cloud.lottery;

import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.account.AccountService;
import jp.kominkan.cloud.account.Profile;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.db.SqlFailure;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.group.ApprovedGroup;
import jp.kominkan.cloud.group.Groups;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Problem;

/**
 * Applying for a round (抽選の申込) as a resident: eligibility judged from data, ranked wishes checked, caps kept by
 * the database, and one verified person one applicant whatever accounts they hold. Also withdrawing while the
 * window is open, and one's own applications with their results.
 */
public final class Applications {

    private final LotteryRepository repository;
    private final AccountService accounts;
    private final Groups groups;
    private final FacilityRepository facilities;
    private final PersonKeys keys;
    private final Clock clock;

    /**
     * @param repository the lottery's tables
     * @param accounts   the applicant's verified facts
     * @param groups     the group applied for
     * @param facilities the rooms' capacities
     * @param keys       person and cluster keys
     * @param clock      the clock
     */
    public Applications(LotteryRepository repository, AccountService accounts, Groups groups,
                        FacilityRepository facilities, PersonKeys keys, Clock clock) {
        this.repository = repository;
        this.accounts = accounts;
        this.groups = groups;
        this.facilities = facilities;
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * An application as sent.
     *
     * @param groupId   for this group (団体), which the applicant represents
     * @param purpose   what for
     * @param attendees how many come
     * @param wishes    the wishes, first first; each one unit or consecutive units wanted together
     */
    public record Request(Optional<Long> groupId, String purpose, int attendees, List<List<Long>> wishes) {
        /** Checks the parts are present. */
        public Request {
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(purpose, "purpose");
            Objects.requireNonNull(wishes, "wishes");
        }
    }

    /**
     * Applies.
     *
     * @param town    where
     * @param account who
     * @param roundId which round
     * @param request what
     * @return the application's public number
     */
    public String apply(Municipality town, Account account, long roundId, Request request) {
        Round round = repository.round(town.id(), roundId).orElseThrow(() -> Problem.notFound("lottery round", "抽選回"));
        Instant now = clock.instant();
        requireOpen(round, now);
        LotteryRules rules = round.rules();
        Profile profile = accounts.profile(account);
        if (profile.link().isEmpty() || account.residency() == Account.Residency.UNKNOWN
                || profile.birthDate().isEmpty()) {
            throw Problem.forbidden("Lottery applications need an identity verified with the My Number Card: on My page,"
                            + " choose \"Verify with xID\".",
                    "抽選に申し込むには、マイナンバーカードによる本人確認が必要です。マイページの「xID で本人確認する」から"
                            + "確認してください（確認の期限が切れた方はもう一度確認してください）。");
        }
        boolean resident = account.residency() == Account.Residency.RESIDENT;
        if (rules.eligibility().residency().equals("resident") && !resident) {
            throw Problem.forbidden("This round is for residents of the municipality only.",
                    "この抽選は市内在住の方だけが申し込めます。");
        }
        Optional<ApprovedGroup> group = request.groupId().map(id -> groups.approvedGroup(town, account, id)
                .orElseThrow(() -> Problem.badField("groupId", "Apply only for a group you represent and that is approved.",
                        "申し込めるのは、あなたが代表者で承認済みの団体だけです。")));
        checkGroup(rules.eligibility(), group);
        String purpose = Normalizer.normalize(request.purpose(), Normalizer.Form.NFKC).strip();
        if (purpose.isEmpty() || purpose.length() > 200 || purpose.chars().anyMatch(Character::isISOControl)) {
            throw Problem.badField("purpose", "Say what the room is for, in up to 200 characters.",
                    "利用目的を 200 文字までで入力してください。");
        }
        Map<Long, Unit> units = repository.units(repository.db().execute(), roundId).stream()
                .collect(Collectors.toMap(Unit::id, Function.identity()));
        List<List<Long>> wishes = checkWishes(rules, units, request.wishes(), town.zone());
        checkAttendees(rules, town, units, wishes, request.attendees());
        if (LotteryRepository.wishesText(wishes).length() > LotteryRepository.MAX_WISHES_TEXT) {
            throw Problem.badField("wishes", "Too many units in the wishes.", "希望の枠が多すぎます。");
        }
        String person = keys.person(account.name(), profile.birthDate().get());
        int tier = rules.tierOf(resident, group.isPresent());
        for (int attempt = 1; ; attempt++) {
            DbTransaction tx = repository.db().transaction();
            try {
                String publicId = insert(tx, account, profile, roundId, rules, person, group, tier, purpose,
                        request.attendees(), wishes, now);
                tx.commit();
                return publicId;
            } catch (RuntimeException e) {
                Sql.rollbackQuietly(tx);
                // Two applications of one person (or group) racing for one ordinal: the key refuses the second;
                // counted again, it is over the cap or takes the next.
                SqlFailure failure = SqlFailure.of(e);
                if (attempt < 5 && !(e instanceof Problem)
                        && (failure == SqlFailure.UNIQUE_VIOLATION || failure == SqlFailure.TRANSIENT)) {
                    continue;
                }
                throw e;
            }
        }
    }

    private String insert(DbTransaction tx, Account account, Profile profile, long roundId, LotteryRules rules,
                          String person, Optional<ApprovedGroup> group, int tier, String purpose, int attendees,
                          List<List<Long>> wishes, Instant now) {
        Round locked = repository.lock(tx, roundId).orElseThrow();
        requireOpen(locked, now);
        if (repository.personUsesOtherAccount(tx, roundId, person, account.id())) {
            throw Problem.conflict("same-person", "You have already applied in this round from another account; one"
                            + " person applies as one applicant, whatever accounts they hold.",
                    "この抽選には、同じ方が別のアカウントからすでに申し込んでいます。お一人につき一申込者として扱います。");
        }
        int mine = repository.countByPerson(tx, roundId, person);
        if (mine >= rules.applicationsPerPerson()) {
            throw Problem.conflict("applications-cap", "You have made the most applications one person may make in this"
                            + " round (" + rules.applicationsPerPerson() + ").",
                    "この抽選でお一人が申し込める件数（" + rules.applicationsPerPerson() + " 件）に達しています。");
        }
        Optional<Integer> groupOrdinal = Optional.empty();
        if (group.isPresent()) {
            int theirs = repository.countByGroup(tx, roundId, group.get().id());
            if (theirs >= rules.applicationsPerGroup()) {
                throw Problem.conflict("group-applications-cap", "This group has made the most applications a group may"
                                + " make in this round (" + rules.applicationsPerGroup() + ").",
                        "この団体はこの抽選で申し込める件数（" + rules.applicationsPerGroup() + " 件）に達しています。");
            }
            groupOrdinal = Optional.of(repository.freeOrdinal(tx, roundId, "group_id", group.get().id()));
        }
        String publicId = PersonKeys.newPublicId();
        long id = repository.insertApplication(tx, new LotteryRepository.NewApplication(roundId, publicId, account.id(),
                person, repository.freeOrdinal(tx, roundId, "person_key", person), group.map(ApprovedGroup::id),
                groupOrdinal, account.residency().wire(), tier, purpose,
                attendees, wishes, profile.address().map(a -> keys.address(a.prefecture(), a.city(), a.rest())),
                profile.phone().flatMap(keys::phone), account.email().flatMap(keys::email)), now);
        repository.insertWishes(tx, id, wishes);
        return publicId;
    }

    /**
     * Withdraws an application while applications are open (取下げ); afterwards the list is frozen.
     *
     * @param town     where
     * @param account  who
     * @param publicId which application
     */
    public void withdraw(Municipality town, Account account, String publicId) {
        LotteryRepository.Stored application = own(town, account, publicId);
        Instant now = clock.instant();
        Sql.inTransaction(repository.db(), tx -> {
            Round locked = repository.lock(tx, application.roundId()).orElseThrow();
            if (!locked.accepting(now)) {
                throw Problem.conflict("applications-closed", "Applications have closed; the list is frozen for the draw.",
                        "申込期間が終わり、抽選のために申込は確定しています。取り下げはできません。");
            }
            repository.deleteApplication(tx, application.id());
            return null;
        });
    }

    /**
     * Withdraws every application of an account in rounds still taking applications: before the account is deleted.
     * Applications already frozen for a draw stay in it (the commitment covers them).
     *
     * @param town    where
     * @param account whose
     * @return how many were withdrawn
     */
    public int withdrawOpen(Municipality town, Account account) {
        Instant now = clock.instant();
        int withdrawn = 0;
        for (LotteryRepository.Stored application : repository.applicationsOf(account.id())) {
            boolean done = Sql.inTransaction(repository.db(), tx -> {
                Round locked = repository.lock(tx, application.roundId()).orElseThrow();
                if (locked.municipalityId() != town.id() || !locked.accepting(now)) {
                    return false;
                }
                repository.deleteApplication(tx, application.id());
                return true;
            });
            if (done) {
                withdrawn++;
            }
        }
        return withdrawn;
    }

    /**
     * @param town     where
     * @param account  who
     * @param publicId which application
     * @return it, when it is the account's
     */
    LotteryRepository.Stored own(Municipality town, Account account, String publicId) {
        return repository.ownApplication(town.id(), account.id(), publicId)
                .orElseThrow(() -> Problem.notFound("lottery application", "抽選の申込"));
    }

    private static void requireOpen(Round round, Instant now) {
        if (round.status() != RoundStatus.OPEN || !now.isBefore(round.schedule().closesAt())) {
            throw Problem.conflict("applications-closed", "Applications for this round have closed.",
                    "この抽選の申込期間は終了しました。");
        }
        if (now.isBefore(round.schedule().opensAt())) {
            throw Problem.conflict("applications-not-open", "Applications for this round have not opened yet.",
                    "この抽選の申込はまだ始まっていません。");
        }
    }

    private static void checkGroup(LotteryRules.Eligibility rules, Optional<ApprovedGroup> group) {
        if (rules.groupsOnly() && group.isEmpty()) {
            throw Problem.forbidden("This round is for registered groups only: apply for a group you represent.",
                    "この抽選は登録団体だけが申し込めます。代表者を務める団体として申し込んでください。");
        }
        if (group.isPresent() && !rules.groupCategories().isEmpty()
                && !rules.groupCategories().contains(group.get().categoryCode())) {
            throw Problem.forbidden("Groups of this category cannot apply in this round.",
                    "この区分の団体はこの抽選に申し込めません。");
        }
        if (group.isPresent() && group.get().roster().total() < rules.minGroupMembers()) {
            throw Problem.forbidden("The group needs at least " + rules.minGroupMembers() + " members on its roster.",
                    "この抽選に申し込むには、団体の構成員が " + rules.minGroupMembers() + " 名以上必要です。");
        }
    }

    private static List<List<Long>> checkWishes(LotteryRules rules, Map<Long, Unit> units, List<List<Long>> wishes,
                                                ZoneId zone) {
        if (wishes.isEmpty() || wishes.size() > rules.maxWishes()) {
            throw Problem.badField("wishes", "Give 1 to " + rules.maxWishes() + " wishes.",
                    "希望は 1〜" + rules.maxWishes() + " 件で指定してください。");
        }
        Set<Long> seen = new HashSet<>();
        List<List<Long>> checked = new java.util.ArrayList<>();
        for (int i = 0; i < wishes.size(); i++) {
            List<Long> wish = wishes.get(i);
            String which = "第" + (i + 1) + "希望";
            if (wish == null || wish.isEmpty() || wish.size() > rules.maxSetLength()) {
                throw Problem.badField("wishes", "Each wish is 1 to " + rules.maxSetLength() + " units.",
                        which + "は 1〜" + rules.maxSetLength() + " 枠で指定してください。");
            }
            List<Unit> set = new java.util.ArrayList<>();
            for (Long id : wish) {
                Unit unit = id == null ? null : units.get(id);
                if (unit == null) {
                    throw Problem.badField("wishes", "Wish " + (i + 1) + " names a unit that is not in this round.",
                            which + "に、この抽選にない枠が含まれています。");
                }
                if (!seen.add(id)) {
                    throw Problem.badField("wishes", "A unit appears in more than one wish.",
                            "同じ枠を複数の希望に入れることはできません。");
                }
                set.add(unit);
            }
            set.sort(java.util.Comparator.comparing(u -> u.range().start()));
            for (int j = 1; j < set.size(); j++) {
                Unit before = set.get(j - 1);
                Unit unit = set.get(j);
                if (unit.roomId() != before.roomId() || !unit.range().start().equals(before.range().end())
                        || !unit.range().start().atZone(zone).toLocalDate()
                        .equals(before.range().start().atZone(zone).toLocalDate())) {
                    throw Problem.badField("wishes", "Units wished for together must follow one another in one room"
                            + " on one day.", which + "の複数の枠は、同じ日・同じ部屋で連続している必要があります。");
                }
            }
            checked.add(set.stream().map(Unit::id).sorted().toList());
        }
        return checked;
    }

    private void checkAttendees(LotteryRules rules, Municipality town, Map<Long, Unit> units, List<List<Long>> wishes,
                                int attendees) {
        if (attendees < rules.eligibility().minAttendees()) {
            throw Problem.badField("attendees", "This round needs at least " + rules.eligibility().minAttendees()
                    + " people attending.", "この抽選は利用人数 " + rules.eligibility().minAttendees() + " 名以上が条件です。");
        }
        for (List<Long> wish : wishes) {
            Room room = facilities.room(town.id(), units.get(wish.get(0)).roomId()).orElseThrow();
            if (attendees > room.capacity()) {
                throw Problem.badField("attendees", room.name() + " holds at most " + room.capacity() + " people.",
                        room.name() + " の定員は " + room.capacity() + " 名です。");
            }
        }
    }
}
