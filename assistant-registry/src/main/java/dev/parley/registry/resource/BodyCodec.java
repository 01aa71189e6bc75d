package dev.parley.registry.resource;

/** How a kind's body is kept at rest: as is, or sealed (credentials). */
public interface BodyCodec {

  BodyCodec PLAIN = new BodyCodec() {
    @Override
    public String seal(String body) {
      return body;
    }

    @Override
    public String open(String stored) {
      return stored;
    }
  };

  String seal(String body);

  String open(String stored);
}
