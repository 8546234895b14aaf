package jp.kominkan.cloud.lottery;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a draw decided: the order it served applications in, who won which wish, and each unit's substitutes
 * (補欠) in order.
 *
 * @param order       application ids in draw order
 * @param wins        the wins, in the order they were given
 * @param substitutes unit id → its substitutes, first first
 */
public record DrawResult(List<String> order, List<Win> wins, SortedMap<Long, List<Substitute>> substitutes) {

    /** Copies the parts. */
    public DrawResult {
        order = List.copyOf(order);
        wins = List.copyOf(wins);
        TreeMap<Long, List<Substitute>> copy = new TreeMap<>();
        for (Map.Entry<Long, List<Substitute>> e : substitutes.entrySet()) {
            copy.put(e.getKey(), List.copyOf(e.getValue()));
        }
        substitutes = java.util.Collections.unmodifiableSortedMap(copy);
    }

    /**
     * A winning wish.
     *
     * @param application the application
     * @param rank        which wish, 1 for the first
     * @param units       the units it takes
     */
    public record Win(String application, int rank, List<Long> units) {
        /** Copies the units. */
        public Win {
            Objects.requireNonNull(application, "application");
            units = List.copyOf(units);
        }
    }

    /**
     * A place on a unit's substitute list.
     *
     * @param application the application
     * @param rank        which of its wishes covers the unit
     */
    public record Substitute(String application, int rank) {
        /** Checks the application is present. */
        public Substitute {
            Objects.requireNonNull(application, "application");
        }
    }
}
