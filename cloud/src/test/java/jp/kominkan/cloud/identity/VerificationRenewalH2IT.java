package jp.kominkan.cloud.identity;

import jp.kominkan.cloud.support.TestDatabases;

/** Re-verification between logins on H2. */
class VerificationRenewalH2IT extends VerificationRenewalSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
