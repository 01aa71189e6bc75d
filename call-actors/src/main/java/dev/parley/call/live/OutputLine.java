package dev.parley.call.live;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a call sends its caller, into a bounded queue that drops when full (a caller who does not
 * read is noticed by the transport, not here). The queue comes with the connection's channel: for
 * a connection on another node when the channel is handed out (behind a stream ref), for one on the
 * call's own node when it runs the queue in its own stream. Until then what is sent waits here, up
 * to the same bound. What does not get in is counted and logged.
 */
final class OutputLine {

  private static final Logger log = LoggerFactory.getLogger(OutputLine.class);
  /** After the first loss, one log line per this many more. */
  private static final long LOG_EVERY = 500;

  private final int capacity;
  private final String connectionId;
  private final Deque<CallerOutput> waiting = new ArrayDeque<>();
  private final AtomicLong lost = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong sentAudio = new AtomicLong();
  private volatile BoundedSourceQueue<CallerOutput> queue;
  private boolean completed;

  OutputLine(int capacity, String connectionId) {
    this.capacity = capacity;
    this.connectionId = connectionId;
  }

  /** Binds the line to its queue; what waited goes first. A second queue is ended at once. */
  void bind(BoundedSourceQueue<CallerOutput> next) {
    synchronized (waiting) {
      if (queue != null) {
        completeQuietly(next);
        return;
      }
      waiting.forEach(element -> enqueue(next, element));
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
      enqueue(bound, element);
      return;
    }
    synchronized (waiting) {
      if (queue != null) {
        enqueue(queue, element);
      } else if (!completed && waiting.size() < capacity) {
        waiting.addLast(element);
      } else if (!completed) {
        lose(element, "the connection has not taken up its output and " + capacity + " are waiting");
      }
    }
  }

  /** How many elements did not get into the line. */
  long lost() {
    return lost.get();
  }

  /** How many elements went into the queue towards the caller. */
  long sent() {
    return sent.get();
  }

  /** How many of those were audio frames. */
  long sentAudio() {
    return sentAudio.get();
  }

  private void enqueue(BoundedSourceQueue<CallerOutput> target, CallerOutput element) {
    QueueOfferResult result = target.offer(element);
    if (result == QueueOfferResult.enqueued()) {
      sent.incrementAndGet();
      if (element instanceof CallerOutput.Audio) {
        sentAudio.incrementAndGet();
      }
    } else if (result == QueueOfferResult.dropped()) {
      lose(element, "the queue is full (the caller's side is not reading)");
    } else if (result instanceof QueueOfferResult.Failure failure) {
      lose(element, "the output stream failed: " + failure.cause().getMessage());
    }
    // closed: the caller's side is gone, and the entity hears of it from the input side
  }

  private void lose(CallerOutput element, String why) {
    long count = lost.incrementAndGet();
    if (count == 1 || count % LOG_EVERY == 0) {
      log.warn("Connection {}: {} output element(s) not sent, the latest a {}: {}", connectionId, count,
          element.getClass().getSimpleName(), why);
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
