package jp.kominkan.cloud.identity;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.helidon.dbclient.DbRow;
import jp.kominkan.cloud.account.Account;
import jp.kominkan.cloud.db.Sql;

/**
 * What a renewed verification changes in an account's verified facts: which of name, address and birth date differ
 * from what the account holds, and its residency before and after. Only the facts' names are kept
 * ({@code identity_change}); the account holds the values.
 *
 * @param facts  e.g. "address" or "name,address"
 * @param before the residency before
 * @param after  the residency after
 */
record FactsChange(String facts, Account.Residency before, Account.Residency after) {

    /**
     * @param now       the account's verified facts and residency now (name, address_*, birth_date, residency)
     * @param facts     the renewed facts
     * @param residency the residency judged from them
     * @return what changed, if anything
     */
    static Optional<FactsChange> between(DbRow now, VerifiedFacts facts, Account.Residency residency) {
        List<String> changed = new ArrayList<>();
        if (!Objects.equals(text(now, "name"), facts.name())) {
            changed.add("name");
        }
        if (!Objects.equals(text(now, "address_prefecture"), facts.address().prefecture())
                || !Objects.equals(text(now, "address_city"), facts.address().city())
                || !Objects.equals(text(now, "address_rest"), facts.address().rest())) {
            changed.add("address");
        }
        LocalDate birth = Sql.value(now, "birth_date").isEmpty() ? null : Sql.date(now, "birth_date");
        if (!Objects.equals(birth, facts.birthDate())) {
            changed.add("birth-date");
        }
        if (changed.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new FactsChange(String.join(",", changed), Account.Residency.of(text(now, "residency")),
                residency));
    }

    private static String text(DbRow row, String column) {
        return Sql.optionalText(row, column).orElse("");
    }
}
