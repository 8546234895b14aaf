package jp.kominkan.cloud.backoffice;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.booking.ReservationSearch;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.page.Formats;
import jp.kominkan.cloud.page.Page;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.staff.StaffRole;

/** {@code /staff/login}, {@code /staff/logout} and {@code /staff}: today's bookings in the member's scope. */
public final class StaffHome implements HttpService {

    private final StaffSite site;
    private final ReservationSearch search;
    private final Clock clock;

    /**
     * @param site   staff pages' support
     * @param search the reservation list
     * @param clock  the clock
     */
    public StaffHome(StaffSite site, ReservationSearch search, Clock clock) {
        this.site = site;
        this.search = search;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/staff/login", site::loginForm)
                .post("/staff/login", site::login)
                .post("/staff/logout", site::logout)
                .get("/staff", site.guard(Permission.VIEW_BOOKINGS, this::home));
    }

    private void home(ServerRequest req, ServerResponse res, Municipality town, StaffMember me) {
        LocalDate today = LocalDate.now(clock.withZone(town.zone()));
        ReservationSearch.Result rows = search.find(town.id(), new ReservationSearch.Criteria(
                today.atStartOfDay(town.zone()).toInstant(), today.plusDays(1).atStartOfDay(town.zone()).toInstant(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                me.role() == StaffRole.MAIN ? Optional.empty() : Optional.of(me.facilities()), 0));
        Page page = site.page(req, res, town);
        site.render(res, Status.OK_200, "staff/home.jte", page, me, Map.of("today", Formats.format(
                today.atStartOfDay(town.zone()).toInstant(), town.zone(), page).replace(" 0:00", "").replace(", 0:00", ""),
                "rows", rows.rows().stream().map(r -> new ReservationPages.RowLine(r.id(), r.number(),
                        Formats.when(r.range(), town.zone(), page), r.facilityName() + " " + r.roomName(), r.person(),
                        r.phone().orElse(""), r.statusAt(clock.instant()).wire(), r.amount())).toList()));
    }
}
