package jp.kominkan.cloud.backoffice;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.facility.Facility;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.fee.Equipment;
import jp.kominkan.cloud.fee.FeeAdmin;
import jp.kominkan.cloud.fee.FeeCalculator;
import jp.kominkan.cloud.fee.FeeException;
import jp.kominkan.cloud.fee.FeeRequest;
import jp.kominkan.cloud.fee.FeeScheduleException;
import jp.kominkan.cloud.fee.FeeSchedules;
import jp.kominkan.cloud.fee.Quote;
import jp.kominkan.cloud.fee.StaffFeeHttpService;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.payment.Refunds;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;

/**
 * The staff's pages for money rules (料金の設定): a room's fee schedule (料金表) edited as its JSON document, with
 * 「検証」 (check it and price a sample booking) and 「保存」, and its payment deadline; a facility's equipment
 * (附属設備); a facility's refund schedule (還付規定). A document that cannot be used is shown again with the path
 * at fault and nothing is written.
 */
public final class FeePages implements HttpService {

    private final StaffSite site;
    private final FeeAdmin admin;
    private final FacilityRepository facilities;
    private final Clock clock;

    /**
     * @param site       staff pages' support
     * @param admin      the money rules
     * @param facilities facilities and rooms
     * @param clock      the clock
     */
    public FeePages(StaffSite site, FeeAdmin admin, FacilityRepository facilities, Clock clock) {
        this.site = site;
        this.admin = admin;
        this.facilities = facilities;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/staff/rooms/{id}/fees", site.guard(Permission.EDIT_FACILITIES, this::schedule))
                .post("/staff/rooms/{id}/fees", site.guard(Permission.EDIT_FACILITIES, this::saveSchedule))
                .get("/staff/facilities/{id}/equipment", site.guard(Permission.EDIT_FACILITIES, this::equipment))
                .post("/staff/facilities/{id}/equipment", site.guard(Permission.EDIT_FACILITIES, this::saveEquipment))
                .get("/staff/facilities/{id}/refund-schedule", site.guard(Permission.EDIT_FACILITIES, this::refunds))
                .post("/staff/facilities/{id}/refund-schedule", site.guard(Permission.EDIT_FACILITIES, this::saveRefunds));
    }

    // ---- a room's fee schedule ---------------------------------------------------------------------

    private void schedule(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        FeeAdmin.RoomSchedule schedule = admin.schedule(town, me, PathIds.number(req, "id"));
        Map<String, String> values = new HashMap<>(Map.of("document", schedule.document(),
                "payDaysBefore", "" + schedule.payDaysBefore(), "previewStart", "09:00", "previewEnd", "12:00",
                "previewDate", LocalDate.now(clock.withZone(town.zone())).plusDays(14).toString()));
        showSchedule(req, res, town, me, schedule, Map.of(), values, Optional.empty(), Status.OK_200);
    }

    private void saveSchedule(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        long roomId = PathIds.number(req, "id");
        FeeAdmin.RoomSchedule current = admin.schedule(town, me, roomId);
        Map<String, String> form = site.form(req);
        String document = form.getOrDefault("document", "");
        try {
            if (document.getBytes(StandardCharsets.UTF_8).length > Json.MAX_BODY) {
                throw new Refused(Status.REQUEST_ENTITY_TOO_LARGE_413, "document", site.page(req, res, town).t(
                        "料金表が大きすぎます（上限 64 KiB）。何も保存していません。",
                        "The schedule is larger than 64 KiB; nothing was saved."));
            }
            if ("validate".equals(form.get("action"))) {
                Optional<Quote> quote = preview(town, document, form);
                showSchedule(req, res, town, me, current, Map.of(), form, quote, Status.OK_200);
                return;
            }
            admin.save(town, me, Actor.of(me, req), roomId, Optional.of(document), payDays(form));
            site.redirect(res, "/staff/rooms/" + roomId + "/fees?done=saved");
        } catch (FeeScheduleException e) {
            showSchedule(req, res, town, me, current, Map.of("document", message(req, e)), form, Optional.empty(),
                    Status.BAD_REQUEST_400);
        } catch (Refused refused) {
            showSchedule(req, res, town, me, current, Map.of(refused.field, refused.getMessage()), form,
                    Optional.empty(), refused.status);
        } catch (Problem problem) {
            showSchedule(req, res, town, me, current, StaffSite.error(req, problem, "document"), form, Optional.empty(),
                    Status.create(problem.status()));
        }
    }

