package dev.parley.loadtest.robot;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket server on a raw loopback socket (RFC 6455 by hand), so a test controls what a node
 * does that a well-behaved server library will not: the i-th connection plays step i (the last step
 * repeats): refuse the upgrade with a status and a JSON message, accept and then reset the TCP
 * connection (a killed node), accept and then send a close frame, or accept and serve until the
 * client closes.
 */
final class ScriptedSocketServer implements AutoCloseable {

  sealed interface Step {}

  record Refuse(int status, String message) implements Step {}

  record Drop(long afterMillis) implements Step {}

  /** Sends {@code textBefore} (unless null) as a text frame, then a close frame. */
  record Close(int code, String reason, long afterMillis, String textBefore) implements Step {
    Close(int code, String reason, long afterMillis) {
      this(code, reason, afterMillis, null);
    }
  }

  record Serve() implements Step {}

  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private final List<Step> steps;
  private final ServerSocket server;
  private final List<String> requestTargets = new ArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger binaryFrames = new AtomicInteger();

  ScriptedSocketServer(List<Step> steps) throws IOException {
    this.steps = List.copyOf(steps);
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accepting = new Thread(this::accept, "scripted-socket-server");
    accepting.setDaemon(true);
    accepting.start();
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** The path and query of every upgrade request, in order. */
  synchronized List<String> requestTargets() {
    return List.copyOf(requestTargets);
  }

  int binaryFrames() {
    return binaryFrames.get();
  }

  @Override
  public void close() throws IOException {
    server.close();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Step step = steps.get(Math.min(connections.getAndIncrement(), steps.size() - 1));
        Thread connection = new Thread(() -> serve(socket, step), "scripted-socket");
        connection.setDaemon(true);
        connection.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket, Step step) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      String key = handshake(in);
      if (step instanceof Refuse refuse) {
        byte[] body = ("{\"message\":\"" + refuse.message() + "\",\"statusCode\":" + refuse.status() + "}")
            .getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + refuse.status() + " Refused\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return;
      }
      out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Accept: " + accept(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      if (step instanceof Drop drop) {
        later(drop.afterMillis(), () -> {
          socket.setSoLinger(true, 0);
          socket.close();
        });
      } else if (step instanceof Close close) {
        later(close.afterMillis(), () -> {
          if (close.textBefore() != null) {
            sendText(out, close.textBefore());
          }
          sendClose(out, close.code(), close.reason());
        });
      }
      readFrames(new DataInputStream(in), out);
    } catch (IOException e) {
      // the connection ended, as scripted or by the client
    }
  }

  private String handshake(InputStream in) throws IOException {
    String requestLine = line(in);
    synchronized (this) {
      requestTargets.add(requestLine.split(" ")[1]);
    }
    String key = "";
    for (String header = line(in); !header.isEmpty(); header = line(in)) {
      if (header.toLowerCase().startsWith("sec-websocket-key:")) {
        key = header.substring(header.indexOf(':') + 1).trim();
      }
    }
    return key;
  }

  /** Reads client frames (masked) until a close, which is answered. */
  private void readFrames(DataInputStream in, OutputStream out) throws IOException {
    while (true) {
      int first = in.readUnsignedByte();
      int second = in.readUnsignedByte();
      long length = second & 0x7f;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] mask = new byte[4];
      in.readFully(mask);
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      int opcode = first & 0x0f;
      if (opcode == 0x2) {
        binaryFrames.incrementAndGet();
      } else if (opcode == 0x8) {
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= mask[i % 4];
        }
        synchronized (out) {
          out.write(new byte[] {(byte) 0x88, (byte) payload.length});
          out.write(payload);
          out.flush();
        }
        return;
      }
    }
  }

  /** A short unmasked text frame (under 126 bytes). */
  private static void sendText(OutputStream out, String message) throws IOException {
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    synchronized (out) {
      out.write(new byte[] {(byte) 0x81, (byte) text.length});
      out.write(text);
      out.flush();
    }
  }

  private static void sendClose(OutputStream out, int code, String reason) throws IOException {
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    synchronized (out) {
      out.write(new byte[] {(byte) 0x88, (byte) (2 + text.length), (byte) (code >> 8), (byte) code});
      out.write(text);
      out.flush();
    }
  }

  private interface Action {
    void run() throws IOException;
  }

  private static void later(long millis, Action action) {
    Thread thread = new Thread(() -> {
      try {
        Thread.sleep(millis);
        action.run();
      } catch (IOException | InterruptedException e) {
        // the connection is already gone
      }
    }, "scripted-socket-later");
    thread.setDaemon(true);
    thread.start();
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("the connection closed during the handshake");
      }
      if (b != '\r') {
        bytes.write(b);
      }
    }
    return bytes.toString(StandardCharsets.US_ASCII);
  }

  private static String accept(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
