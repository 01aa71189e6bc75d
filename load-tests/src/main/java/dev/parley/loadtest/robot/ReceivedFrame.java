package dev.parley.loadtest.robot;

/** One binary frame of assistant audio as received ({@code bytes} null when audio is not kept). */
public record ReceivedFrame(long atNanos, int length, byte[] bytes) {}
