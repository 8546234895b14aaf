package jp.kominkan.cloud.resident;

import java.util.Objects;

/**
 * A door pass as the booking page shows it: a QR code per door, and its text to copy.
 *
 * @param grantId the grant it carries, naming the card for the page's script
 * @param door    the door's name
 * @param text    the QR code's text ({@code KMK1:…})
 * @param svg     the QR code, as inline SVG
 */
public record PassCard(String grantId, String door, String text, String svg) {

    /** Checks the fields are present. */
    public PassCard {
        Objects.requireNonNull(grantId, "grantId");
        Objects.requireNonNull(door, "door");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(svg, "svg");
    }

    @Override
    public String toString() {
        return "PassCard[grant " + grantId + "]";
    }
}
