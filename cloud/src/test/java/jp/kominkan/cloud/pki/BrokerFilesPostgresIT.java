package jp.kominkan.cloud.pki;

import jp.kominkan.cloud.support.TestDatabases;

/** The broker's files on PostgreSQL. */
class BrokerFilesPostgresIT extends BrokerFilesSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
