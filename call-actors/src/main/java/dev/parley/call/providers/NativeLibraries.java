package dev.parley.call.providers;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * What the in-process speech providers share: loading a native library with a message that says
 * how to install it when it is missing, and the dispatcher their blocking native work runs on.
 */
public final class NativeLibraries {

  /**
   * JNA unloads a library whose last Java handle is collected; voices and decoders point into
   * these libraries from native memory, so once loaded they stay loaded.
   */
  private static final Map<String, Object> LOADED = new ConcurrentHashMap<>();

  private NativeLibraries() {}

  /** Binds {@code library} (a name or file such as {@code libflite.so.1}) to {@code api}. */
  public static <T extends Library> T load(String library, Class<T> api, String install) {
    try {
      T bound = Native.load(library, api, Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));
      LOADED.putIfAbsent(api.getName() + "@" + library, bound);
      return bound;
    } catch (UnsatisfiedLinkError e) {
      throw missing(library, install, e);
    }
  }

  /** Opens {@code library} for looking functions up by name. */
  public static NativeLibrary open(String library, String install) {
    try {
      NativeLibrary opened = NativeLibrary.getInstance(library);
      LOADED.putIfAbsent(library, opened);
      return opened;
    } catch (UnsatisfiedLinkError e) {
      throw missing(library, install, e);
    }
  }

  private static IllegalStateException missing(String library, String install, UnsatisfiedLinkError e) {
    return new IllegalStateException("Native library " + library + " could not be loaded (" + e.getMessage()
        + "). Install it with: " + install, e);
  }

  /** The executor of the dispatcher named by {@code parley.call-actors.live.speech-dispatcher}. */
  public static Executor speechExecutor(ActorSystem<?> system) {
    return system.dispatchers().lookup(DispatcherSelector.fromConfig(speechDispatcher(system)));
  }

  /** The name of the dispatcher for blocking native speech work. */
  public static String speechDispatcher(ActorSystem<?> system) {
    return system.settings().config().getString("parley.call-actors.live.speech-dispatcher");
  }
}
