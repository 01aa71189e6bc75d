package dev.parley.persistence.serialization;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;

/**
 * Which class each Kryo id stands for. The id, not the class name, is what a serialized event
 * carries, so a class can be renamed or moved by keeping its id and changing the name in
 * configuration; an id must never be reused for a different shape.
 *
 * <p>Ids below {@link #FIRST_APPLICATION_ID} belong to the JDK types registered here; application
 * classes are listed per module in {@code reference.conf}:
 *
 * <pre>parley.serialization.kryo.classes { 1000 = "dev.parley.assistant.AssistantEntity$Created" }</pre>
 */
public final class KryoRegistrations {

  public static final String CONFIG_PATH = "parley.serialization.kryo.classes";
  public static final int FIRST_APPLICATION_ID = 1000;
  static final int TYPED_ACTOR_REF_ID = 90;
  static final int CLASSIC_ACTOR_REF_ID = 91;
  static final int SINK_REF_ID = 92;
  static final int SOURCE_REF_ID = 93;

  private final Map<Integer, Class<?>> applicationClasses;

  private KryoRegistrations(Map<Integer, Class<?>> applicationClasses) {
    this.applicationClasses = Collections.unmodifiableMap(applicationClasses);
  }

  public static KryoRegistrations fromConfig(Config config, ClassLoader classLoader) {
    Map<Integer, Class<?>> byId = new TreeMap<>();
    Map<Class<?>, Integer> byClass = new HashMap<>();
    if (config.hasPath(CONFIG_PATH)) {
      for (Map.Entry<String, ConfigValue> entry : config.getConfig(CONFIG_PATH).root().entrySet()) {
        int id = parseId(entry.getKey());
        String className = String.valueOf(entry.getValue().unwrapped());
        Class<?> type = load(className, id, classLoader);
        Integer earlier = byClass.putIfAbsent(type, id);
        if (earlier != null) {
          throw new IllegalStateException(
              CONFIG_PATH + ": " + className + " is registered twice, as " + earlier + " and " + id);
        }
        byId.put(id, type);
      }
    }
    return new KryoRegistrations(byId);
  }

  public Map<Integer, Class<?>> applicationClasses() {
    return applicationClasses;
  }

  /** JDK types with ids fixed here forever; their order of registration does not matter. */
  static Map<Integer, Class<?>> jdkClasses() {
    Map<Integer, Class<?>> jdk = new LinkedHashMap<>();
    jdk.put(20, byte[].class);
    jdk.put(21, int[].class);
    jdk.put(22, long[].class);
    jdk.put(23, double[].class);
    jdk.put(24, float[].class);
    jdk.put(25, short[].class);
    jdk.put(26, String[].class);
    jdk.put(27, Object[].class);
    jdk.put(30, ArrayList.class);
    jdk.put(31, LinkedList.class);
    jdk.put(32, HashMap.class);
    jdk.put(33, LinkedHashMap.class);
    jdk.put(34, TreeMap.class);
    jdk.put(35, HashSet.class);
    jdk.put(36, LinkedHashSet.class);
    jdk.put(37, TreeSet.class);
    jdk.put(50, Integer.class);
    jdk.put(51, Long.class);
    jdk.put(52, Double.class);
    jdk.put(53, Float.class);
    jdk.put(54, Boolean.class);
    jdk.put(55, Short.class);
    jdk.put(56, Byte.class);
    jdk.put(57, Character.class);
    jdk.put(60, Instant.class);
    jdk.put(61, Duration.class);
    jdk.put(62, LocalDate.class);
    jdk.put(63, UUID.class);
    jdk.put(64, BigDecimal.class);
    jdk.put(65, BigInteger.class);
    jdk.put(66, Optional.class);
    jdk.put(67, OptionalInt.class);
    jdk.put(68, OptionalLong.class);
    jdk.put(69, OptionalDouble.class);
    return jdk;
  }

  /** The JDK's immutable collections (List.of, Map.of, Set.of, stream().toList()). */
  static Map<Integer, Class<?>> jdkImmutableCollectionClasses() {
    Map<Integer, Class<?>> jdk = new LinkedHashMap<>();
    jdk.put(40, List.of().getClass());
    jdk.put(41, List.of(1).getClass());
    jdk.put(42, Set.of().getClass());
    jdk.put(43, Set.of(1).getClass());
    jdk.put(44, Map.of().getClass());
    jdk.put(45, Map.of(1, 1).getClass());
    jdk.put(46, Collections.emptyList().getClass());
    jdk.put(47, Collections.emptyMap().getClass());
    jdk.put(48, Collections.emptySet().getClass());
    return jdk;
  }

  private static int parseId(String key) {
    try {
      int id = Integer.parseInt(key);
      if (id < FIRST_APPLICATION_ID) {
        throw new IllegalStateException(
            CONFIG_PATH + "." + key + ": application ids start at " + FIRST_APPLICATION_ID);
      }
      return id;
    } catch (NumberFormatException e) {
      throw new IllegalStateException(CONFIG_PATH + ": key '" + key + "' is not an integer id", e);
    }
  }

  private static Class<?> load(String className, int id, ClassLoader classLoader) {
    try {
      return Class.forName(className, false, classLoader);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          CONFIG_PATH + "." + id + ": class " + className + " not found. Renamed it? Keep the id"
              + " and write the new name here.", e);
    }
  }
}
