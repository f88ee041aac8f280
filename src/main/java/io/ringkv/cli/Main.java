package io.ringkv.cli;

import io.ringkv.bench.BenchCommand;
import io.ringkv.bench.CeilingCommand;
import io.ringkv.bench.FillCommand;
import java.io.IOException;
import java.io.InputStream;
import java.util.logging.LogManager;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar ringkv.jar node|dev|bench|chaos|ceiling|fill|compact ...} */
@Command(name = "ringkv", mixinStandardHelpOptions = true, version = "ringkv 0.1.0",
    description = "A Dynamo-style distributed key-value store.")
public final class Main implements Runnable {

  public static void main(String[] args) {
    configureLogging();
    System.exit(commandLine().execute(args));
  }

  /** One-line log records unless the operator brought a logging configuration of their own. */
  private static void configureLogging() {
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    try (InputStream in = Main.class.getResourceAsStream("/ringkv-logging.properties")) {
      if (in != null) {
        LogManager.getLogManager().readConfiguration(in);
      }
    } catch (IOException e) {
      System.err.println("ringkv: default logging configuration not loaded: " + e.getMessage());
    }
  }

  static CommandLine commandLine() {
    return new CommandLine(new Main())
        .addSubcommand("node", NodeCommand.commandLine())
        .addSubcommand("dev", new DevCommand())
        .addSubcommand("bench", new BenchCommand())
        .addSubcommand("chaos", new ChaosCommand())
        .addSubcommand("ceiling", new CeilingCommand())
        .addSubcommand("fill", new FillCommand())
        .addSubcommand("compact", new CompactCommand());
  }

  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }
}
