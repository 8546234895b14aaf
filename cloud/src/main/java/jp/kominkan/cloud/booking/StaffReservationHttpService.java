package jp.kominkan.cloud.booking;

import java.time.Clock;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.staff.Permission;
import jp.kominkan.cloud.staff.StaffAuthenticator;
import jp.kominkan.cloud.staff.StaffMember;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.Json;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code /api/v1/staff/reservations}: what facility staff do with bookings.
 */
public final class StaffReservationHttpService implements HttpService {

    private final BookingService bookings;
    private final StaffAuthenticator authenticator;
    private final Tenancy tenancy;
    private final Clock clock;

    /**
     * @param bookings      the booking service
     * @param authenticator finds who is calling
     * @param tenancy       finds the municipality
     * @param clock         the clock
     */
    public StaffReservationHttpService(BookingService bookings, StaffAuthenticator authenticator, Tenancy tenancy,
                                       Clock clock) {
        this.bookings = bookings;
        this.authenticator = authenticator;
        this.tenancy = tenancy;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/{id}/confirm", this::confirm);
    }

    private void confirm(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        StaffMember staff = authenticator.require(req, municipality, Permission.MANAGE_BOOKINGS);
        Reservation reservation = bookings.confirmCashPayment(municipality, staff, PathIds.uuid(req, "id"));
        Json.send(res, Status.OK_200, ReservationView.of(reservation, municipality.zone(), clock.instant()));
    }
}
