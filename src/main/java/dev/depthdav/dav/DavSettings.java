package dev.depthdav.dav;

/**
 * Protocol-level settings.
 *
 * @param maxXmlBody largest XML request body accepted, in bytes (413 past it)
 */
public record DavSettings(long maxXmlBody) {}
