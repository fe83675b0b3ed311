package dev.depthdav.dav;

import java.time.Duration;

/**
 * Protocol-level settings.
 *
 * @param maxXmlBody largest XML request body accepted, in bytes (413 past it)
 * @param lockTimeout lock lifetime granted when the client asks for none
 * @param maxLockTimeout the longest lock lifetime granted (Infinite included)
 */
public record DavSettings(long maxXmlBody, Duration lockTimeout, Duration maxLockTimeout) {}
