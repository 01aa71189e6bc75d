package dev.parley.loadtest.loopback;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The one JSON mapper of the instant providers. */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}
}
