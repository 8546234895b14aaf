package jp.kominkan.cloud.backoffice;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.facility.Facility;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.operations.Actor;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.payment.Payment;
import jp.kominkan.cloud.payment.Takings;
import jp.kominkan.cloud.receipt.DailyTakings;
import jp.kominkan.cloud.receipt.MonthlySales;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;

/**
 * The counter's money pages (出納): a facility's takings of a day (日計表) with totals by method and its CSV, its
 * sales of a month (売上) with CSV, and the cash refunds waiting to be handed over (還付待ち) with
 * 「返金済みにする」. For the roles that handle money (clerk, facility administrator, main administrator), in
 * their facilities; a caretaker sees none of it.
 */
public final class TakingsPages implements HttpService {

    private final StaffSite site;
    private final Takings takings;
    private final FacilityRepository facilities;
    private final Clock clock;

    /**
     * @param site       staff pages' support
     * @param takings    the ledger's money by day and month
     * @param facilities facilities
     * @param clock      the clock
     */
    public TakingsPages(StaffSite site, Takings takings, FacilityRepository facilities, Clock clock) {
        this.site = site;
        this.takings = takings;
        this.facilities = facilities;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/staff/takings", site.guard(Permission.MANAGE_BOOKINGS, this::choose))
                .get("/staff/facilities/{id}/takings", site.guard(Permission.MANAGE_BOOKINGS, this::day))
                .get("/staff/facilities/{id}/takings.csv", site.guard(Permission.MANAGE_BOOKINGS, this::dayCsv))
                .get("/staff/facilities/{id}/sales", site.guard(Permission.MANAGE_BOOKINGS, this::month))
                .get("/staff/facilities/{id}/sales.csv", site.guard(Permission.MANAGE_BOOKINGS, this::monthCsv))
                .get("/staff/refunds", site.guard(Permission.MANAGE_BOOKINGS, this::pending))
                .post("/staff/refunds/{id}/paid", site.guard(Permission.MANAGE_BOOKINGS, this::paid));
    }

    /** The menu's 日計表 and its chooser: the facility asked for (else the first in scope), on the day asked for. */
    private void choose(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        List<Facility> mine = scoped(town, me);
        if (mine.isEmpty()) {
            site.render(res, Status.OK_200, "staff/takings.jte", site.page(req, res, town), me, Map.of(
                    "facilities", mine, "day", Optional.empty()));
            return;
        }
        String asked = req.query().first("facility").orElse("");
        Facility facility = mine.stream().filter(f -> asked.equals("" + f.id())).findFirst().orElse(mine.get(0));
        site.redirect(res, "/staff/facilities/" + facility.id() + "/takings?date=" + date(req, town));
    }

    private void day(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Facility facility = facility(req, town, me);
        LocalDate date = date(req, town);
        List<Takings.Line> lines = takings.day(town.id(), facility.id(), date, town.zone());
        Page page = site.page(req, res, town).withForm(Map.of(), Map.of("date", date.toString()));
        Map<Payment.Method, long[]> byMethod = new EnumMap<>(Payment.Method.class);
        long in = 0;
        long out = 0;
        for (Takings.Line line : lines) {
            long[] sums = byMethod.computeIfAbsent(line.method(), m -> new long[2]);
            sums[0] += line.in();
            sums[1] += line.out();
            in += line.in();
            out += line.out();
        }
        List<MethodTotal> totals = byMethod.entrySet().stream().map(e -> new MethodTotal(
                page.t(e.getKey().ja(), e.getKey().en()), e.getValue()[0], e.getValue()[1])).toList();
        List<LineView> views = lines.stream().map(l -> new LineView(l.reservationId(), l.reservationNumber(),
                l.at().atZone(town.zone()).toLocalTime().withSecond(0).withNano(0).toString(),
                l.out() > 0, l.receipt().or(l::providerRef).orElse(""), page.t(l.method().ja(), l.method().en()),
                l.clerk().orElse(l.providerRef().orElse("")), l.in(), l.out())).toList();
        Map<String, Object> model = new HashMap<>();
        model.put("facilities", scoped(town, me));
        model.put("day", Optional.of(new DayView(facility, date, views, totals, new MethodTotal("", in, out))));
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        site.render(res, Status.OK_200, "staff/takings.jte", page, me, model);
    }

    private void dayCsv(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Facility facility = facility(req, town, me);
        LocalDate date = date(req, town);
        List<DailyTakings.Entry> entries = takings.day(town.id(), facility.id(), date, town.zone()).stream()
                .map(l -> l.csv(date, facility.name())).toList();
        csv(res, "takings-" + facility.id() + "-" + date + ".csv", DailyTakings.csv(entries));
    }

    private void month(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Facility facility = facility(req, town, me);
        YearMonth month = month(req, town);
        List<Takings.DayTotal> days = takings.month(town.id(), facility.id(), month, town.zone());
        Page page = site.page(req, res, town).withForm(Map.of(), Map.of("month", month.toString()));
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        site.render(res, Status.OK_200, "staff/sales.jte", page, me, Map.of("facilities", scoped(town, me),
                "facility", facility, "month", month.toString(), "days", days,
                "total", new Takings.DayTotal(month.atDay(1), days.stream().mapToLong(Takings.DayTotal::in).sum(),
                        days.stream().mapToLong(Takings.DayTotal::out).sum())));
    }

