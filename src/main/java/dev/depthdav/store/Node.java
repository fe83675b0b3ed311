package dev.depthdav.store;

import java.time.Instant;

/**
 * One resource's metadata row.
 *
 * @param id stable identity for the row's lifetime
 * @param parentId the parent collection's id; 0 for the root
 * @param name the member name; "" for the root
 * @param collection true for collections
 * @param length content length in bytes; 0 for collections
 * @param blob SHA-256 hex of the content, or null for collections
 * @param contentType the media type given at PUT, or null
 * @param etag strong entity tag value without quotes; changes with every write
 * @param created creation time
 * @param modified last modification time
 */
public record Node(
    long id,
    long parentId,
    String name,
    boolean collection,
    long length,
    String blob,
    String contentType,
    String etag,
    Instant created,
    Instant modified) {}
