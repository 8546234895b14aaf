package jp.kominkan.cloud.backoffice;

import jp.kominkan.cloud.support.TestDatabases;

/** Blocks on H2. */
class BlocksH2IT extends BlocksSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