    private void monthCsv(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        Facility facility = facility(req, town, me);
        YearMonth month = month(req, town);
        List<MonthlySales.Day> days = takings.month(town.id(), facility.id(), month, town.zone()).stream()
                .map(d -> new MonthlySales.Day(d.date(), d.in(), d.out())).toList();
        csv(res, "sales-" + facility.id() + "-" + month + ".csv", MonthlySales.csv(facility.name(), days));
    }

    private void pending(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        showPending(req, res, town, me, Map.of(), Status.OK_200);
    }

    private void paid(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        site.form(req);
        UUID id = PathIds.uuid(req, "id");
        try {
            boolean done = takings.payOut(town, me, Actor.of(me, req), id);
            site.redirect(res, "/staff/refunds?done=" + (done ? "paid" : "already"));
        } catch (Problem problem) {
            if (problem.status() == 403) {
                throw problem;
            }
            showPending(req, res, town, me, StaffSite.error(req, problem), Status.create(problem.status()));
        }
    }

    private void showPending(ServerRequest req, ServerResponse res, Municipality town, StaffMember me,
                             Map<String, String> errors, Status status) {
        Page page = site.page(req, res, town).withForm(errors, Map.of());
        List<PendingView> rows = takings.pendingCash(town, me).stream().map(p -> new PendingView(p.refundId(),
                p.reservationId(), p.reservationNumber(), p.place(), Formats.format(p.decidedAt(), town.zone(), page),
                p.receipt().orElse(""), p.percent(), p.yen())).toList();
        site.render(res, status, "staff/refunds.jte", page, me, Map.of("rows", rows,
                "done", Formats.query(req, "done").getOrDefault("done", "")));
    }

    private static void csv(ServerResponse res, String filename, byte[] body) {
        res.header(HeaderNames.CONTENT_TYPE, "text/csv; charset=utf-8");
        res.header(HeaderNames.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"");
        res.header(HeaderNames.create("X-Content-Type-Options"), "nosniff");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.status(Status.OK_200).send(body);
    }

    private Facility facility(ServerRequest req, Municipality town, StaffMember me) {
        return facilities.facility(town.id(), PathIds.number(req, "id")).filter(f -> me.mayManage(f.id()))
                .orElseThrow(() -> Problem.notFound("facility", "施設"));
    }

    private List<Facility> scoped(Municipality town, StaffMember me) {
        return facilities.allFacilities(town.id()).stream().filter(f -> me.mayManage(f.id())).toList();
    }

    private LocalDate date(ServerRequest req, Municipality town) {
        Optional<String> typed = req.query().first("date").asOptional().filter(s -> !s.isBlank());
        if (typed.isEmpty()) {
            return LocalDate.now(clock.withZone(town.zone()));
        }
        return Formats.date(typed.get()).orElseThrow(() -> Problem.badField("date", "Give the date as 2026-12-01.",
                "日付は 2026-12-01 の形式で指定してください。"));
    }

    private YearMonth month(ServerRequest req, Municipality town) {
        Optional<String> typed = req.query().first("month").asOptional().filter(s -> !s.isBlank());
        try {
            return typed.map(YearMonth::parse).orElse(YearMonth.now(clock.withZone(town.zone())));
        } catch (DateTimeException e) {
            throw Problem.badField("month", "Give the month as 2026-12.", "月は 2026-12 の形式で指定してください。");
        }
    }

    /**
     * A day's takings as shown.
     *
     * @param facility the facility
     * @param date     the day
     * @param lines    its lines
     * @param byMethod totals per method
     * @param total    the day's total
     */
    public record DayView(Facility facility, LocalDate date, List<LineView> lines, List<MethodTotal> byMethod,
                          MethodTotal total) {
    }

    /**
     * A line of the day.
     *
     * @param reservationId the reservation
     * @param number        its number
     * @param time          when
     * @param refund        whether money went out
     * @param receipt       receipt number or provider reference
     * @param method        how paid
     * @param handledBy     clerk or provider reference
     * @param in            yen in
     * @param out           yen out
     */
    public record LineView(UUID reservationId, String number, String time, boolean refund, String receipt,
                           String method, String handledBy, long in, long out) {
    }

    /**
     * Totals of a method (or of the day).
     *
     * @param method the method's name
     * @param in     yen received
     * @param out    yen refunded
     */
    public record MethodTotal(String method, long in, long out) {
        /** @return received minus refunded */
        public long net() {
            return in - out;
        }
    }

    /**
     * A cash refund waiting.
     *
     * @param refundId      the refund
     * @param reservationId its reservation
     * @param number        the reservation's number
     * @param place         facility and room
     * @param decided       when decided
     * @param receipt       the payment's receipt
     * @param percent       rate
     * @param yen           to hand over
     */
    public record PendingView(UUID refundId, UUID reservationId, String number, String place, String decided,
                              String receipt, int percent, long yen) {
    }
}
