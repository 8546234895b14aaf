package jp.kominkan.cloud.pki;

import java.nio.charset.StandardCharsets;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code GET /api/v1/pki/crl}: the door network CA's current certificate revocation list, PEM, for a
 * broker on another machine than the cloud (docs/deploy.md, "Brokers in shards"): its host fetches
 * it ({@code cluster/broker-sync.sh}), checks the CA's signature and has Mosquitto reload it. A CRL is
 * public by design (signed, serial numbers and dates only), so no credential is asked; what makes
 * it trustworthy is the signature, which the broker host checks against the CA it already holds.
 */
public final class CrlHttpService implements HttpService {

    private static final HttpMediaType PEM = HttpMediaType.create("application/x-pem-file");

    private final BrokerFiles files;

    /**
     * @param files signs the CRL from the certificates revoked
     */
    public CrlHttpService(BrokerFiles files) {
        this.files = files;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/crl", this::crl);
    }

    private void crl(ServerRequest req, ServerResponse res) {
        res.status(Status.OK_200);
        res.headers().contentType(PEM);
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(files.crl().getBytes(StandardCharsets.US_ASCII));
    }
}
