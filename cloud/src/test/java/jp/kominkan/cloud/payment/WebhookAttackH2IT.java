package jp.kominkan.cloud.payment;

import jp.kominkan.cloud.support.TestDatabases;

/** The webhook attacks on H2. */
class WebhookAttackH2IT extends WebhookAttackSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
