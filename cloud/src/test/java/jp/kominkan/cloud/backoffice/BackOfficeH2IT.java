package jp.kominkan.cloud.backoffice;

import jp.kominkan.cloud.support.TestDatabases;

/** The back office's APIs, roles, journeys and operation log on H2. */
class BackOfficeH2IT extends BackOfficeSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
