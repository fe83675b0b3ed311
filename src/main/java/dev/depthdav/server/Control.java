package dev.depthdav.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server's control socket: a Unix domain socket in a folder of the data folder that
 * only the server's own user can enter (mode 0700), so that {@code depthdav user ...} can change
 * the accounts of a running server (whose database file it cannot open) with the same right it
 * would need on a stopped one: access to the data folder. One command per connection: the
 * arguments go in, the output and an exit code come back.
 */
final class Control implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Control.class);
  private static final int MAX_ARGS = 64;
  private static final int MAX_ARG = 16384;

  /** What the server does with one command: its output goes to {@code out}; the exit code. */
  interface Handler {
    int run(List<String> args, PrintStream out);
  }

  private final ServerSocketChannel channel;
  private final Path socket;
  private final Thread acceptor;

  private Control(ServerSocketChannel channel, Path socket, Handler handler) {
    this.channel = channel;
    this.socket = socket;
    this.acceptor = new Thread(() -> accept(handler), "control");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static Path socketOf(Path data) {
    return data.resolve("control").resolve("depthdav.sock");
  }

  /** Listens on the data folder's control socket (replacing a stale one). */
  static Control serve(Path data, Handler handler) throws IOException {
    Path dir = socketOf(data).getParent();
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    Path socket = socketOf(data);
    Files.deleteIfExists(socket); // the database lock already proved no other server runs here
    ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    ch.bind(UnixDomainSocketAddress.of(socket));
    return new Control(ch, socket, handler);
  }

  private void accept(Handler handler) {
    while (channel.isOpen()) {
      try (SocketChannel c = channel.accept()) {
        serveOne(c, handler);
      } catch (IOException | RuntimeException e) {
        if (channel.isOpen()) {
          log.warn("control command failed: {}", e.toString());
        }
      }
    }
  }

  private static void serveOne(SocketChannel c, Handler handler) throws IOException {
    DataInputStream in = new DataInputStream(Channels.newInputStream(c));
    int n = in.readInt();
    if (n < 0 || n > MAX_ARGS) {
      throw new IOException("bad control request");
    }
    List<String> args = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int len = in.readInt();
      if (len < 0 || len > MAX_ARG) {
        throw new IOException("bad control request");
      }
      args.add(new String(in.readNBytes(len), StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    int code;
    try (PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8)) {
      code = handler.run(args, out);
    }
    DataOutputStream reply = new DataOutputStream(Channels.newOutputStream(c));
    reply.writeInt(code);
    reply.write(text.toByteArray());
    reply.flush();
  }

  /**
   * Sends a command to the server running on {@code data}; returns its exit code after copying
   * its output to {@code out}, or -1 when no server listens there.
   */
  static int send(Path data, List<String> args, OutputStream out) throws IOException {
    Path socket = socketOf(data);
    if (!Files.exists(socket)) {
      return -1;
    }
    SocketChannel c;
    try {
      c = SocketChannel.open(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      return -1; // a socket file left by a server that is gone
    }
    try (c) {
      DataOutputStream req = new DataOutputStream(Channels.newOutputStream(c));
      req.writeInt(args.size());
      for (String a : args) {
        byte[] b = a.getBytes(StandardCharsets.UTF_8);
        req.writeInt(b.length);
        req.write(b);
      }
      req.flush();
      c.shutdownOutput();
      InputStream in = Channels.newInputStream(c);
      int code = new DataInputStream(in).readInt();
      in.transferTo(out);
      return code;
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
    Files.deleteIfExists(socket);
  }
}
