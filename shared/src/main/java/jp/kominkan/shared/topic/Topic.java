package jp.kominkan.shared.topic;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An MQTT topic of Kominkan's vocabulary (after Eclipse Hono's topic value types): the topic name
 * is built and parsed here only, never by string concatenation at a call site.
 *
 * <pre>
 * kominkan/v1/gw/{gatewayId}/grants   cloud → gateway: the numbered grant stream (QoS 1)
 * kominkan/v1/gw/{gatewayId}/ack      gateway → cloud: highest stream number durably applied
 * kominkan/v1/gw/{gatewayId}/events   gateway → cloud: door events, each with a UUID
 * kominkan/v1/gw/{gatewayId}/receipts cloud → gateway: ids of events stored, so the gateway stops resending
 * kominkan/v1/gw/{gatewayId}/csr      gateway → cloud: a certificate request to renew its certificate
 * kominkan/v1/gw/{gatewayId}/cert     cloud → gateway: the renewed certificate
 * </pre>
 *
 * The broker lets gateway G use only {@code kominkan/v1/gw/G/…}, in the direction above (ACL on
 * its certificate's name, docs/broker.md), and whatever the cloud sends is signed as well. These
 * are the cloud broker's only topics: a building's keypads, readers and locks talk to their
 * gateway's site link and never to the cloud's broker (docs/gateway.md, "Site link"), so there is
 * no device topic here, and {@link #parse} answers nothing for one (the site link's own
 * {@code site/v1/…} topics on the building's broker are not part of this vocabulary).
 *
 * @param kind which topic
 * @param id   the gateway it is about: 1–64 of {@code A-Z a-z 0-9 . _ -}, so never a level
 *             separator or an MQTT wildcard
 */
public record Topic(Kind kind, String id) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern TOPIC = Pattern.compile("kominkan/v1/gw/([^/]+)/([a-z]+)");

    /** Checks the id is safe inside a topic name. */
    public Topic {
        Objects.requireNonNull(kind, "kind");
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("A topic id is 1 to 64 of A-Z a-z 0-9 . _ -, not " + id);
        }
    }

    /**
     * @param id a gateway or door id
     * @return whether it is safe inside a topic name (and in the broker's ACL)
     */
    public static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * @param gatewayId the gateway
     * @return its grant stream topic
     */
    public static Topic grants(String gatewayId) {
        return new Topic(Kind.GRANTS, gatewayId);
    }

    /**
     * @param gatewayId the gateway
     * @return its acknowledgement topic
     */
    public static Topic ack(String gatewayId) {
        return new Topic(Kind.ACK, gatewayId);
    }

    /**
     * @param gatewayId the gateway
     * @return its door event topic
     */
    public static Topic events(String gatewayId) {
        return new Topic(Kind.EVENTS, gatewayId);
    }

    /**
     * @param gatewayId the gateway
     * @return its event receipt topic
     */
    public static Topic receipts(String gatewayId) {
        return new Topic(Kind.RECEIPTS, gatewayId);
    }

    /**
     * @param gatewayId the gateway
     * @return its certificate request topic
     */
    public static Topic csr(String gatewayId) {
        return new Topic(Kind.CSR, gatewayId);
    }

    /**
     * @param gatewayId the gateway
     * @return its renewed certificate topic
     */
    public static Topic certificate(String gatewayId) {
        return new Topic(Kind.CERT, gatewayId);
    }

    /** @return the MQTT topic name */
    public String name() {
        return "kominkan/v1/gw/" + id + "/" + kind.leaf;
    }

    /**
     * @param name a topic name received
     * @return the topic, if it is one of ours
     */
    public static Optional<Topic> parse(String name) {
        if (name == null) {
            return Optional.empty();
        }
        Matcher m = TOPIC.matcher(name);
        if (!m.matches() || !ID.matcher(m.group(1)).matches()) {
            return Optional.empty();
        }
        for (Kind kind : Kind.values()) {
            if (kind.leaf.equals(m.group(2))) {
                return Optional.of(new Topic(kind, m.group(1)));
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return name();
    }

    /** The topics there are. */
    public enum Kind {
        /** Grant stream to a gateway. */
        GRANTS("grants"),
        /** Acknowledgements from a gateway. */
        ACK("ack"),
        /** Door events from a gateway. */
        EVENTS("events"),
        /** Receipts for door events, to a gateway. */
        RECEIPTS("receipts"),
        /** Certificate requests from a gateway (renewal). */
        CSR("csr"),
        /** A renewed certificate, to a gateway. */
        CERT("cert");

        private final String leaf;

        Kind(String leaf) {
            this.leaf = leaf;
        }
    }
}
