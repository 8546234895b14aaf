package jp.kominkan.cloud.alarm;

/**
 * What a door alarm is about, with the words the board and the escalation mail use. The kinds
 * follow Matter's Door Lock alarm codes and BACnet's door alarm states where they have one.
 */
public enum AlarmKind {
    /** Opened without an unlock (Matter DoorForcedOpen). */
    FORCED_OPEN("forced-open", "こじ開け（解錠なしの開扉）"),
    /** Open longer than the site profile allows (Matter DoorAjar, BACnet door-open-too-long). */
    HELD_OPEN("held-open", "扉の開放が長すぎる"),
    /** A device reports tampering (Matter FrontEsceutcheonRemoved). */
    TAMPER("tamper", "機器のいたずら検知"),
    /** The lock is jammed (Matter LockJammed). */
    JAMMED("jammed", "錠の異常（施錠・解錠できない）"),
    /** A device's battery is low. */
    BATTERY_LOW("battery-low", "電池残量の低下"),
    /** A smart lock stopped answering its gateway. */
    LOCK_OFFLINE("lock-offline", "電気錠と通信できない"),
    /** The gateway has not been heard from. */
    GATEWAY_OFFLINE("gateway-offline", "ゲートウェイ通信途絶"),
    /** The keypad locked itself after wrong codes (Matter WrongCodeEntryLimit). */
    LOCKOUT("lockout", "暗証番号の連続誤り（入力停止）"),
    /** The door still open, or the lock still unlocked, minutes after a booking ended. */
    LEFT_OPEN("left-open", "利用後の開けっ放し・解錠のまま"),
    /** A shelter or emergency code (避難所) opened a door. */
    SHELTER_CODE_USED("shelter-code-used", "避難所・緊急用コードの使用");

    private final String wire;
    private final String japanese;

    AlarmKind(String wire, String japanese) {
        this.wire = wire;
        this.japanese = japanese;
    }

    /** @return the name in the API and the database */
    public String wire() {
        return wire;
    }

    /** @return the words on the board and in mail */
    public String japanese() {
        return japanese;
    }

    /**
     * @param wire a name
     * @return the kind
     * @throws IllegalArgumentException for another name
     */
    public static AlarmKind of(String wire) {
        for (AlarmKind kind : values()) {
            if (kind.wire.equals(wire)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown alarm kind " + wire);
    }
}
