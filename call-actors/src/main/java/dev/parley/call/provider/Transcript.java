package dev.parley.call.provider;

/** A hypothesis of what the caller said; a final one is not revised. */
public record Transcript(String text, boolean isFinal) {}
