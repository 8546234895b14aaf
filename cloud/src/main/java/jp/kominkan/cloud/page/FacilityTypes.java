package jp.kominkan.cloud.page;

/** Facility type codes as people say them. */
public final class FacilityTypes {

    private FacilityTypes() {
    }

    /**
     * @param type a type code, e.g. {@code community-center}
     * @param page the page (for the language)
     * @return its name, or the code itself for a type not listed
     */
    public static String label(String type, Page page) {
        return switch (type) {
            case "community-center" -> page.t("公民館・集会施設", "Community centre");
            case "study-room" -> page.t("学習施設", "Study centre");
            case "sports-hall" -> page.t("体育施設", "Sports hall");
            case "library" -> page.t("図書館", "Library");
            default -> type;
        };
    }
}
