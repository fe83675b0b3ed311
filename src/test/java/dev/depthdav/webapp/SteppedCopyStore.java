package dev.depthdav.webapp;

import dev.depthdav.lock.LockStore;
import dev.depthdav.store.Blob;
import dev.depthdav.store.DavPath;
import dev.depthdav.store.Node;
import dev.depthdav.store.QName;
import dev.depthdav.store.Store;
import dev.depthdav.store.Tx;
import dev.depthdav.testing.ForwardingStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * A store whose tree copies, once {@link #arm armed}, stop after each range of rows they report
 * until the test lets them take one more {@link #step}: a copy then shows its progress for as
 * long as a browser needs to see it, without sleeping and without a huge tree.
 */
final class SteppedCopyStore extends ForwardingStore {
  private final Semaphore steps = new Semaphore(0);
  private volatile boolean armed;

  SteppedCopyStore(Store inner) {
    super(inner);
  }

  void arm() {
    armed = true;
  }

  /** Lets an armed copy go on past one more report. */
  void step() {
    steps.release();
  }

  /** Lets every copy run to its end. */
  void disarm() {
    armed = false;
    steps.release(1_000);
  }

  private void await() {
    try {
      if (armed && !steps.tryAcquire(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never let the copy go on");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public <T> T write(Work<T> work) {
    return inner.write(tx -> work.run(new Stepped(tx)));
  }

  @Override
  public <T> T writeToFree(Work<T> work) {
    return inner.writeToFree(tx -> work.run(new Stepped(tx)));
  }

  /** The inner transaction, with a copy's progress reports held at the gate. */
  private final class Stepped implements Tx {
    private final Tx tx;

    Stepped(Tx tx) {
      this.tx = tx;
    }

    @Override
    public Node copy(long id, long newParentId, String newName, boolean members, Instant now,
        LongConsumer copied) {
      return tx.copy(id, newParentId, newName, members, now, n -> {
        copied.accept(n);
        await();
      });
    }

    @Override
    public Node root() {
      return tx.root();
    }

    @Override
    public LockStore locks() {
      return tx.locks();
    }

    @Override
    public Optional<Node> get(long id) {
      return tx.get(id);
    }

    @Override
    public Optional<Node> resolve(DavPath path) {
      return tx.resolve(path);
    }

    @Override
    public Optional<Node> child(long parentId, String name) {
      return tx.child(parentId, name);
    }

    @Override
    public void forEachChild(long parentId, Consumer<Node> each) {
      tx.forEachChild(parentId, each);
    }

    @Override
    public List<Member> page(long parentId, String after, int limit, boolean withProperties) {
      return tx.page(parentId, after, limit, withProperties);
    }

    @Override
    public long countSubtree(long id, long limit) {
      return tx.countSubtree(id, limit);
    }

    @Override
    public boolean hasChildren(long parentId) {
      return tx.hasChildren(parentId);
    }

    @Override
    public long bytesBelow(long id) {
      return tx.bytesBelow(id);
    }

    @Override
    public Node createCollection(long parentId, String name, Instant now) {
      return tx.createCollection(parentId, name, now);
    }

    @Override
    public Node createFile(long parentId, String name, Blob blob, String contentType,
        Instant now) {
      return tx.createFile(parentId, name, blob, contentType, now);
    }

    @Override
    public Node replaceContent(long id, Blob blob, String contentType, Instant now) {
      return tx.replaceContent(id, blob, contentType, now);
    }

    @Override
    public Node touch(long id, Instant now) {
      return tx.touch(id, now);
    }

    @Override
    public Node move(long id, long newParentId, String newName, Instant now) {
      return tx.move(id, newParentId, newName, now);
    }

    @Override
    public void detach(long id) {
      tx.detach(id);
    }

    @Override
    public Map<QName, String> properties(long id) {
      return tx.properties(id);
    }

    @Override
    public Optional<String> property(long id, QName name) {
      return tx.property(id, name);
    }

    @Override
    public void setProperty(long id, QName name, String xml) {
      tx.setProperty(id, name, xml);
    }

    @Override
    public void removeProperty(long id, QName name) {
      tx.removeProperty(id, name);
    }
  }
}