    /** 「検証」: the document is parsed (errors with their path) and, when a date is given, a booking priced. */
    private Optional<Quote> preview(Municipality town, String document, Map<String, String> form) {
        var schedule = FeeSchedules.parse(document);
        LocalDate date = Formats.date(form.get("previewDate")).orElseThrow(() -> Problem.badField("previewDate",
                "Enter the date to price, e.g. 2026-12-01.", "試算する利用日を入力してください（例: 2026-12-01）。"));
        LocalDateTime start = Formats.at(date, form.get("previewStart"), town.zone(), "previewStart").toLocalDateTime();
        LocalDateTime end = "24:00".equals(form.get("previewEnd")) ? date.plusDays(1).atStartOfDay()
                : Formats.at(date, form.get("previewEnd"), town.zone(), "previewEnd").toLocalDateTime();
        long admission = number(form.getOrDefault("previewAdmission", "0"), "previewAdmission");
        try {
            FeeRequest request = new FeeRequest(start, end, LocalDate.now(clock.withZone(town.zone())),
                    "non-resident".equals(form.get("previewResidency")) ? FeeRequest.Residency.NON_RESIDENT
                            : FeeRequest.Residency.RESIDENT,
                    new FeeRequest.Purpose(admission, "on".equals(form.get("previewCommercial")), false), List.of(),
                    Optional.empty());
            return Optional.of(FeeCalculator.quote(schedule, request));
        } catch (FeeException e) {
            throw Problem.badField("previewDate", e.messageEn(), "試算できません: " + e.messageJa());
        }
    }

    private void showSchedule(ServerRequest req, ServerResponse res, Municipality town, StaffMember me,
                              FeeAdmin.RoomSchedule schedule, Map<String, String> errors, Map<String, String> values,
                              Optional<Quote> quote, Status status) {
        Page page = site.page(req, res, town).withForm(errors, values);
        Map<String, Object> model = new HashMap<>();
        model.put("schedule", schedule);
        model.put("facility", facilities.facility(town.id(), schedule.room().facilityId()).orElseThrow());
        model.put("quote", quote);
        model.put("checked", quote.isPresent() && errors.isEmpty());
        model.put("times", Formats.quarterHours());
        model.put("done", Formats.query(req, "done").getOrDefault("done", ""));
        res.header(io.helidon.http.HeaderNames.CACHE_CONTROL, "no-store");
        site.render(res, status, "staff/feeSchedule.jte", page, me, model);
    }

    private static OptionalInt payDays(Map<String, String> form) {
        return OptionalInt.of((int) number(form.getOrDefault("payDaysBefore", ""), "payDaysBefore"));
    }

    // ---- equipment ---------------------------------------------------------------------------------

    private void equipment(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        long facilityId = PathIds.number(req, "id");
        List<Equipment> items = admin.equipment(town, me, facilityId);
        Map<String, String> values = new HashMap<>(Map.of("per", "use", "stock", "1", "yen", "0"));
        String code = Formats.query(req, "code").getOrDefault("code", "");
        items.stream().filter(e -> e.code().equals(code)).findFirst().ifPresent(e -> values.putAll(Map.of(
                "code", e.code(), "name", e.name(), "yen", "" + e.yen(), "per", e.per().name().toLowerCase(java.util.Locale.ROOT),
                "stock", "" + e.stock())));
        showEquipment(req, res, town, me, facilityId, Map.of(), values, Status.OK_200);
    }

