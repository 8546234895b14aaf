package jp.kominkan.cloud.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import jp.kominkan.cloud.Cloud;
import jp.kominkan.cloud.demo.DemoData;
import jp.kominkan.cloud.support.ChromePages;
import jp.kominkan.cloud.support.MutableClock;
import jp.kominkan.cloud.support.TestCloud;
import jp.kominkan.cloud.support.TestDatabases;
import jp.kominkan.sandbox.AgencySandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The デジタル認証アプリ walk in a real browser: 新規登録 → the Agency sandbox's consent page → マイページ, with axe-core
 * (WCAG 2.1 A/AA) on the register page and the consent page at 1280 px and 360 px.
 */
class AgencyConsentBrowserIT {

    static AgencySandbox sandbox;
    static Cloud cloud;
    static ChromePages pages;

    @TempDir
    static Path keys;

    @BeforeAll
    static void start() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("rp").generate();
        int port = TestCloud.freePort();
        String base = "http://127.0.0.1:" + port;
        sandbox = AgencySandbox.start(0, List.of(new AgencySandbox.Client("KominkanBrowser", key,
                List.of(URI.create(base + "/auth/mynaapp/callback")))));
        Path file = keys.resolve("rp.jwk");
        Files.writeString(file, key.toJSONString());
        Map<String, String> settings = new HashMap<>();
        settings.put("server.port", Integer.toString(port));
        String prefix = "kominkan.identity.providers.0.";
        settings.put(prefix + "municipality", DemoData.CODE);
        settings.put(prefix + "id", "mynaapp");
        settings.put(prefix + "label", "デジタル認証アプリ");
        settings.put(prefix + "profile", "digital-agency");
        settings.put(prefix + "issuer", sandbox.issuer());
        settings.put(prefix + "client-id", "KominkanBrowser");
        settings.put(prefix + "client-jwk-file", file.toString());
        settings.put(prefix + "redirect-uri", base + "/auth/mynaapp/callback");
        cloud = TestCloud.start(TestDatabases.fresh(TestDatabases.Kind.H2), new MutableClock(Instant.now()), true,
                settings);
        pages = new ChromePages(base);
    }

    @AfterAll
    static void stop() throws Exception {
        if (pages != null) {
            pages.writeSummary("axe-summary-agency.txt");
            pages.close();
        }
        cloud.close();
        sandbox.close();
    }

    @Test
    void aResidentRegistersThroughTheAgencysConsentPage() {
        pages.open("/register");
        pages.check("register-agency");
        pages.click(By.partialLinkText("デジタル認証アプリ で登録する"));
        assertThat(pages.text()).contains("情報提供への同意").contains("山吹 太郎");
        pages.check("agency-consent");
        pages.submit("同意して情報を提供する");
        pages.waitForPath("/mypage");
        assertThat(pages.text()).contains("山吹 太郎").contains("市内");
        assertThat(pages.violations()).as("axe-core violations by page").isEmpty();
    }
}
