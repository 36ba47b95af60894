package io.relink.simulator.model;

import java.util.ArrayList;
import java.util.List;

/** A user in the simulated Microsoft Entra ID tenant. */
public final class EntraUser {

    public final String id;
    public String userPrincipalName;
    public String mail;
    public List<String> otherMails = new ArrayList<>();
    public List<String> proxyAddresses = new ArrayList<>();
    public String displayName;
    public String givenName;
    public String surname;
    public boolean accountEnabled = true;
    /** Member | Guest */
    public String userType = "Member";
    public String employeeId;
    public String onPremisesImmutableId;
    public String jobTitle;

    public EntraUser(String id) {
        this.id = id;
    }
}
