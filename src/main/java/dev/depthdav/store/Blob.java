package dev.depthdav.store;

/** Content in the blob store: its SHA-256 (lowercase hex) and its length in bytes. */
public record Blob(String hash, long length) {}
