package dev.parley.call.providers.flite;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.jna.Function;
import com.sun.jna.Pointer;
import com.typesafe.config.Config;

import dev.parley.call.providers.NativeLibraries;

/**
 * flite's voices, registered once per process: each is a shared library exporting a
 * {@code register_cmu_us_*} function that returns a {@code cst_voice}. Voices live as long as the
 * process (flite shares their data with every utterance).
 */
final class FliteVoices {

  private static final Map<String, Pointer> REGISTERED = new ConcurrentHashMap<>();

  private FliteVoices() {}

  /** voiceId -> registered voice, for each entry of {@code voices} ({@code library}, {@code register}). */
  static Map<String, Pointer> register(Config voices, String install) {
    Map<String, Pointer> byId = new TreeMap<>();
    for (String id : voices.root().keySet()) {
      Config voice = voices.getConfig(id);
      String library = voice.getString("library");
      String function = voice.getString("register");
      byId.put(id, REGISTERED.computeIfAbsent(library + "#" + function, key -> {
        Function register = NativeLibraries.open(library, install).getFunction(function);
        Pointer registered = register.invokePointer(new Object[] {null});
        if (registered == null) {
          throw new IllegalStateException("flite voice " + id + ": " + function + " in " + library
              + " returned no voice. Reinstall it with: " + install);
        }
        return registered;
      }));
    }
    return byId;
  }
}
