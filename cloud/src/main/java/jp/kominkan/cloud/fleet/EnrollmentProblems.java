package jp.kominkan.cloud.fleet;

import jp.kominkan.cloud.web.Problem;

/** What an installer is told when a token cannot enroll a gateway: what happened, and what to do. */
final class EnrollmentProblems {

    private EnrollmentProblems() {
    }

    static Problem unknownToken() {
        return Problem.unauthorized("This enrollment token is not known here. Check that you copied all of it and that "
                        + "--cloud is your municipality's address, or ask staff for a new one.",
                "この登録トークンは無効です。すべてコピーしたか、接続先が正しいかを確認するか、職員に新しいトークンを発行してもらってください。");
    }

    static Problem decommissioned() {
        return Problem.gone("gateway-decommissioned", "The gateway of this token was decommissioned; register the device "
                        + "under a new id.",
                "このトークンのゲートウェイは廃止されています。新しい ID で登録してください。");
    }

    static Problem usedToken() {
        return Problem.gone("enrollment-token-used", "This enrollment token has already been used, or a newer one was "
                        + "issued; each token enrolls one gateway once. Ask staff for a new one.",
                "この登録トークンは使用済みか、新しいトークンに置き換えられています。職員に新しいトークンを発行してもらってください。");
    }

    static Problem shardNotConfigured(Gateway gateway) {
        return Problem.conflict("broker-shard-not-configured", "Gateway " + gateway.id() + " is on the broker shard '"
                        + gateway.brokerShard() + "', which this cloud no longer configures (kominkan.mqtt.shards). Ask "
                        + "the system administrator to configure it again; the token stays usable.",
                "ゲートウェイ " + gateway.id() + " のブローカー（シャード「" + gateway.brokerShard()
                        + "」）がクラウドに設定されていません。システム管理者に連絡してください。トークンは引き続き使えます。");
    }
}
