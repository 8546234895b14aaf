package jp.kominkan.cloud.identity;

import jp.kominkan.cloud.support.TestDatabases;

/** Re-verification between logins on a real PostgreSQL server. */
class VerificationRenewalPostgresIT extends VerificationRenewalSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
