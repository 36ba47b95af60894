package io.relink.matcher.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.relink.matcher.Review;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;

@ApplicationScoped
public class ReviewRepository implements PanacheRepositoryBase<Review, String> {

    /** The standing reviews of these accounts (managed entities of the current session). */
    public Uni<List<Review>> byIds(Collection<String> ids) {
        return SqlArrays.byIds("review", Review.class, ids);
    }
}
