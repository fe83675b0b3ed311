package dev.depthdav.auth;

import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** Accounts in memory: the reference {@link Users} for fast tests. Thread-safe. */
public final class MemUsers implements Users {
  private final TreeMap<String, User> users = new TreeMap<>(); // guarded by this
  private long generation; // guarded by this

  @Override
  public synchronized Optional<User> find(String name) {
    return Optional.ofNullable(users.get(name));
  }

  @Override
  public synchronized List<User> list() {
    return List.copyOf(users.values());
  }

  @Override
  public synchronized void add(User user) {
    if (users.putIfAbsent(user.name(), user) != null) {
      throw new IllegalStateException("user " + user.name() + " already exists");
    }
    generation++;
  }

  @Override
  public synchronized void update(User user) {
    if (users.replace(user.name(), user) == null) {
      throw new IllegalStateException("no user " + user.name());
    }
    generation++;
  }

  @Override
  public synchronized boolean remove(String name) {
    boolean removed = users.remove(name) != null;
    if (removed) {
      generation++;
    }
    return removed;
  }

  @Override
  public synchronized long generation() {
    return generation;
  }
}
