package jp.kominkan.cloud.mail;

import jp.kominkan.cloud.support.TestDatabases;

/** The mail outbox and its worker on H2. */
class MailOutboxH2IT extends MailOutboxSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
