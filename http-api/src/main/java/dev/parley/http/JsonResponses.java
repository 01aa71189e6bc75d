package dev.parley.http;

import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.marshalling.Marshaller;
import org.apache.pekko.http.javadsl.model.RequestEntity;

/** Marshalling with the one configured mapper. */
public final class JsonResponses {

  private static final Marshaller<Object, RequestEntity> MARSHALLER = Jackson.marshaller(JsonMapper.MAPPER);

  private JsonResponses() {}

  @SuppressWarnings("unchecked")
  public static <T> Marshaller<T, RequestEntity> marshaller() {
    return (Marshaller<T, RequestEntity>) (Marshaller<?, RequestEntity>) MARSHALLER;
  }
}
