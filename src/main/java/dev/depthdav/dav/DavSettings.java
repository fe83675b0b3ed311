package dev.depthdav.dav;

import dev.depthdav.depth.Processing;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Protocol-level settings.
 *
 * @param maxXmlBody largest XML request body accepted, in bytes (413 past it)
 * @param lockTimeout lock lifetime granted when the client asks for none
 * @param maxLockTimeout the longest lock lifetime granted (Infinite included)
 * @param processing when and to whom 102 Processing is sent
 * @param propfindBudget the most resources a Depth: infinity PROPFIND may list (403 past it)
 * @param maxLocksPerResource the most locks rooted at one resource (423 past it)
 * @param maxLocksPerPrincipal the most live locks one principal may hold (403 past it)
 * @param maxUploads PUT bodies read at once (503 with Retry-After past it)
 * @param minUploadRate slowest PUT body accepted, bytes per second (408 below it; 0: none)
 * @param results the folder for captured results of {@code Prefer: respond-async} operations
 * @param maxAsyncResult the largest captured result kept, in bytes (507 as the result past it)
 * @param maxUpload the largest PUT body, in bytes (413 past it); 0 for no limit
 */
public record DavSettings(long maxXmlBody, Duration lockTimeout, Duration maxLockTimeout,
    Processing processing, long propfindBudget, int maxLocksPerResource,
    int maxLocksPerPrincipal, int maxUploads, long minUploadRate, Path results,
    long maxAsyncResult, long maxUpload) {}
