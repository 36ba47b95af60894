package io.relink.matcher.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Set-at-a-time statements: a batch's keys or column values travel as one PostgreSQL array parameter, so a step
 * costs one statement whatever the batch size (an {@code in (…)} list would be one bind parameter per key).
 */
final class SqlArrays {

    private SqlArrays() {
    }

    /** The rows of {@code table} with these ids, as managed entities of the current session. */
    static <T> Uni<List<T>> byIds(String table, Class<T> entity, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Panache.getSession().flatMap(session -> session
                .createNativeQuery("select * from " + table + " where id = any(cast(:ids as text[]))", entity)
                .setParameter("ids", ids.toArray(String[]::new))
                .getResultList());
    }

    /** One column of {@code rows} as an array parameter. */
    static <T> String[] column(List<T> rows, Function<T, String> value) {
        return rows.stream().map(value).toArray(String[]::new);
    }
}
