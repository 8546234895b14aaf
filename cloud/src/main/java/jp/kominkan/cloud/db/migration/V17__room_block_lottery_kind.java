package jp.kominkan.cloud.db.migration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Lets a block (room_block) hold a lottery's units (抽選枠): kind {@code lottery} beside maintenance and city use,
 * so the database keeps first-come bookings off a round's slots until its second round opens, as it keeps them
 * off maintenance. V1 declared the kind's check without a name, and H2 and PostgreSQL name such a constraint
 * differently, so it is found by its text in the information schema both share, dropped, and declared again
 * with a name.
 */
public final class V17__room_block_lottery_kind extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        List<String> names = new ArrayList<>();
        try (Statement sql = connection.createStatement();
             ResultSet rows = sql.executeQuery("""
                     select tc.constraint_name, cc.check_clause from information_schema.table_constraints tc
                       join information_schema.check_constraints cc on cc.constraint_name = tc.constraint_name
                      where lower(tc.table_name) = 'room_block' and tc.constraint_type = 'CHECK'""")) {
            while (rows.next()) {
                if (rows.getString(2).contains("maintenance")) {
                    names.add(rows.getString(1));
                }
            }
        }
        if (names.size() != 1) {
            throw new IllegalStateException("Expected one check on room_block.kind, found " + names);
        }
        try (Statement sql = connection.createStatement()) {
            sql.execute("alter table room_block drop constraint \"" + names.get(0) + "\"");
            sql.execute("alter table room_block add constraint room_block_kind_ck"
                    + " check (kind in ('maintenance', 'city-use', 'lottery'))");
        }
    }
}
