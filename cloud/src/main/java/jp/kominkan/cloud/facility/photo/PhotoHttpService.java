package jp.kominkan.cloud.facility.photo;

import java.util.Objects;
import java.util.UUID;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jp.kominkan.cloud.municipality.Municipality;
import jp.kominkan.cloud.web.PathIds;
import jp.kominkan.cloud.web.Problem;
import jp.kominkan.cloud.web.Tenancy;

/**
 * {@code /photos/{id}}: the uploaded facility photos, to anyone, for the municipality of the request's
 * host. A photo never changes under its id, so it may be cached for a day; an id that is malformed,
 * unknown, or another municipality's is simply not found.
 *
 * <p>The bytes were re-encoded on upload, but the headers still forbid a browser from reading them
 * as anything but the stated image type ({@code nosniff}) or running anything from them (CSP).
 */
public final class PhotoHttpService implements HttpService {

    private static final HeaderName NOSNIFF = HeaderNames.create("X-Content-Type-Options");
    private static final HeaderName CSP = HeaderNames.create("Content-Security-Policy");

    private final PhotoRepository photos;
    private final Tenancy tenancy;

    /**
     * @param photos  where photos are stored
     * @param tenancy finds the municipality of a request
     */
    public PhotoHttpService(PhotoRepository photos, Tenancy tenancy) {
        this.photos = Objects.requireNonNull(photos);
        this.tenancy = Objects.requireNonNull(tenancy);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{id}", this::one);
    }

    private void one(ServerRequest req, ServerResponse res) {
        Municipality municipality = tenancy.of(req);
        UUID id = PathIds.uuid(req, "id");
        PhotoRepository.StoredPhoto stored = photos.find(municipality.id(), id)
                .orElseThrow(() -> Problem.notFound("photo", "写真"));
        String etag = "\"" + stored.id() + "\"";
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=86400");
        res.header(HeaderNames.ETAG, etag);
        res.header(NOSNIFF, "nosniff");
        res.header(CSP, "default-src 'none'");
        // RFC 9110 section 13.1.2: the same id is the same bytes, so a matching tag needs no body.
        if (req.headers().first(HeaderNames.IF_NONE_MATCH).map(value -> value.contains(etag)).orElse(false)) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, stored.photo().mediaType());
        res.status(Status.OK_200).send(stored.photo().bytes());
    }
}
