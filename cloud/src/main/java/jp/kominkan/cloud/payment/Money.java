package jp.kominkan.cloud.payment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

import io.helidon.config.Config;
import io.helidon.dbclient.DbClient;

/**
 * The money side, wired once: payments and refunds, and the online provider when
 * {@code kominkan.payment.stripe.api-base} is set (docs/money.md). Built before the booking service, which
 * needs its refunds; {@link Payments} is made after it.
 *
 * @param repository payments and refunds
 * @param online     the provider, when configured
 * @param refunds    cancellation fees and refunds
 */
public record Money(PaymentRepository repository, Optional<OnlineProvider> online, Refunds refunds) {

    private static final System.Logger LOG = System.getLogger(Money.class.getName());

    /**
     * @param db     the database
     * @param config the {@code kominkan.payment} node
     * @param clock  the clock
     * @return the money side
     */
    public static Money create(DbClient db, Config config, Clock clock) {
        PaymentRepository repository = new PaymentRepository(db);
        Optional<OnlineProvider> online = stripe(config.get("stripe"), clock);
        return new Money(repository, online, new Refunds(db, repository, online, clock));
    }

    private static Optional<OnlineProvider> stripe(Config stripe, Clock clock) {
        Optional<String> base = stripe.get("api-base").asString().asOptional().filter(s -> !s.isBlank());
        if (base.isEmpty()) {
            LOG.log(Level.INFO, "Online payment is off (kominkan.payment.stripe.api-base is not set); counter only");
            return Optional.empty();
        }
        StripeProvider.Settings settings = new StripeProvider.Settings(base.get(),
                secret(stripe, "api-key"), secret(stripe, "webhook-secret"),
                stripe.get("page-base").asString().orElse(base.get()));
        LOG.log(Level.INFO, "Online payment through " + settings);
        return Optional.of(new StripeProvider(settings, clock));
    }

    /** A secret from {@code name-file} (preferred) or {@code name}; never logged. */
    private static String secret(Config node, String name) {
        Optional<String> file = node.get(name + "-file").asString().asOptional();
        if (file.isPresent()) {
            try {
                return Files.readString(Path.of(file.get())).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("kominkan.payment.stripe." + name + "-file: cannot read " + file.get(), e);
            }
        }
        return node.get(name).asString().orElseThrow(() -> new IllegalStateException(
                "kominkan.payment.stripe." + name + " (or " + name + "-file) must be set when api-base is"));
    }
}
