package dev.depthdav.store.mem;

import dev.depthdav.lock.LockStore;
import dev.depthdav.lock.MemLockStore;
import dev.depthdav.store.Blob;
import dev.depthdav.store.BlobStore;
import dev.depthdav.store.Node;
import dev.depthdav.store.QName;
import dev.depthdav.store.Store;
import dev.depthdav.store.StoreException;
import dev.depthdav.store.Tx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The in-memory reference implementation of {@link Store}: obviously correct rather than fast.
 * A write works on copies of the maps and restores them when the work throws, so it is atomic;
 * one monitor serializes everything. Content goes to the {@link BlobStore} it is given.
 */
public final class MemStore implements Store {
  private Map<Long, Node> nodes = new HashMap<>();
  private Map<Long, TreeMap<String, String>> props = new HashMap<>();
  private long next = 3;
  private MemLockStore locks = new MemLockStore();
  private final BlobStore blobs;
  /** The memory store never frees blobs on its own, nor does its log. */
  private final MemOperationLog operations = new MemOperationLog(hash -> { });

  public MemStore(BlobStore blobs) {
    this.blobs = blobs;
    Instant t = Instant.now();
    nodes.put(1L, new Node(1, 0, "", true, 0, null, null, tag(), t, t));
  }

  @Override
  public synchronized <T> T read(Work<T> work) {
    return work.run(new MemTx());
  }

  @Override
  public synchronized <T> T write(Work<T> work) {
    Map<Long, Node> n0 = new HashMap<>(nodes);
    Map<Long, TreeMap<String, String>> p0 = new HashMap<>();
    props.forEach((k, v) -> p0.put(k, new TreeMap<>(v)));
    long next0 = next;
    MemLockStore l0 = locks.copy();
    try {
      return work.run(new MemTx());
    } catch (RuntimeException e) {
      nodes = n0;
      props = p0;
      next = next0;
      locks = l0;
      throw e;
    }
  }

  @Override
  public BlobStore blobs() {
    return blobs;
  }

  @Override
  public MemOperationLog operations() {
    return operations;
  }

  @Override
  public void close() {}

  private static String key(QName q) {
    return q.namespace() + "\n" + q.local();
  }

  private final class MemTx implements Tx {
    @Override
    public LockStore locks() {
      return locks;
    }

    @Override
    public Node root() {
      return nodes.get(1L);
    }

    @Override
    public Optional<Node> get(long id) {
      return Optional.ofNullable(nodes.get(id));
    }


    @Override
    public Optional<Node> child(long parentId, String name) {
      return nodes.values().stream()
          .filter(n -> n.parentId() == parentId && n.name().equals(name)).findFirst();
    }

    @Override
    public void forEachChild(long parentId, Consumer<Node> each) {
      nodes.values().stream().filter(n -> n.parentId() == parentId)
          .sorted((a, b) -> a.name().compareTo(b.name())).toList().forEach(each);
    }

    @Override
    public long countSubtree(long id, long limit) {
      long n = 1;
      List<Long> stack = new ArrayList<>(List.of(id));
      while (!stack.isEmpty() && n <= limit) {
        long x = stack.remove(stack.size() - 1);
        for (Node c : nodes.values()) {
          if (c.parentId() == x) {
            n++;
            stack.add(c.id());
          }
        }
      }
      return n;
    }

    @Override
    public long bytesBelow(long id) {
      long bytes = 0;
      List<Long> stack = new ArrayList<>(List.of(id));
      while (!stack.isEmpty()) {
        long x = stack.remove(stack.size() - 1);
        Node self = nodes.get(x);
        if (self != null && !self.collection()) {
          bytes += self.length();
        }
        for (Node c : nodes.values()) {
          if (c.parentId() == x) {
            stack.add(c.id());
          }
        }
      }
      return bytes;
    }

    @Override
    public boolean hasChildren(long parentId) {
      return nodes.values().stream().anyMatch(n -> n.parentId() == parentId);
    }

