package jp.kominkan.firmware.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The example site profile copied into a test's folder with its secret files made, so each test
 * reads it the way an installer's gateway does, and can break one thing in it.
 */
final class ExampleSite {

    private final Path dir;
    private final String yaml;

    private ExampleSite(Path dir, String yaml) {
        this.dir = dir;
        this.yaml = yaml;
    }

    /** @return the example in {@code dir}, its secret files made */
    static ExampleSite in(Path dir) {
        try {
            String yaml = Files.readString(Path.of("examples/site.example.yaml"));
            Files.writeString(dir.resolve("site.yaml"), yaml);
            SecretFiles.createMissing(yaml, dir);
            return new ExampleSite(dir, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path dir() {
        return dir;
    }

    String yaml() {
        return yaml;
    }

    /** @return a file in the profile's folder */
    Path file(String name) {
        return dir.resolve(name);
    }

    /** @return the profile, which must be valid */
    SiteProfile valid(String text) {
        SiteProfileParser.Result result = SiteProfileParser.parse(text, dir);
        assertThat(result).as("%s", result).isInstanceOf(SiteProfileParser.Result.Valid.class);
        return ((SiteProfileParser.Result.Valid) result).profile();
    }

    /** @return the errors of a profile, which must be invalid */
    List<ProfileError> errors(String text) {
        SiteProfileParser.Result result = SiteProfileParser.parse(text, dir);
        assertThat(result).isInstanceOf(SiteProfileParser.Result.Invalid.class);
        return ((SiteProfileParser.Result.Invalid) result).errors();
    }

    /** @return the one error about {@code path} */
    ProfileError error(String text, String path) {
        List<ProfileError> errors = errors(text);
        assertThat(errors).extracting(ProfileError::path).as("%s", errors).contains(path);
        return errors.stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow();
    }

    /** @return the example with one text replaced, which must be there */
    String with(String from, String to) {
        assertThat(yaml).contains(from);
        return yaml.replace(from, to);
    }
}
