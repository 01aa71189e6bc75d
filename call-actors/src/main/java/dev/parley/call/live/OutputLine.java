package dev.parley.call.live;

import java.util.ArrayDeque;
import java.util.Deque;

import org.apache.pekko.stream.BoundedSourceQueue;

/**
 * What a call sends its caller, into a bounded queue that drops when full (a caller who does not
 * read is noticed by the transport, not here). A connection on another node gets the queue at once
 * (behind a stream ref); one on the call's own node runs the queue in its own stream, so until it
 * does, what is sent waits here, up to the same bound.
 */
final class OutputLine {

  private final int capacity;
  private final Deque<CallerOutput> waiting = new ArrayDeque<>();
  private volatile BoundedSourceQueue<CallerOutput> queue;
  private boolean completed;

  OutputLine(int capacity) {
    this.capacity = capacity;
  }

  /** Binds the line to its queue; what waited goes first. A second queue is ended at once. */
  void bind(BoundedSourceQueue<CallerOutput> next) {
    synchronized (waiting) {
      if (queue != null) {
        completeQuietly(next);
        return;
      }
      waiting.forEach(next::offer);
      waiting.clear();
      queue = next;
      if (completed) {
        completeQuietly(next);
      }
    }
  }

  void offer(CallerOutput element) {
    BoundedSourceQueue<CallerOutput> bound = queue;
    if (bound != null) {
      bound.offer(element);
      return;
    }
    synchronized (waiting) {
      if (queue != null) {
        queue.offer(element);
      } else if (!completed && waiting.size() < capacity) {
        waiting.addLast(element);
      }
    }
  }

  /** Ends the line after what is queued. */
  void complete() {
    synchronized (waiting) {
      completed = true;
      if (queue != null) {
        completeQuietly(queue);
      }
    }
  }

  private static void completeQuietly(BoundedSourceQueue<CallerOutput> queue) {
    try {
      queue.complete();
    } catch (IllegalStateException alreadyEnded) {
      // the caller's side has gone already: nothing left to close
    }
  }
}