    private Node parent(long parentId, String name) {
      Node p = nodes.get(parentId);
      if (p == null) {
        throw new StoreException.NotFound("no parent");
      }
      if (!p.collection()) {
        throw new StoreException.NotACollection("parent not a collection");
      }
      if (child(parentId, name).isPresent()) {
        throw new StoreException.AlreadyExists(name);
      }
      return p;
    }

    @Override
    public Node createCollection(long parentId, String name, Instant now) {
      parent(parentId, name);
      Node n = new Node(next++, parentId, name, true, 0, null, null, tag(), now, now);
      nodes.put(n.id(), n);
      return n;
    }

    @Override
    public Node createFile(long parentId, String name, Blob blob, String type, Instant now) {
      parent(parentId, name);
      Node n = new Node(next++, parentId, name, false, blob.length(), blob.hash(), type, tag(),
          now, now);
      nodes.put(n.id(), n);
      return n;
    }

    @Override
    public Node replaceContent(long id, Blob blob, String type, Instant now) {
      Node o = nodes.get(id);
      Node n = new Node(id, o.parentId(), o.name(), false, blob.length(), blob.hash(), type,
          tag(), o.created(), now);
      nodes.put(id, n);
      return n;
    }

    @Override
    public Node touch(long id, Instant now) {
      Node o = nodes.get(id);
      Node n = new Node(id, o.parentId(), o.name(), o.collection(), o.length(), o.blob(),
          o.contentType(), tag(), o.created(), now);
      nodes.put(id, n);
      return n;
    }

    @Override
    public Node move(long id, long newParentId, String newName, Instant now) {
      parent(newParentId, newName);
      Node o = nodes.get(id);
      Node n = new Node(id, newParentId, newName, o.collection(), o.length(), o.blob(),
          o.contentType(), o.etag(), o.created(), o.modified());
      nodes.put(id, n);
      return n;
    }

    @Override
    public void detach(long id) {
      List<Long> stack = new ArrayList<>(List.of(id));
      while (!stack.isEmpty()) {
        long x = stack.remove(stack.size() - 1);
        nodes.values().stream().filter(n -> n.parentId() == x).forEach(n -> stack.add(n.id()));
        nodes.remove(x);
        props.remove(x);
      }
    }

    @Override
    public Node copy(long id, long newParentId, String newName, boolean members, Instant now,
        LongConsumer copied) {
      parent(newParentId, newName);
      return copyOne(nodes.get(id), newParentId, newName, members, now, copied);
    }

    private Node copyOne(Node o, long parentId, String name, boolean members, Instant now,
        LongConsumer copied) {
      Node n = new Node(next++, parentId, name, o.collection(), o.length(), o.blob(),
          o.contentType(), tag(), now, now);
      nodes.put(n.id(), n);
      copied.accept(1);
      if (props.containsKey(o.id())) {
        props.put(n.id(), new TreeMap<>(props.get(o.id())));
      }
      if (members) {
        List<Node> kids = new ArrayList<>();
        forEachChild(o.id(), kids::add);
        for (Node k : kids) {
          copyOne(k, n.id(), k.name(), true, now, copied);
        }
      }
      return n;
    }

    @Override
    public Map<QName, String> properties(long id) {
      Map<QName, String> out = new java.util.LinkedHashMap<>();
      props.getOrDefault(id, new TreeMap<>()).forEach((k, v) -> {
        String[] p = k.split("\n", 2);
        out.put(new QName(p[0], p[1]), v);
      });
      return out;
    }

    @Override
    public Optional<String> property(long id, QName name) {
      return Optional.ofNullable(props.getOrDefault(id, new TreeMap<>()).get(key(name)));
    }

    @Override
    public void setProperty(long id, QName name, String xml) {
      props.computeIfAbsent(id, k -> new TreeMap<>()).put(key(name), xml);
    }

    @Override
    public void removeProperty(long id, QName name) {
      props.getOrDefault(id, new TreeMap<>()).remove(key(name));
    }
  }

  private static String tag() {
    return UUID.randomUUID().toString().replace("-", "");
  }
}
