package jp.kominkan.cloud.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** WCAG 2.1 contrast between colours as the browser computes them ({@code rgb(…)} / {@code rgba(…)}). */
public final class Contrast {

    /** A computed colour, rgb(…) or rgba(…). */
    public static final Pattern RGB = Pattern.compile("rgba?\\((\\d+), (\\d+), (\\d+)(?:, ([0-9.]+))?\\)");

    private Contrast() {
    }

    /**
     * @param a a colour
     * @param b another
     * @return their contrast ratio, from relative luminance
     */
    public static double ratio(int[] a, int[] b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    /**
     * @param a a computed CSS colour
     * @param b another
     * @return their contrast ratio
     */
    public static double ratio(String a, String b) {
        return ratio(rgb(a), rgb(b));
    }

    /**
     * @param rgb red, green, blue 0–255
     * @return the relative luminance
     */
    public static double luminance(int[] rgb) {
        double[] c = new double[3];
        for (int i = 0; i < 3; i++) {
            double s = rgb[i] / 255.0;
            c[i] = s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
        }
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    }

    /**
     * @param css the first opaque colour in a computed style value, e.g. a box-shadow
     * @return red, green, blue
     */
    public static int[] rgb(String css) {
        Matcher m = RGB.matcher(css);
        assertThat(m.find()).as("a colour: " + css).isTrue();
        assertThat(m.group(4) == null || Double.parseDouble(m.group(4)) == 1.0).as("opaque: " + css).isTrue();
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
    }
}
