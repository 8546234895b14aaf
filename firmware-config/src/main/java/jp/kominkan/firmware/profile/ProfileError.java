package jp.kominkan.firmware.profile;

/**
 * One thing wrong in a site profile, where it is and what to do about it.
 *
 * @param line    1-based line
 * @param column  1-based column
 * @param path    the setting, e.g. {@code doors[0].lock.pin}
 * @param message what is wrong
 */
public record ProfileError(int line, int column, String path, String message) {

    /**
     * @param file the file name to show
     * @return {@code file:line:column: path: message}, the form editors and CI annotate
     */
    public String format(String file) {
        return file + ":" + line + ":" + column + ": " + path + ": " + message;
    }
}
