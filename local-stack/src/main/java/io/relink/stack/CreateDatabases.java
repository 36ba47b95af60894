package io.relink.stack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * Creates the databases the services need if they are missing. The schemas inside them belong to
 * the services, whose Flyway migrations create them. Uses JDBC so it works without psql.
 *
 * <p>Usage: {@code CreateDatabases <host> <port> <user> <database>...}
 */
public final class CreateDatabases {

    private static final Pattern SAFE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private CreateDatabases() {
    }

    public static void main(String[] args) throws SQLException {
        if (args.length < 4) {
            System.err.println("usage: CreateDatabases <host> <port> <user> <database>...");
            System.exit(2);
        }
        String url = "jdbc:postgresql://" + args[0] + ":" + args[1] + "/postgres";
        String password = System.getenv().getOrDefault("RELINK_DB_PASSWORD", "");
        try (Connection connection = DriverManager.getConnection(url, args[2], password)) {
            for (int i = 3; i < args.length; i++) {
                createIfMissing(connection, args[i]);
            }
        }
    }

    private static void createIfMissing(Connection connection, String database) throws SQLException {
        if (!SAFE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("Not a plain database name: " + database);
        }
        try (PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (Statement create = connection.createStatement()) {
            create.execute("create database " + database);
            System.out.println("created database " + database);
        }
    }
}
