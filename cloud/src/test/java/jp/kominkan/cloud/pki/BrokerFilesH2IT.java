package jp.kominkan.cloud.pki;

import jp.kominkan.cloud.support.TestDatabases;

/** The broker's files on H2. */
class BrokerFilesH2IT extends BrokerFilesSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
