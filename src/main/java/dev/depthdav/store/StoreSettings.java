package dev.depthdav.store;

import java.time.Duration;

/**
 * How a store keeps its promises about the disk.
 *
 * @param fsync force each commit and each blob to the disk before it is acknowledged; off, a
 *     process crash still loses nothing, a power failure may lose the newest writes
 * @param orphanGrace how old a blob that no row names must be before it is deleted by the sweep
 *     and reported by {@code check}: younger ones may belong to a write in flight
 * @param minFreeBytes writes are refused with 507 while the file system holding the data folder
 *     has less than this free, so the database always has room to record what it acknowledged
 */
public record StoreSettings(boolean fsync, Duration orphanGrace, long minFreeBytes) {
  /** The defaults: fsync on, an hour of grace, 64 MiB kept free. */
  public static final StoreSettings DEFAULTS =
      new StoreSettings(true, Duration.ofHours(1), 64L << 20);
}
