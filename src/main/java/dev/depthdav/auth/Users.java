package dev.depthdav.auth;

import java.util.List;
import java.util.Optional;

/** Where the accounts live. Names are unique and compared exactly (case matters). */
public interface Users {

  Optional<User> find(String name);

  /** Every user, by name. */
  List<User> list();

  /**
   * Adds {@code user}.
   *
   * @throws IllegalStateException when the name is taken
   */
  void add(User user);

  /**
   * Replaces the user of the same name.
   *
   * @throws IllegalStateException when there is none
   */
  void update(User user);

  /** Removes a user; false when there was none. */
  boolean remove(String name);

  /** A number that changes whenever a user is added, changed or removed (for caches). */
  long generation();
}
