package jp.kominkan.cloud.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * The address a request comes from, for counting failed logins: the TCP peer. {@code X-Forwarded-For} is believed
 * only when the peer is a configured trusted proxy ({@code kominkan.trusted-proxies}, e.g. the HAProxy in front),
 * and then only its right-most entry that is not itself a trusted proxy: anything left of that the client wrote.
 * An IPv6 address counts as its /64, since one subscriber is given a whole /64 and could otherwise pick a fresh
 * address for every guess (RFC 6177).
 */
public final class ClientAddress {

    private final Set<String> trustedProxies;

    /**
     * @param trustedProxies addresses of proxies whose {@code X-Forwarded-For} is believed (usually none)
     */
    public ClientAddress(Set<String> trustedProxies) {
        this.trustedProxies = Set.copyOf(trustedProxies.stream().map(ClientAddress::normalise).toList());
    }

    /**
     * @param req a request
     * @return where it comes from, e.g. {@code 192.0.2.7} or {@code 2001:db8:1:2::/64}
     */
    public String of(ServerRequest req) {
        String peer = normalise(req.remotePeer().host());
        if (!trustedProxies.contains(peer)) {
            return peer;
        }
        List<String> hops = req.headers().values(HeaderNames.X_FORWARDED_FOR).stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                .map(String::strip).filter(hop -> !hop.isEmpty()).toList();
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = normalise(hops.get(i));
            if (!trustedProxies.contains(hop)) {
                return hop;
            }
        }
        return peer;
    }

    /**
     * @param address an address as text
     * @return IPv4 as is, IPv6 as its /64 prefix; text that is no address literal as is (it is only a key)
     */
    static String normalise(String address) {
        String bare = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
                : address;
        if (!bare.contains(":") || !bare.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+")) {
            return bare;
        }
        try {
            // A literal (it contains ':'), so no name is looked up.
            byte[] raw = InetAddress.getByName(bare.replaceAll("%.*$", "")).getAddress();
            if (raw.length == 4) {
                return InetAddress.getByAddress(raw).getHostAddress();
            }
            byte[] prefix = new byte[16];
            System.arraycopy(raw, 0, prefix, 0, 8);
            return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
        } catch (UnknownHostException e) {
            return bare;
        }
    }
}
