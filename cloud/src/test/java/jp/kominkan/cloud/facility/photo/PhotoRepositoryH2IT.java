package jp.kominkan.cloud.facility.photo;

import jp.kominkan.cloud.support.TestDatabases;

/** Photo storage and serving on H2. */
class PhotoRepositoryH2IT extends PhotoRepositorySuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
