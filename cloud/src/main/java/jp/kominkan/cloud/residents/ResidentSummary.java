package jp.kominkan.cloud.residents;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One line of the staff's resident search (利用者検索): enough to tell two people of the same name apart.
 *
 * @param id        the account
 * @param name      the person's name
 * @param email     their e-mail, if they have one (a walk-in has none)
 * @param phone     their phone, if known
 * @param walkIn    whether the account was made at the counter and cannot log in
 * @param suspended whether the account is suspended (利用停止)
 */
public record ResidentSummary(UUID id, String name, Optional<String> email, Optional<String> phone, boolean walkIn,
                              boolean suspended) {

    /** Checks the fields are present. */
    public ResidentSummary {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(phone, "phone");
    }
}
