package jp.kominkan.cloud.reduction;

import jp.kominkan.cloud.support.TestDatabases;

/** 減免 on H2. */
class ReductionsH2IT extends ReductionsSuite {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
