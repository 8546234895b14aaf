package jp.kominkan.cloud.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.db.Sql;

/** Reads a test cloud's whole database, to show a value (the 個人番号) is stored nowhere, and counts a table's rows. */
final class DatabaseDump {

    private DatabaseDump() {
    }

    /**
     * @param cloud the cloud under test
     * @return every value of every table, a row a line
     */
    static String everyValue(Cloud cloud) {
        var db = cloud.database().client().execute();
        List<String> tables = Sql.list(db.query("select table_name from information_schema.tables"
                + " where table_schema = 'public' and table_type in ('BASE TABLE', 'TABLE')"), r -> Sql.text(r, "table_name"));
        assertThat(tables).contains("account", "identity_link", "identity_subject", "identity_review",
                "identity_audit");
        StringBuilder all = new StringBuilder();
        for (String table : tables) {
            for (String row : Sql.list(db.query("select * from " + table), r -> {
                StringBuilder values = new StringBuilder();
                r.forEach(column -> values.append(column.get(Object.class)).append('|'));
                return values.toString();
            })) {
                all.append(row).append('\n');
            }
        }
        return all.toString();
    }

    /**
     * @param cloud the cloud under test
     * @param table a table
     * @return its rows
     */
    static long count(Cloud cloud, String table) {
        return cloud.database().client().execute().get("select count(*) as n from " + table)
                .map(r -> Sql.longValue(r, "n")).orElseThrow();
    }
}
