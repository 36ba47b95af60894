package io.relink.executor;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.UUID;

/** One account in a plan: moved (with its ordered API calls) or excluded (with the reason). */
@Entity
@Table(name = "plan_item")
public class PlanItem extends PanacheEntityBase {

    public enum Action { MOVE, EXCLUDED }

    @Id
    public UUID id;

    @Column(name = "plan_id", nullable = false)
    public UUID planId;

    public int position;

    @Column(name = "account_id", nullable = false)
    public String accountId;

    public String email;

    @Column(name = "display_name")
    public String displayName;

    @Column(name = "idp_user_id")
    public String idpUserId;

    @Column(name = "from_policy")
    public String fromPolicy;

    @Column(name = "to_policy")
    public String toPolicy;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Action action;

    /** MOVE, or why the account is excluded: BLOCKED or its match outcome. */
    @Column(nullable = false)
    public String category;

    @Column(columnDefinition = "text")
    public String reason;

    /** JSON list of {@link io.relink.executor.service.PlannedStep}. */
    @Column(nullable = false, columnDefinition = "text")
    public String steps;
}
