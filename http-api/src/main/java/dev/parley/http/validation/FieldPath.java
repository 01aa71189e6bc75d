package dev.parley.http.validation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;

import com.networknt.schema.JsonNodePath;

/**
 * Where a value sits in a request body: property names and array indexes, printed as
 * {@code model.messages.0.role}. Each path shares its parent, so walking a large body stays cheap.
 */
final class FieldPath {

  static final FieldPath ROOT = new FieldPath(null, null, 0);

  private final FieldPath parent;
  /** A property name (String) or an array index (Integer); null for the root. */
  private final Object last;
  private final int depth;

  private FieldPath(FieldPath parent, Object last, int depth) {
    this.parent = parent;
    this.last = last;
    this.depth = depth;
  }

  FieldPath property(String name) {
    return new FieldPath(this, name, depth + 1);
  }

  FieldPath index(int index) {
    return new FieldPath(this, index, depth + 1);
  }

  /** This path followed by a location networknt reports relative to the value validated at this path. */
  FieldPath append(JsonNodePath relative) {
    FieldPath path = this;
    for (int i = 0; i < relative.getNameCount(); i++) {
      Object segment = relative.getElement(i);
      path = new FieldPath(path, segment, path.depth + 1);
    }
    return path;
  }

  boolean isRoot() {
    return depth == 0;
  }

  int depth() {
    return depth;
  }

  Object last() {
    return last;
  }

  FieldPath parent() {
    return parent;
  }

  List<Object> segments() {
    Deque<Object> segments = new ArrayDeque<>(depth);
    for (FieldPath p = this; !p.isRoot(); p = p.parent) {
      segments.addFirst(p.last);
    }
    return List.copyOf(segments);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FieldPath path && segments().equals(path.segments());
  }

  @Override
  public int hashCode() {
    return segments().hashCode();
  }

  @Override
  public String toString() {
    return segments().stream().map(String::valueOf).collect(Collectors.joining("."));
  }
}
