package jp.kominkan.cloud.pki;

/**
 * Broker user names (certificate CNs) of the devices on a door. They start with a word and a dot,
 * and gateway ids start with the municipality's six digits, so no device can ever be named like a
 * gateway or like the cloud.
 */
public final class DeviceNames {

    private DeviceNames() {
    }

    /**
     * @param doorId a door
     * @return its Wi-Fi keypad's name
     */
    public static String keypad(String doorId) {
        return "keypad." + doorId;
    }

    /**
     * @param doorId a door
     * @return its Wi-Fi lock's name
     */
    public static String lock(String doorId) {
        return "lock." + doorId;
    }
}
