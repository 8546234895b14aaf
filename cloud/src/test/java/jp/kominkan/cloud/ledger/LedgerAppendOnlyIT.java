package jp.kominkan.cloud.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import jp.kominkan.cloud.db.Database;
import jp.kominkan.cloud.db.Sql;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The ledger is append-only in the database itself (V15): whoever sends an UPDATE or DELETE of a ledger
 * entry — a bug, a console, a script — is refused and the entry stays as written, on H2 and PostgreSQL.
 */
class LedgerAppendOnlyIT {

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    void aLedgerEntryCanNeitherBeChangedNorRemoved(TestDatabases.Kind kind) {
        try (Database database = Database.open(TestCloud.config(TestDatabases.fresh(kind), Map.of()).get("db"))) {
            var db = database.client();
            Sql.inTransaction(db, tx -> {
                tx.insert("insert into municipality (id, code, name, name_kana, prefecture, city, zone_id)"
                        + " values (1, '999991', '山吹市', 'やまぶきし', '山梨県', '山吹市', 'Asia/Tokyo')");
                tx.insert("insert into facility (id, municipality_id, name, name_kana, address, facility_type, description,"
                        + " access_notes) values (1, 1, '公民館', 'コウミンカン', '山吹市1', 'community-center', '', '')");
                tx.insert("insert into room (id, municipality_id, facility_id, name, capacity, booking_horizon_days,"
                        + " price_per_hour_resident, price_per_hour_non_resident) values (1, 1, 1, '会議室', 10, 30, 1000, 1500)");
                java.util.UUID account = java.util.UUID.randomUUID();
                tx.insert("insert into account (id, municipality_id, email, password_hash, name, created_at)"
                        + " values (?, 1, 'a@example.jp', 'x', '山吹 花子', ?)", account, Sql.at(java.time.Instant.now()));
                java.util.UUID reservation = java.util.UUID.randomUUID();
                tx.insert("""
                        insert into reservation (id, municipality_id, room_id, account_id, status, starts_at, ends_at, purpose,
                                                 attendees, amount, hold_expires_at, idempotency_key, request_hash, created_at)
                        values (?, 1, 1, ?, 'held', ?, ?, '会議', 2, 1000, ?, 'k', ?, ?)""", reservation, account,
                        Sql.at(java.time.Instant.parse("2026-12-20T00:00:00Z")),
                        Sql.at(java.time.Instant.parse("2026-12-20T01:00:00Z")),
                        Sql.at(java.time.Instant.parse("2026-12-19T00:00:00Z")), "0".repeat(64),
                        Sql.at(java.time.Instant.now()));
                Ledger.append(tx, Ledger.NewEntry.due(1, reservation, LedgerEntry.Kind.CHARGE, 1000, "使用料"),
                        java.time.Instant.now());
                return null;
            });
            assertThatThrownBy(() -> db.execute().update("update ledger_entry set amount = 1"))
                    .hasStackTraceContaining("append-only");
            assertThatThrownBy(() -> db.execute().delete("delete from ledger_entry"))
                    .hasStackTraceContaining("append-only");
            if (kind == TestDatabases.Kind.POSTGRESQL) {
                assertThatThrownBy(() -> db.execute().dml("truncate table ledger_entry"))
                        .hasStackTraceContaining("append-only");
            }
            assertThat(Sql.longValue(db.execute().get("select sum(amount) as total from ledger_entry").orElseThrow(),
                    "total")).isEqualTo(1000);
        }
    }
}
