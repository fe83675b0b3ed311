package dev.depthdav.store;

import dev.depthdav.store.mem.MemOperationLog;
import java.nio.file.Path;

/** The operation log contract on the in-memory reference implementation. */
class MemOperationLogTest extends OperationLogContract {
  @Override
  OperationLog open(Path dir) {
    return new MemOperationLog(hash -> { });
  }
}
