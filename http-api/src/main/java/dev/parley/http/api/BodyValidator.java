package dev.parley.http.api;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** Checks a request body against a named schema of our OpenAPI document; empty when valid. */
@FunctionalInterface
public interface BodyValidator {

  List<String> validate(String schemaName, JsonNode body);
}
