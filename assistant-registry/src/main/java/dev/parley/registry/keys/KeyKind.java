package dev.parley.registry.keys;

/** A private key calls the REST API; a public key may only start browser calls. */
public enum KeyKind {
  PRIVATE,
  PUBLIC
}
