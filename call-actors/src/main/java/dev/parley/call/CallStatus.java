package dev.parley.call;

/** Vapi's call statuses that a call of ours goes through, with their wire names. */
public enum CallStatus {
  QUEUED("queued"),
  IN_PROGRESS("in-progress"),
  ENDED("ended");

  private final String wireName;

  CallStatus(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