    private void saveEquipment(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        long facilityId = PathIds.number(req, "id");
        admin.equipment(town, me, facilityId);
        Map<String, String> form = site.form(req);
        try {
            admin.saveEquipment(town, me, Actor.of(me, req), facilityId, form.get("code"), form.get("name"),
                    number(form.getOrDefault("yen", ""), "yen"), StaffFeeHttpService.per(form.get("per")),
                    (int) number(form.getOrDefault("stock", ""), "stock"));
            site.redirect(res, "/staff/facilities/" + facilityId + "/equipment?done=saved");
        } catch (Problem problem) {
            Map<String, String> errors = new HashMap<>(StaffSite.error(req, problem, "stock"));
            showEquipment(req, res, town, me, facilityId, errors, form, Status.create(problem.status()));
        }
    }

    private void showEquipment(ServerRequest req, ServerResponse res, Municipality town, StaffMember me, long facilityId,
                               Map<String, String> errors, Map<String, String> values, Status status) {
        Page page = site.page(req, res, town).withForm(errors, values);
        site.render(res, status, "staff/equipment.jte", page, me, Map.of("facility", facility(town, facilityId),
                "items", admin.equipment(town, me, facilityId),
                "done", Formats.query(req, "done").getOrDefault("done", "")));
    }

    // ---- refund schedule ---------------------------------------------------------------------------

    private void refunds(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        FeeAdmin.RefundRules rules = admin.refundRules(town, me, PathIds.number(req, "id"));
        showRefunds(req, res, town, me, rules, Map.of(), Map.of("document", rules.document().orElse("")),
                Status.OK_200);
    }

    private void saveRefunds(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        long facilityId = PathIds.number(req, "id");
        FeeAdmin.RefundRules current = admin.refundRules(town, me, facilityId);
        Map<String, String> form = site.form(req);
        try {
            if (form.getOrDefault("document", "").length() > 16_000) {
                throw new FeeScheduleException("", "還付規定が長すぎます（16,000 文字まで）。",
                        "The refund schedule is longer than 16,000 characters.");
            }
            admin.saveRefundRules(town, me, Actor.of(me, req), facilityId, form.getOrDefault("document", ""));
            site.redirect(res, "/staff/facilities/" + facilityId + "/refund-schedule?done=saved");
        } catch (FeeScheduleException e) {
            showRefunds(req, res, town, me, current, Map.of("document", message(req, e)), form, Status.BAD_REQUEST_400);
        }
    }

    private void showRefunds(ServerRequest req, ServerResponse res, Municipality town, StaffMember me,
                             FeeAdmin.RefundRules rules, Map<String, String> errors, Map<String, String> values,
                             Status status) {
        Page page = site.page(req, res, town).withForm(errors, values);
        site.render(res, status, "staff/refundSchedule.jte", page, me, Map.of("facility", rules.facility(),
                "own", rules.document().isPresent(), "fallback", Refunds.DEFAULT_SCHEDULE,
                "done", Formats.query(req, "done").getOrDefault("done", "")));
    }

    // ---- shared ------------------------------------------------------------------------------------

    private Facility facility(Municipality town, long facilityId) {
        return facilities.facility(town.id(), facilityId).orElseThrow(() -> Problem.notFound("facility", "施設"));
    }

    /** @return the error as the page shows it: the path first ({@code units[2].prices.土日祝: …}) */
    static String message(ServerRequest req, FeeScheduleException e) {
        String text = Formats.message(req, Problem.badRequest("x", e.messageEn(), e.messageJa()));
        return e.path().isEmpty() ? text : e.path() + ": " + text;
    }

    private static long number(String typed, String field) {
        String digits = java.text.Normalizer.normalize(typed == null ? "" : typed, java.text.Normalizer.Form.NFKC)
                .replace(",", "").strip();
        if (!digits.matches("\\d{1,9}")) {
            throw Problem.badField(field, "Enter a whole number.", "整数で入力してください。");
        }
        return Long.parseLong(digits);
    }

    /** A refusal the page words itself (its status and field). */
    private static final class Refused extends RuntimeException {
        private final Status status;
        private final String field;

        Refused(Status status, String field, String message) {
            super(message, null, false, false);
            this.status = status;
            this.field = field;
        }
    }
}
