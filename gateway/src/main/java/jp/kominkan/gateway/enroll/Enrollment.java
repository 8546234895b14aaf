package jp.kominkan.gateway.enroll;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import com.upokecenter.cbor.CBORObject;
import com.upokecenter.cbor.CBORType;
import jp.kominkan.firmware.profile.SecretFiles;
import jp.kominkan.firmware.profile.SiteProfileParser;
import jp.kominkan.shared.tls.MutualTls;
import jp.kominkan.shared.tls.Pem;

/**
 * {@code kominkan-gateway enroll --cloud https://… --token …}: what an installer runs on the Pi.
 * It makes the gateway's key, sends a certificate request with the one-time token over
 * server-authenticated TLS, checks what comes back, and writes the key, the certificate, the CA
 * and the site profile owner-only into the gateway's folder — all of them or none — with a fresh
 * secret file for each device the profile names that has none yet. Every step is printed; every
 * failure is one sentence; no secret is ever printed.
 */
public final class Enrollment {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final PrintStream out;
    private final Clock clock;

    /**
     * @param out   where steps and failures are printed
     * @param clock the gateway's clock (sent, so the cloud can refuse a wrong one)
     */
    public Enrollment(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /**
     * What to enroll with.
     *
     * @param cloud   the cloud's address, {@code https://…} ({@code http://} on loopback only)
     * @param token   the one-time token from the staff pages
     * @param dir     the gateway's folder
     * @param cloudCa a CA file to trust for the cloud's HTTPS, if not a public one
     * @param force   replace an existing enrollment in {@code dir}
     */
    public record Options(URI cloud, String token, Path dir, Optional<Path> cloudCa, boolean force) {
    }

    /** Why enrollment stopped: one sentence for the installer. */
    public static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @param options what to enroll with
     * @return the site profile written
     * @throws Failure saying what went wrong; nothing was written
     */
    public Path enroll(Options options) {
        checkAddress(options.cloud());
        EnrollmentFiles files = new EnrollmentFiles(options.dir());
        if (files.exists() && !options.force()) {
            throw new Failure(options.dir() + " already holds an enrolled gateway; add --force to replace it "
                    + "(its key is then replaced too).");
        }
        out.println("1/5 Checking the enrollment token and this gateway's clock with " + options.cloud() + ".");
        String gatewayId = checkToken(options);
        out.println("2/5 Making the key of gateway " + gatewayId + " (EC P-256); it never leaves this device.");
        KeyPair key = GatewayKeys.generate();
        out.println("3/5 Asking the cloud to certify it (the token is used up now).");
        CBORObject reply = post(options, gatewayId, key);
        out.println("4/5 Checking the certificate.");
        String certificate = text(reply, "certificate");
        String caCertificates = text(reply, "caCertificates");
        String profile = text(reply, "siteProfile");
        X509Certificate issued;
        List<X509Certificate> trusted;
        try {
            issued = Pem.certificates(certificate).getFirst();
            trusted = Pem.certificates(caCertificates);
        } catch (IllegalArgumentException e) {
            throw new Failure("The cloud's answer holds no usable certificate (" + e.getMessage() + ").");
        }
        GatewayKeys.problemWith(issued, gatewayId, key.getPublic(), trusted).ifPresent(problem -> {
            throw new Failure("The cloud's certificate cannot be used: " + problem + ".");
        });
        // The cloud names each device's secret file but never knows the secret: made here, before
        // the profile is checked (which needs them), and removed again if enrollment stops.
        List<SecretFiles.Reference> secrets = files.makeDeviceSecrets(profile);
        try {
            if (SiteProfileParser.parse(profile, options.dir()) instanceof SiteProfileParser.Result.Invalid invalid) {
                throw new Failure("The site profile from the cloud is not valid: " + invalid.errors().getFirst()
                        .format("site.yaml") + ".");
            }
            out.println("5/5 Writing the key, certificate, CA and site profile to " + options.dir() + " (owner-only).");
            files.write(Pem.encode(key.getPrivate()), certificate, caCertificates, profile);
        } catch (Failure e) {
            files.removeSecrets(secrets);
            throw e;
        }
        for (SecretFiles.Reference made : secrets) {
            out.println("    Device " + made.owner() + ": secret written to " + options.dir().relativize(made.file())
                    + " (owner-only); set the same secret on the device — `kominkan-gateway` never prints it.");
        }
        files.retireGrants(clock.instant()).ifPresent(aside -> out.println("    The earlier enrollment's grants are kept in "
                + aside + "; this gateway starts from a fresh snapshot."));
        out.println("Enrolled gateway " + gatewayId + "; certificate valid until " + issued.getNotAfter().toInstant()
                + ". Start it with: kominkan-gateway --config " + files.profile());
        return files.profile();
    }

    /**
     * The token does not say which gateway it enrolls: a dry run (no request, token not used up)
     * asks the cloud, which also refuses a gateway whose clock is wrong before anything happens.
     */
    private String checkToken(Options options) {
        CBORObject reply = send(options, CBORObject.NewMap().Add("token", options.token()).Add("dryRun", true)
                .Add("clientTime", clock.instant().toString()));
        return text(reply, "gatewayId");
    }

    private CBORObject post(Options options, String gatewayId, KeyPair key) {
        String csr = GatewayKeys.certificateRequest(gatewayId, key.getPublic(), key.getPrivate());
        return send(options, CBORObject.NewMap().Add("token", options.token()).Add("csr", csr)
                .Add("clientTime", clock.instant().toString()));
    }

    private CBORObject send(Options options, CBORObject body) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT);
        options.cloudCa().ifPresent(ca -> builder.sslContext(trusting(ca)));
        URI uri = options.cloud().resolve("/api/v1/enroll");
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Content-Type", "application/json").header("Accept-Language", "en")
                .POST(HttpRequest.BodyPublishers.ofString(body.ToJSONString(), StandardCharsets.UTF_8)).build();
        HttpResponse<String> response;
        try (HttpClient client = builder.build()) {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new Failure("Cannot reach the cloud at " + options.cloud() + " (" + describe(e)
                    + "); check the address and this building's network.");
        } catch (HttpTimeoutException e) {
            throw new Failure("The cloud at " + options.cloud() + " did not answer within " + TIMEOUT.toSeconds()
                    + " s; try again.");
        } catch (SSLException e) {
            throw new Failure("The cloud at " + options.cloud() + " could not be verified over TLS (" + describe(e)
                    + "); check the address, or give its CA with --cloud-ca.");
        } catch (IOException e) {
            throw new Failure("Cannot reach the cloud at " + options.cloud() + " (" + describe(e) + ").");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("Interrupted.");
        }
        CBORObject json;
        try {
            json = CBORObject.FromJSONString(response.body());
        } catch (RuntimeException e) {
            throw new Failure("The cloud at " + options.cloud() + " answered " + response.statusCode()
                    + " with something that is not Kominkan's JSON; is this the right address?");
        }
        if (response.statusCode() != 200) {
            CBORObject detail = json.getType() == CBORType.Map ? json.get("detail") : null;
            throw new Failure(detail != null && detail.getType() == CBORType.TextString ? detail.AsString()
                    : "The cloud refused the enrollment (HTTP " + response.statusCode() + ").");
        }
        return json;
    }

    private static String text(CBORObject json, String field) {
        CBORObject value = json.getType() == CBORType.Map ? json.get(field) : null;
        if (value == null || value.getType() != CBORType.TextString) {
            throw new Failure("The cloud's answer has no " + field + "; is the cloud up to date?");
        }
        return value.AsString();
    }

    /** Plain HTTP only to this machine (the demo): anywhere else the token and profile need TLS. */
    private static void checkAddress(URI cloud) {
        if (cloud.getHost() == null || !("https".equals(cloud.getScheme()) || "http".equals(cloud.getScheme()))) {
            throw new Failure("--cloud must be an https:// address, not '" + cloud + "'.");
        }
        if ("http".equals(cloud.getScheme())) {
            boolean loopback;
            try {
                loopback = InetAddress.getByName(cloud.getHost()).isLoopbackAddress();
            } catch (UnknownHostException e) {
                loopback = false;
            }
            if (!loopback) {
                throw new Failure("--cloud must use https:// (plain http:// is only for a cloud on this machine).");
            }
        }
    }

    private static SSLContext trusting(Path caFile) {
        try {
            return MutualTls.trusting(Pem.certificates(java.nio.file.Files.readString(caFile, StandardCharsets.US_ASCII)));
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new Failure("Cannot read the CA file " + caFile + ": " + e.getMessage());
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
