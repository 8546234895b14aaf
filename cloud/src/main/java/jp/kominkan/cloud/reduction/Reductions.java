package jp.kominkan.cloud.reduction;

import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.helidon.dbclient.DbTransaction;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.booking.BookingService;
import jp.kominkan.cloud.booking.Reservation;
import jp.kominkan.cloud.booking.ReservationStatus;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.db.SqlFailure;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.facility.Room;
import jp.kominkan.cloud.group.Evidence;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffNotices;
import jp.kominkan.cloud.web.Problem;

/**
 * Applying for fee reduction or exemption (減免申請) on a held booking: the resident names a category, says
 * why and attaches evidence; the booking then waits for staff, and its slots stay held until they decide
 * (the hold deadline moves to the booking's start, on the reservation and on its room slots, in the
 * application's transaction). One application per booking; only its own resident; only while it is held and
 * has not started. Staff decide in {@link ReductionReview}.
 */
public final class Reductions {

    /** Longest reason. */
    public static final int REASON_MAX = 400;
    /** Largest evidence file: 5 MiB, as for groups. */
    public static final long MAX_EVIDENCE_BYTES = 5L * 1024 * 1024;

    private final ReductionRepository repository;
    private final BookingService bookings;
    private final FacilityRepository facilities;
    private final StaffNotices notices;
    private final Clock clock;

    /**
     * @param repository the SQL
     * @param bookings   the bookings, for the resident's own reservation
     * @param facilities rooms, for the facility whose staff review the application
     * @param notices    tells those staff of the application
     * @param clock      the clock
     */
    public Reductions(ReductionRepository repository, BookingService bookings, FacilityRepository facilities,
                      StaffNotices notices, Clock clock) {
        this.repository = repository;
        this.bookings = bookings;
        this.facilities = facilities;
        this.notices = notices;
        this.clock = clock;
    }

    /**
     * An application as sent.
     *
     * @param categoryCode the category
     * @param reason       why
     * @param evidence     the attached file, if any (the page requires one; API clients may send none)
     */
    public record Request(String categoryCode, String reason, Optional<Upload> evidence) {

        /** Checks the parts. */
        public Request {
            Objects.requireNonNull(categoryCode, "categoryCode");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(evidence, "evidence");
        }
    }

    /**
     * A file as uploaded, judged later by its bytes.
     *
     * @param bytes    the file
     * @param fileName the name it came with
     */
    public record Upload(byte[] bytes, String fileName) {

        /** Checks the parts. */
        public Upload {
            Objects.requireNonNull(bytes, "bytes");
            Objects.requireNonNull(fileName, "fileName");
        }
    }

    /**
     * @param town the municipality
     * @return its categories, in their order
     */
    public List<ReductionCategory> categories(Municipality town) {
        return repository.categories(town.id());
    }

    /**
     * @param town the municipality
     * @param code a category's code
     * @return the category, retired or not (an application keeps the one it was made under)
     */
    public Optional<ReductionCategory> category(Municipality town, String code) {
        return repository.category(repository.db().execute(), town.id(), code);
    }

    /**
     * @param town    the municipality
     * @param account who asks
     * @param id      the booking
     * @return its application, if any; 404 unless it is the account's booking
     */
    public Optional<ReductionApplication> of(Municipality town, Account account, UUID id) {
        Reservation reservation = bookings.visibleTo(town, account, id);
        return repository.byReservation(town.id(), reservation.id());
    }

    /**
     * @param town the municipality
     * @param id   a booking the caller may see
     * @return its application, if any
     */
    public Optional<ReductionApplication> onBooking(Municipality town, UUID id) {
        return repository.byReservation(town.id(), id);
    }

    /**
     * @param reservationId a booking
     * @return whether an application on it waits for review: it cannot be paid until decided, since the fee
     *         may change
     */
    public boolean pendingOn(UUID reservationId) {
        return repository.pendingOn(reservationId);
    }

