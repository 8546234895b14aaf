package jp.kominkan.cloud.grant;

import jp.kominkan.cloud.support.TestDatabases;

/** The grant stream's numbering on H2. */
class StreamSequencingH2IT extends StreamSequencingSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
