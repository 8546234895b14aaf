package jp.kominkan.cloud.group;

import jp.kominkan.cloud.support.TestDatabases;

/** Groups on H2. */
class GroupsH2IT extends GroupsSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
