package jp.kominkan.cloud.facility.photo;

import jp.kominkan.cloud.support.TestDatabases;

/** Photo storage and serving on a real PostgreSQL server. */
class PhotoRepositoryPostgresIT extends PhotoRepositorySuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
