package jp.kominkan.cloud.fee;

import java.util.Objects;

/**
 * A piece of equipment a facility lends with its rooms (附属設備), with its price and how many there are.
 *
 * @param id         its id
 * @param facilityId the facility that owns it
 * @param code       short code used in requests (e.g. projector)
 * @param name       its name (プロジェクター)
 * @param yen        the price per use or per band
 * @param per        what the price is per
 * @param stock      how many there are
 */
public record Equipment(long id, long facilityId, String code, String name, long yen, FeeRequest.Per per,
                        int stock) {

    /** Checks the fields. */
    public Equipment {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(per, "per");
        if (yen < 0 || stock < 0) {
            throw new IllegalArgumentException("Bad equipment " + code);
        }
    }

    /**
     * @param qty how many are borrowed
     * @return the calculator's line input
     */
    public FeeRequest.EquipmentUse use(int qty) {
        return new FeeRequest.EquipmentUse(code, name, yen, per, qty);
    }
}