    /**
     * Sends an application and keeps the booking held until staff decide.
     *
     * @param town    the municipality
     * @param account the booking's resident
     * @param id      the booking
     * @param request what is applied for
     * @return the application
     * @throws Problem 404 for another's booking, 409 unless held and not started or when applied for already,
     *                 400 naming the field at fault, 413 for a file too large
     */
    public ReductionApplication apply(Municipality town, Account account, UUID id, Request request) {
        Reservation reservation = bookings.visibleTo(town, account, id);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        if (reservation.statusAt(now) != ReservationStatus.HELD || !reservation.range().start().isAfter(now)) {
            throw notHeld();
        }
        ReductionCategory category = repository.activeCategory(repository.db().execute(), town.id(),
                request.categoryCode().strip()).orElseThrow(() -> Problem.badField("categoryCode",
                "Choose one of the municipality's reduction categories.", "減免の区分を選んでください。"));
        String reason = text(request.reason(), REASON_MAX, "reason", "the reason", "申請の理由");
        Optional<ReductionApplication.EvidenceInfo> evidence = request.evidence().map(Reductions::evidence);
        Room room = facilities.room(town.id(), reservation.roomId()).orElseThrow();
        return Sql.inTransaction(repository.db(), tx -> {
            // The reservation row first, then: no konbini voucher out (it can be paid at the store at the full fee at
            // any time); a card paid during the review is given back in full by the payment side (payment.Payments).
            tx.get("select id from reservation where id = ? for update", reservation.id());
            if (tx.get("select 1 as x from payment where reservation_id = ? and status = 'pending' and method = 'konbini'",
                    reservation.id()).isPresent()) {
                throw Problem.conflict("payment-under-way",
                        "A convenience-store voucher of this booking is out; apply for a reduction once it is paid or expired.",
                        "この予約のコンビニ払いの払込票が発行済みのため、減免を申請できません。お支払いか期限切れの後に申請してください。");
            }
            Optional<Long> groupId = repository.stored(tx, reservation.id()).groupId();
            if (category.requiresGroup() && groupId.isEmpty()) {
                throw Problem.badField("categoryCode", "This category is for bookings made for an approved group.",
                        "この区分は、承認済みの団体として予約した場合に申請できます。");
            }
            if (repository.byReservation(town.id(), reservation.id()).isPresent()) {
                throw applied();
            }
            ReductionApplication application = new ReductionApplication(UUID.randomUUID(), reservation.id(),
                    category.code(), groupId, reason, evidence, ReductionStatus.PENDING, Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), reservation.amount(), Optional.empty(), now);
            try {
                repository.insert(tx, town.id(), new ReductionRepository.NewApplication(application,
                        request.evidence().map(Upload::bytes)));
            } catch (RuntimeException e) {
                if (SqlFailure.of(e) == SqlFailure.UNIQUE_VIOLATION) {
                    throw applied();
                }
                throw e;
            }
            // Held for the review: until the booking starts, unless staff decide first.
            if (!repository.holdUntil(tx, reservation.id(), reservation.range().start(), now)) {
                throw notHeld();
            }
            tellReviewers(tx, town, room, reservation, application, category, now);
            return application;
        });
    }

    /**
     * Mail to the staff who may review it (主管理者, and 施設管理者 whose scope includes the booking's facility), in
     * the application's transaction: the booking's number, the category and the review page — no applicant's
     * name, reason or evidence.
     */
    private void tellReviewers(DbTransaction tx, Municipality town, Room room, Reservation reservation,
                               ReductionApplication application, ReductionCategory category, Instant now) {
        String number = reservation.id().toString().substring(0, 8).toUpperCase(Locale.ROOT);
        String body = "減免の申請が届きました。審査が終わるまで、この予約はお支払いを受け付けません（仮予約のまま保持されます）。\n\n"
                + "予約番号: " + number + "\n減免の区分: " + category.nameJa() + "\n審査画面: /staff/reductions/"
                + application.id() + "\n\n職員用画面にログインし、「減免審査」からご確認ください。\n\n" + town.name()
                + " 施設予約システム";
        notices.tellAt(tx, town.id(), Permission.REVIEW_REDUCTIONS, room.facilityId(), new StaffNotices.Notice(
                "staff-reduction-applied", "【" + town.name() + "】減免申請の審査依頼（予約番号 " + number + "）", body), now);
    }

    private static ReductionApplication.EvidenceInfo evidence(Upload upload) {
        if (upload.bytes().length > MAX_EVIDENCE_BYTES) {
            throw Problem.tooLarge(MAX_EVIDENCE_BYTES);
        }
        String type = Evidence.sniff(upload.bytes()).orElseThrow(() -> Problem.badField("evidence",
                "Attach a PDF, JPEG or PNG file (judged by its content, not its name).",
                "添付できるのは PDF・JPEG・PNG のファイルだけです（ファイルの中身で判定します）。"));
        String base = upload.fileName().replaceAll(".*[/\\\\]", "").replaceAll("\\.[^.]*$", "");
        String clean = base.codePoints().filter(c -> !Character.isISOControl(c)
                        && Character.getType(c) != Character.FORMAT).collect(StringBuilder::new,
                StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        if (clean.length() > 100) {
            clean = clean.substring(0, 100);
        }
        String extension = switch (type) {
            case "application/pdf" -> ".pdf";
            case "image/jpeg" -> ".jpg";
            default -> ".png";
        };
        return new ReductionApplication.EvidenceInfo(type, upload.bytes().length,
                (clean.isEmpty() ? "evidence" : clean) + extension);
    }

    /**
     * Free text shown to staff and in mail: NFC, trimmed, bounded, no control or format characters (newlines
     * are kept as spaces).
     */
    static String text(String raw, int max, String field, String english, String japanese) {
        String clean = Normalizer.normalize(raw == null ? "" : raw, Normalizer.Form.NFC).replace("\r\n", " ")
                .replace('\n', ' ').strip();
        if (clean.isEmpty() || clean.codePointCount(0, clean.length()) > max) {
            throw Problem.badField(field, "Enter " + english + " (up to " + max + " characters).",
                    japanese + "を入力してください（" + max + " 文字まで）。");
        }
        if (clean.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
            throw Problem.badField(field, "Remove control characters from " + english + ".",
                    japanese + "に制御文字が含まれています。取り除いてください。");
        }
        return clean;
    }

    static Problem notHeld() {
        return Problem.conflict("reduction-not-held",
                "減免 can be applied for only on a held booking that has not started (not once paid, cancelled or expired).",
                "減免の申請は、開始前の仮予約（支払前）にだけできます（支払済み・取消・失効の予約にはできません）。");
    }

    private static Problem applied() {
        return Problem.conflict("reduction-applied", "This booking has a 減免 application already.",
                "この予約はすでに減免を申請しています。");
    }
}
