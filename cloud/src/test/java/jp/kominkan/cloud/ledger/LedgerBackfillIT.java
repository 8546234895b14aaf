package jp.kominkan.cloud.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.UUID;

import jp.kominkan.cloud.support.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A database from before the money ledger (schema V10) with reservations of every kind — held, paid in cash,
 * free, cancelled unpaid, cancelled after paying, lapsed — migrated to the current schema: the backfill (V14)
 * brings their money into the ledger once, and the ledger adds up for each of them, on H2 and PostgreSQL.
 */
class LedgerBackfillIT {

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void reservationsFromBeforeTheLedgerAddUpAfterMigrating(TestDatabases.Kind kind) throws SQLException {
        TestDatabases.Jdbc jdbc = TestDatabases.fresh(kind);
        flyway(jdbc).target("10").load().migrate();
        UUID held = UUID.randomUUID();
        UUID paid = UUID.randomUUID();
        UUID free = UUID.randomUUID();
        UUID cancelledUnpaid = UUID.randomUUID();
        UUID cancelledPaid = UUID.randomUUID();
        UUID lapsed = UUID.randomUUID();
        try (Connection c = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password())) {
            try (Statement s = c.createStatement()) {
                s.execute("insert into municipality (id, code, name, name_kana, prefecture, city, zone_id)"
                        + " values (1, '999991', '山吹市', 'やまぶきし', '山梨県', '山吹市', 'Asia/Tokyo')");
                s.execute("insert into facility (id, municipality_id, name, name_kana, address, facility_type, description,"
                        + " access_notes) values (1, 1, '公民館', 'コウミンカン', '山吹市1', 'community-center', '', '')");
                s.execute("insert into room (id, municipality_id, facility_id, name, capacity, booking_horizon_days,"
                        + " price_per_hour_resident, price_per_hour_non_resident) values (1, 1, 1, '会議室', 10, 30, 1000, 1500)");
            }
            UUID account = UUID.randomUUID();
            try (PreparedStatement p = c.prepareStatement("insert into account (id, municipality_id, email, password_hash,"
                    + " name, created_at) values (?, 1, 'a@example.jp', 'x', '山吹 花子', ?)")) {
                p.setObject(1, account);
                p.setObject(2, OffsetDateTime.now());
                p.executeUpdate();
            }
            reservation(c, held, account, "held", 2000, null, 0);
            reservation(c, paid, account, "confirmed", 3000, "cash", 1);
            reservation(c, free, account, "confirmed", 0, null, 2);
            reservation(c, cancelledUnpaid, account, "cancelled", 1500, null, 3);
            reservation(c, cancelledPaid, account, "cancelled", 1000, "cash", 4);
            reservation(c, lapsed, account, "expired", 2500, null, 5);
        }

        flyway(jdbc).load().migrate();

        try (Connection c = DriverManager.getConnection(jdbc.url(), jdbc.user(), jdbc.password())) {
            assertThat(balance(c, held)).containsExactly(2000, 0);
            assertThat(balance(c, paid)).containsExactly(3000, 3000);
            assertThat(balance(c, free)).containsExactly(0, 0);
            assertThat(balance(c, cancelledUnpaid)).containsExactly(0, 0);
            assertThat(balance(c, cancelledPaid)).containsExactly(1000, 1000);
            assertThat(balance(c, lapsed)).containsExactly(0, 0);
            assertThat(count(c, "select count(*) from payment where idempotency_key like 'legacy/%'")).isEqualTo(2);
            assertThat(count(c, "select count(*) from payment p join ledger_entry l on l.payment_id = p.id"
                    + " where p.received_yen = 5000 and p.change_yen = 2000 and p.receipt_number = 'R2026-000001'")).isEqualTo(1);
        }
        try (var database = jp.kominkan.cloud.db.Database.open(
                jp.kominkan.cloud.support.TestCloud.config(jdbc, java.util.Map.of()).get("db"))) {
            jp.kominkan.cloud.support.LedgerInvariant.check(database.client());
        }
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(TestDatabases.Jdbc jdbc) {
        return Flyway.configure().dataSource(jdbc.url(), jdbc.user(), jdbc.password())
                .locations(jp.kominkan.cloud.db.Database.MIGRATIONS);
    }

    private static void reservation(Connection c, UUID id, UUID account, String status, int amount, String method,
                                    int n) throws SQLException {
        OffsetDateTime start = OffsetDateTime.parse("2026-12-20T09:00:00+09:00").plusHours(n);
        try (PreparedStatement p = c.prepareStatement("""
                insert into reservation (id, municipality_id, room_id, account_id, status, starts_at, ends_at, purpose,
                                         attendees, amount, hold_expires_at, payment_method, idempotency_key, request_hash,
                                         created_at, amount_received, receipt_number)
                values (?, 1, 1, ?, ?, ?, ?, '会議', 2, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            p.setObject(1, id);
            p.setObject(2, account);
            p.setString(3, status);
            p.setObject(4, start);
            p.setObject(5, start.plusHours(1));
            p.setInt(6, amount);
            p.setObject(7, status.equals("confirmed") || amount == 0 ? null : start.minusDays(3));
            p.setString(8, method);
            p.setString(9, "key-" + n);
            p.setString(10, "0".repeat(64));
            p.setObject(11, OffsetDateTime.now().minusDays(10));
            if (method == null) {
                p.setNull(12, java.sql.Types.INTEGER);
                p.setNull(13, java.sql.Types.VARCHAR);
            } else {
                p.setInt(12, amount + 2000);
                p.setString(13, "R2026-00000" + n);
            }
            p.executeUpdate();
        }
    }

    private static long[] balance(Connection c, UUID id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("""
                select coalesce(sum(case when kind = 'charge' then amount when kind in ('reduction', 'cancellation')
                                         then -amount else 0 end), 0) as due,
                       coalesce(sum(case when kind = 'payment' then amount when kind = 'refund' then -amount else 0 end), 0)
                         as paid
                  from ledger_entry where reservation_id = ?""")) {
            p.setObject(1, id);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong("due"), rs.getLong("paid")};
            }
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
