package jp.kominkan.cloud.payment;

import jp.kominkan.cloud.support.TestDatabases;

/** The webhook attacks on PostgreSQL. */
class WebhookAttackPostgresIT extends WebhookAttackSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
