package io.relink.matcher;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.Objects;

/** One address an indexed identity can be found by. */
@Entity
@Table(name = "identity_address")
@IdClass(IdentityAddress.Key.class)
public class IdentityAddress extends PanacheEntityBase {

    /** MAIL, UPN, ALIAS, OTHER_MAIL (Entra); EMAIL, PLUS_STRIPPED, DOMAIN_ALIAS (Atlassian). */
    /**
     * Addresses, plus three kinds of non-address keys written with a prefix so they never collide with one:
     * {@code oid:} an Entra object id (Entra users; SCIM users by the externalId the IdP set), {@code acct:} an
     * Atlassian account id (accounts; SCIM users by their link), {@code name:} a normalized display name.
     */
    public enum Kind { MAIL, UPN, ALIAS, OTHER_MAIL, EMAIL, PLUS_STRIPPED, DOMAIN_ALIAS, OBJECT_ID, ACCOUNT_ID, DISPLAY_NAME }

    @Id
    @Column(name = "identity_id")
    public String identityId;

    @Id
    public String address;

    @Id
    public String kind;

    public static IdentityAddress of(String identityId, String address, Kind kind) {
        IdentityAddress row = new IdentityAddress();
        row.identityId = identityId;
        row.address = address;
        row.kind = kind.name();
        return row;
    }

    public static class Key implements Serializable {
        public String identityId;
        public String address;
        public String kind;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(identityId, k.identityId) && Objects.equals(address, k.address)
                    && Objects.equals(kind, k.kind);
        }

        @Override
        public int hashCode() {
            return Objects.hash(identityId, address, kind);
        }
    }
}
