package io.touchpoint.local;

import java.util.List;

/** One service of the stack as the orchestrator sees it. */
interface Component {

  Service service();

  /** Downloads what is missing and writes configuration under the data directory. Idempotent. */
  void prepare();

  /** The processes to run, in start order (empty for a tool). */
  List<ManagedProcess> processes();

  /**
   * The processes in stop waves: each wave is signalled at once and awaited before the next.
   * Default: all together.
   */
  default List<List<ManagedProcess>> stopWaves() {
    return List.of(processes());
  }

  /** Work after the processes are healthy: topics, buckets, waiting for the cluster. Idempotent. */
  void afterStart();

  /**
   * Cheap work on an {@code up} that finds the service already running (e.g. provisioning that
   * changed).
   */
  default void refresh() {}

  /** True when the service as a whole answers (beyond each process's own health). */
  boolean ready();

  /** One line telling clients where it is. */
  String address();
}
