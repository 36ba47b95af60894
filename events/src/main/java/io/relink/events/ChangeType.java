package io.relink.events;

public enum ChangeType {
    ADDED, CHANGED, REMOVED
}
