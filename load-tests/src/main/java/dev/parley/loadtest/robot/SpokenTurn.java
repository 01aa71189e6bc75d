package dev.parley.loadtest.robot;

/**
 * One caller turn as sent: when its first and last speech frames went out (System.nanoTime(); 0
 * while not yet sent) and how many frames it has.
 */
public record SpokenTurn(int index, int frames, long firstFrameNanos, long lastFrameNanos) {

  public boolean started() {
    return firstFrameNanos != 0;
  }

  public boolean finished() {
    return lastFrameNanos != 0;
  }
}
