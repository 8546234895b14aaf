package jp.kominkan.cloud.mail;

import jp.kominkan.cloud.support.TestDatabases;

/** The mail outbox and its worker on a real PostgreSQL server. */
class MailOutboxPostgresIT extends MailOutboxSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
