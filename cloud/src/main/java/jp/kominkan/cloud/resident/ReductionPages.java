package jp.kominkan.cloud.resident;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.booking.BookingService;
import jp.kominkan.cloud.booking.Reservation;
import jp.kominkan.cloud.booking.ReservationStatus;
import jp.kominkan.cloud.facility.FacilityRepository;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.page.PageSupport;
import jp.kominkan.cloud.reduction.ReductionApplication;
import jp.kominkan.cloud.reduction.ReductionForm;
import jp.kominkan.cloud.reduction.Reductions;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * The resident's 減免 page of a held booking (減免の申請): the municipality's categories with their rates, the
 * reason and the evidence file, sent as one CSRF-checked multipart form; once sent, the application and its
 * result. The booking's page links here.
 */
public final class ReductionPages implements HttpService {

    private final PageSupport pages;
    private final Tenancy tenancy;
    private final BookingService bookings;
    private final FacilityRepository facilities;
    private final Reductions reductions;
    private final Clock clock;

    /**
     * @param pages      templates, CSRF, language
     * @param tenancy    finds the municipality
     * @param bookings   the resident's bookings
     * @param facilities rooms, for the booking's place
     * @param reductions applying
     * @param clock      the clock
     */
    public ReductionPages(PageSupport pages, Tenancy tenancy, BookingService bookings, FacilityRepository facilities,
                          Reductions reductions, Clock clock) {
        this.pages = pages;
        this.tenancy = tenancy;
        this.bookings = bookings;
        this.facilities = facilities;
        this.reductions = reductions;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/reservations/{id}/reduction", ResidentOnly.wrap(pages, tenancy, this::form))
                .post("/reservations/{id}/reduction", ResidentOnly.wrap(pages, tenancy, this::apply));
    }

    private void form(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        Reservation r = bookings.visibleTo(town, account, PathIds.uuid(req, "id"));
        show(req, res, town, r, Map.of(), Map.of(), Status.OK_200);
    }

    private void apply(ServerRequest req, ServerResponse res, Municipality town, Account account) {
        UUID id = PathIds.uuid(req, "id");
        Reservation r = bookings.visibleTo(town, account, id);
        ReductionForm form;
        try {
            form = ReductionForm.read(req);
        } catch (Problem problem) {
            show(req, res, town, r, Map.of("evidence", Formats.message(req, problem)), Map.of(),
                    Status.create(problem.status()));
            return;
        }
        pages.checkCsrf(req, form.csrf());
        try {
            if (form.file().isEmpty()) {
                throw Problem.badField("evidence", "Attach the evidence (PDF, JPEG or PNG).",
                        "証明書類（PDF・JPEG・PNG）を添付してください。");
            }
            reductions.apply(town, account, id, new Reductions.Request(form.fields().getOrDefault("categoryCode", ""),
                    form.fields().getOrDefault("reason", ""), form.file()));
            pages.redirect(res, "/reservations/" + id + "?done=reduction");
        } catch (Problem problem) {
            show(req, res, town, r, Map.of(problem.field().orElse("form"), Formats.message(req, problem)),
                    form.fields(), Status.create(problem.status()));
        }
    }

    private void show(ServerRequest req, ServerResponse res, Municipality town, Reservation r,
                      Map<String, String> errors, Map<String, String> values, Status status) {
        Page page = pages.page(req, res, town).withForm(errors, values);
        Instant now = clock.instant();
        Optional<ReductionApplication> application = reductions.onBooking(town, r.id());
        Map<String, Object> model = new HashMap<>();
        model.put("id", r.id().toString());
        model.put("when", Formats.when(r.range(), town.zone(), page));
        model.put("place", facilities.room(town.id(), r.roomId()).map(room -> facilities.facility(town.id(),
                room.facilityId()).map(f -> f.name() + " " + room.name()).orElse(room.name())).orElse(""));
        model.put("amount", r.amount());
        model.put("application", application);
        model.put("categories", reductions.categories(town));
        model.put("appliedName", application.flatMap(a -> reductions.category(town, a.categoryCode()))
                .map(c -> page.t(c.nameJa(), c.nameEn())).orElse(""));
        model.put("open", application.isEmpty() && r.statusAt(now) == ReservationStatus.HELD
                && r.range().start().isAfter(now));
        model.put("maxMegabytes", Reductions.MAX_EVIDENCE_BYTES / (1024 * 1024));
        pages.render(res, status, "reduction.jte", page, model);
    }
}
