package dev.depthdav.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The files of a database folder as a kill left them, copied aside for a post-mortem. */
public final class CrashedFiles {
  private CrashedFiles() {}

  /** Copies the files of {@code folder} into {@code to}, replacing what an earlier copy left. */
  public static void copy(Path folder, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(folder)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
