package dev.depthdav.depth;

/**
 * One writer per response: the monitor's interim 102s and the final response never overlap.
 * The monitor may start a 102 only while the final response has not started and no other 102
 * is in flight; whoever writes the final response first waits for an in-flight 102 to finish
 * (field notes §2: completing the exchange during a 102 write fails the request).
 */
public final class ResponseGate {
  private boolean interimInFlight;
  private boolean finalStarted;

  /** Claims the response for one 102; false once the final response has started. */
  synchronized boolean beginInterim() {
    if (finalStarted || interimInFlight) {
      return false;
    }
    interimInFlight = true;
    return true;
  }

  synchronized void endInterim() {
    interimInFlight = false;
    notifyAll();
  }

  /** Claims the response for the final status: waits out an in-flight 102, then forbids more. */
  public synchronized void beginFinal() {
    finalStarted = true;
    boolean interrupted = false;
    while (interimInFlight) {
      try {
        wait();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
