package jp.kominkan.cloud.web;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import jp.kominkan.cloud.municipality.Municipalities;
import jp.kominkan.cloud.municipality.Municipality;

/**
 * The municipality a request is for, from its {@code Host} header.
 */
public final class Tenancy {

    private final Municipalities municipalities;

    /**
     * @param municipalities the municipalities
     */
    public Tenancy(Municipalities municipalities) {
        this.municipalities = municipalities;
    }

    /**
     * @param req the request
     * @return its municipality
     * @throws Problem 404 when the host serves no municipality
     */
    public Municipality of(ServerRequest req) {
        return req.headers().first(HeaderNames.HOST)
                .flatMap(municipalities::forHost)
                .orElseThrow(() -> Problem.notFound("municipality for this host name", "このホスト名の自治体"));
    }
}
