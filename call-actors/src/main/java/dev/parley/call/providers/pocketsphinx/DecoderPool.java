package dev.parley.call.providers.pocketsphinx;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Initialised decoders shared by all calls: one lent to one recognition at a time and returned
 * after it. Initialising one is slow and big (about a second, 120-150 MB), so at most
 * {@code max} exist; a recognition that finds them all lent out waits up to {@code acquireTimeout}
 * and then fails with a {@link java.util.concurrent.TimeoutException}.
 */
final class DecoderPool {

  private final Supplier<Decoder> factory;
  private final int max;
  private final Executor executor;
  private final Duration acquireTimeout;
  private final Deque<Decoder> idle = new ArrayDeque<>();
  private final Deque<CompletableFuture<Decoder>> waiting = new ArrayDeque<>();
  private int existing;
  private boolean closed;

  /** {@code factory}: blocking native initialisation, run on {@code executor}. */
  DecoderPool(Supplier<Decoder> factory, int max, Executor executor, Duration acquireTimeout) {
    if (max < 1) {
      throw new IllegalArgumentException("a decoder pool needs room for at least one decoder, not " + max);
    }
    this.factory = factory;
    this.max = max;
    this.executor = executor;
    this.acquireTimeout = acquireTimeout;
  }

  int max() {
    return max;
  }

  Duration acquireTimeout() {
    return acquireTimeout;
  }

  /** Decoders alive: lent, idle or being initialised. */
  synchronized int existing() {
    return existing;
  }

  synchronized int idle() {
    return idle.size();
  }

  /** Initialises up to {@code count} decoders in the background so the first calls need not wait. */
  void warm(int count) {
    for (int i = 0; i < count; i++) {
      synchronized (this) {
        if (existing >= max) {
          return;
        }
        existing++;
      }
      CompletableFuture<Decoder> decoder = new CompletableFuture<>();
      decoder.thenAccept(this::release);
      initialise(decoder);
    }
  }

  /** A decoder for one recognition; give it back with {@link #release}. */
  CompletableFuture<Decoder> acquire() {
    CompletableFuture<Decoder> lease = new CompletableFuture<>();
    boolean create;
    synchronized (this) {
      if (closed) {
        lease.completeExceptionally(new IllegalStateException("PocketSphinx is shut down"));
        return lease;
      }
      Decoder ready = idle.pollFirst();
      if (ready != null) {
        lease.complete(ready);
        return lease;
      }
      create = existing < max;
      if (create) {
        existing++;
      } else {
        waiting.addLast(lease);
      }
    }
    if (create) {
      initialise(lease);
    } else {
      lease.orTimeout(acquireTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .whenComplete((decoder, failure) -> {
            if (failure != null) {
              synchronized (this) {
                waiting.remove(lease);
              }
            }
          });
    }
    return lease;
  }

  /** Takes a decoder back (its utterance ended): to a waiting recognition, else to the idle ones. */
  void release(Decoder decoder) {
    if (!decoder.healthy()) {
      discard(decoder);
      return;
    }
    while (true) {
      CompletableFuture<Decoder> next;
      synchronized (this) {
        next = waiting.pollFirst();
        if (next == null) {
          if (closed) {
            existing--;
            decoder.free();
          } else {
            idle.addFirst(decoder);
          }
          return;
        }
      }
      if (next.complete(decoder)) {
        return;
      }
    }
  }

  /** Frees the idle decoders; lent ones are freed as they come back. */
  void close() {
    List<Decoder> free;
    synchronized (this) {
      closed = true;
      free = new ArrayList<>(idle);
      idle.clear();
      existing -= free.size();
    }
    free.forEach(Decoder::free);
  }

  private void discard(Decoder decoder) {
    decoder.free();
    CompletableFuture<Decoder> replacementFor;
    synchronized (this) {
      replacementFor = closed ? null : waiting.pollFirst();
      if (replacementFor == null) {
        existing--;
      }
    }
    if (replacementFor != null) {
      initialise(replacementFor);
    }
  }

  private void initialise(CompletableFuture<Decoder> lease) {
    executor.execute(() -> {
      Decoder decoder;
      try {
        decoder = factory.get();
      } catch (RuntimeException e) {
        synchronized (this) {
          existing--;
        }
        lease.completeExceptionally(e);
        return;
      }
      if (!lease.complete(decoder)) {
        release(decoder);
      }
    });
  }
}
